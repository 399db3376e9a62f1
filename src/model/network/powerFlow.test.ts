import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../core/paths.js';
import { GridError } from '../../core/errors.js';
import { solveRadialPowerFlow } from './powerFlow.js';

interface BaranWu {
  baseKv: number;
  expected: { lossesKw: number; minVoltage: number; minVoltageBus: number };
  branches: Array<{ from: number; to: number; rOhm: number; xOhm: number; loadKw: number; loadKvar: number }>;
}

function baranWuInput() {
  const data = JSON.parse(readFileSync(packagePath('test', 'data', 'model', 'baran-wu-33.json'), 'utf8')) as BaranWu;
  const baseMva = 1;
  const zBase = (data.baseKv * data.baseKv) / baseMva;
  const n = data.branches.length + 1;
  const parent = new Array<number>(n).fill(-1);
  const r = new Array<number>(n).fill(0);
  const x = new Array<number>(n).fill(0);
  const p = new Array<number>(n).fill(0);
  const q = new Array<number>(n).fill(0);
  for (const b of data.branches) {
    const i = b.to - 1;
    parent[i] = b.from - 1;
    r[i] = b.rOhm / zBase;
    x[i] = b.xOhm / zBase;
    p[i] = -b.loadKw / 1000 / baseMva;
    q[i] = -b.loadKvar / 1000 / baseMva;
  }
  return { data, input: { parent, r, x, p, q, rootVoltage: 1 } };
}

describe('radial AC power flow', () => {
  it('reproduces Baran & Wu 33-bus: 202.67 kW losses, 0.9131 p.u. at bus 18', () => {
    const { data, input } = baranWuInput();
    const result = solveRadialPowerFlow(input);
    assert.ok(Math.abs(result.lossP * 1000 - data.expected.lossesKw) < 0.05, `losses ${result.lossP * 1000} kW`);
    const v = Array.from(result.voltageSq, Math.sqrt);
    const min = Math.min(...v);
    assert.equal(v.indexOf(min) + 1, data.expected.minVoltageBus);
    assert.ok(Math.abs(min - data.expected.minVoltage) < 5e-5, `min voltage ${min}`);
  });

  it('satisfies the receiving-end branch-flow equations and balances power', () => {
    const { input } = baranWuInput();
    const res = solveRadialPowerFlow(input);
    let worst = 0;
    for (let i = 1; i < input.parent.length; i++) {
      const k = input.parent[i]!;
      const P = res.pFlowReceiving[i]!;
      const Q = res.qFlowReceiving[i]!;
      const z2 = input.r[i]! ** 2 + input.x[i]! ** 2;
      const drop = res.voltageSq[k]! + 2 * (input.r[i]! * P + input.x[i]! * Q) + z2 * res.currentSq[i]! - res.voltageSq[i]!;
      const cone = res.currentSq[i]! * res.voltageSq[k]! - P * P - Q * Q;
      worst = Math.max(worst, Math.abs(drop), Math.abs(cone));
    }
    assert.ok(worst < 1e-9, `largest DistFlow residual ${worst}`);
    const load = input.p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(res.rootP + load - res.lossP) < 1e-9);
  });

  it('reports divergence as a GridError with a fix', () => {
    const { input } = baranWuInput();
    const heavy = { ...input, p: input.p.map((v) => v * 40), q: input.q.map((v) => v * 40) };
    assert.throws(() => solveRadialPowerFlow(heavy), (e: unknown) => e instanceof GridError && /did not converge/.test(e.message) && e.fix.length > 0);
  });
});
