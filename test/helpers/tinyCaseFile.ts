/** A three-bus feeder in the case-file format that solves (named "tiny"), for CLI tests that write it to a file. */
export function tinyCaseFile(): Record<string, unknown> {
  return {
    format: 'gridconsensus-case', version: 1, name: 'tiny', source: 'test', baseMva: 1, baseKv: 12,
    substation: { bus: 1, voltage: { mode: 'free' } }, voltageLimitsPu: [0.95, 1.05],
    buses: [
      { id: 1, devices: [{ kind: 'generator', name: 'g', pMinKw: 0, pMaxKw: 10000, qMinKvar: -5000, qMaxKvar: 5000, costQuadraticPerMw2h: 10, costLinearPerMwh: 50 }] },
      { id: 2, devices: [{ kind: 'fixedLoad', name: 'l', pKw: 100, qKvar: 20 }] },
      { id: 3 },
    ],
    lines: [{ from: 1, to: 2, rPu: 0.001, xPu: 0.002 }, { from: 2, to: 3, rPu: 0.001, xPu: 0.002 }],
  };
}
