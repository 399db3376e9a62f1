/** A 4-bus, 3-period case file (engineering units) for the verifier tests: the CLI reads it from disk. */
import type { CaseFile } from '../../src/scenario/caseFile.js';

export function tinyVerifyCase(): CaseFile {
  return {
    format: 'gridconsensus-case', version: 1, name: 'verify-tiny', source: 'hand-built test case',
    baseMva: 1, baseKv: 12, periods: 3, dtHours: 1,
    substation: { bus: 1, voltage: { mode: 'fixed', magnitudePu: 1 } },
    voltageLimitsPu: [0.95, 1.05],
    buses: [
      { id: 1, devices: [{ kind: 'generator', name: 'substation', pMinKw: 0, pMaxKw: 5000, qMinKvar: -5000, qMaxKvar: 5000, costQuadraticPerMw2h: 5, costLinearPerMwh: [20, 30, 25] }] },
      { id: 2, devices: [{ kind: 'fixedLoad', name: 'l2', pKw: [300, 360, 420], qKvar: 100 }] },
      { id: 3, devices: [
        { kind: 'fixedLoad', name: 'l3', pKw: [400, 480, 560], qKvar: 200 },
        { kind: 'battery', name: 'b3', chargeMaxKw: 100, dischargeMaxKw: 100, energyMaxKwh: 200, energyInitialKwh: 100 },
      ] },
      { id: 4, devices: [{ kind: 'fixedLoad', name: 'l4', pKw: [200, 240, 280], qKvar: 50 }] },
    ],
    lines: [
      { from: 1, to: 2, rPu: 0.01, xPu: 0.02 },
      { from: 2, to: 3, rPu: 0.02, xPu: 0.01 },
      { from: 2, to: 4, rPu: 0.015, xPu: 0.03 },
    ],
  };
}
