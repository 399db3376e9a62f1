/**
 * A synthetic but plausible ReportData (a small radial feeder over one day) for tests, the
 * dashboard's empty state and trying the report without solving anything. Deterministic: the
 * same options give the same data.
 */
import type { ReportData } from './reportData.js';

export interface SampleReportOptions {
  /** Number of buses (≥ 1); bus k hangs off an earlier bus chosen by the seed. Default 12. */
  buses?: number;
  periods?: number;
  /** ADMM iterations; 0 gives an OPF-only report (no convergence, gas or bills). Default 40. */
  iterations?: number;
  seed?: number;
}

export function sampleReportData(options: SampleReportOptions = {}): ReportData {
  const busCount = Math.max(1, options.buses ?? 12);
  const periods = Math.max(1, options.periods ?? 24);
  const iterations = Math.max(0, options.iterations ?? 40);
  let state = (options.seed ?? 1) >>> 0 || 1;
  // xorshift32: small, seeded, identical on every platform.
  const random = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const parent = Array.from({ length: busCount }, (_, k) => (k === 0 ? -1 : Math.max(0, k - 1 - Math.floor(random() * Math.min(k, 3)))));
  const depth: number[] = [];
  parent.forEach((p, k) => depth.push(p < 0 ? 0 : depth[p]! + 1));
  const hours = Array.from({ length: periods }, (_, t) => (24 * t) / periods);
  const load = hours.map((h) => 0.5 + 0.35 * Math.exp(-((h - 19) ** 2) / 8) + 0.15 * Math.exp(-((h - 8) ** 2) / 6));
  const sun = hours.map((h) => Math.max(0, Math.sin(((h - 6) / 13) * Math.PI)));
  const scale = busCount / 20;
  const fixedLoad = load.map((l) => -scale * l);
  const pv = sun.map((s) => 0.4 * scale * s);
  const battery = hours.map((h) => (h >= 10 && h < 14 ? -0.1 * scale : h >= 18 && h < 21 ? 0.12 * scale : 0));
  const ev = hours.map((h) => (h >= 22 || h < 5 ? -0.08 * scale : 0));
  const generator = hours.map((_, t) => -(fixedLoad[t]! + pv[t]! + battery[t]! + ev[t]!) * 0.97);
  const imports = hours.map((_, t) => -(fixedLoad[t]! + pv[t]! + battery[t]! + ev[t]! + generator[t]!));
  const voltage = depth.map((d) => load.map((l, t) => 1 - 0.004 * d * (l - 0.4 * sun[t]!) + (random() - 0.5) * 0.0005));
  const energy = load.map((l) => 30 + 40 * l);
  const losses = depth.map((d) => load.map((l) => 0.4 * d * l));
  const congestion = depth.map((d) => load.map((l) => (l > 0.8 && d >= 3 ? 2 * (d - 2) : 0)));
  const dlmp = depth.map((_, i) => energy.map((e, t) => e + losses[i]![t]! + congestion[i]![t]!));
  const cost = generator.reduce((a, g) => a + 20 * g + 8 * g * g, 0);
  const report: ReportData = {
    title: `Sample day-ahead schedule (${busCount}-bus synthetic feeder)`,
    subtitle: `Synthetic data, seed ${options.seed ?? 1}, ${periods} periods`,
    currency: '$',
    periodLabels: hours.map((h) => `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}`),
    dtHours: 24 / periods,
    buses: parent.map((p, k) => ({ name: String(k + 1), parent: p })),
    summary: { method: iterations > 0 ? 'admm' : 'central', totalCost: cost * (iterations > 0 ? 1.004 : 1), centralCost: cost, solverStatus: iterations > 0 ? 'converged' : 'solved', wallTimeSeconds: iterations > 0 ? 2.5 * iterations : 1.2 },
    devicePower: {
      feeder: [
        { kind: 'generator', mw: generator },
        { kind: 'pv', mw: pv },
        { kind: 'battery', mw: battery },
        { kind: 'fixedLoad', mw: fixedLoad },
        { kind: 'ev', mw: ev },
      ],
      substationImportMw: imports,
    },
    voltages: { magnitudePu: voltage, limitsPu: [0.95, 1.05] },
    prices: {
      dlmp,
      parts: [
        { name: 'Energy', values: depth.map(() => energy) },
        { name: 'Losses', values: losses },
        { name: 'Voltage', values: congestion },
      ],
    },
    checks: [
      { name: 'Cone gap (largest over lines and periods)', value: 2e-7, unit: 'p.u.', tolerance: 1e-5, passed: true },
      { name: 'AC power-flow mismatch', value: 3e-5, unit: 'p.u.', tolerance: 1e-4, passed: true },
      { name: 'Device limit violations', value: 0, tolerance: 0, passed: true },
    ],
    notes: ['Synthetic data for illustration: not the result of a solve.'],
  };
  if (iterations === 0) return report;
  report.convergence = {
    primalResidual: Array.from({ length: iterations }, (_, k) => 2 * Math.exp((-6 * k) / iterations) * (1 + 0.2 * Math.sin(k))),
    dualResidual: Array.from({ length: iterations }, (_, k) => 5 * Math.exp((-5 * k) / iterations)),
    primalTolerance: 1e-2,
    dualTolerance: 0.05,
    rho: Array.from({ length: iterations }, () => 1),
    status: 'converged',
  };
  const submissions = Array.from({ length: iterations }, () => busCount * 52000);
  report.gas = {
    perIteration: submissions.map((s) => s + 180000),
    breakdown: [
      { label: 'Local-copy submissions', values: submissions },
      { label: 'Coordinator step', values: submissions.map(() => 180000) },
    ],
    other: [{ label: 'Deployment', gas: 2900000 }, { label: 'Settlement', gas: 60000 * busCount }],
  };
  const amounts = depth.map((_, i) => (i === 0 ? 0 : -fixedLoad.reduce((a, p) => a + p, 0) * (dlmp[i]![0]! / busCount) * (i % 4 === 0 ? -1 : 1)));
  amounts[0] = -amounts.reduce((a, b) => a + b, 0);
  report.bills = { participants: amounts.map((amount, i) => ({ name: `bus ${i + 1}`, amount, penalty: 0 })) };
  report.summary!.iterations = iterations;
  report.summary!.moneyImbalance = amounts.reduce((a, b) => a + b, 0);
  return report;
}
