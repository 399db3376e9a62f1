/**
 * Dispatchable generator (model.md §Devices): p ∈ [pMin, pMax], q ∈ [qMin, qMax],
 * cost per period dtHours·(a·p² + b·p + c).
 */
import type { Generator } from '../../scenario/types.js';
import { addActiveTerms, addReactiveTerms } from '../network/busInjection.js';
import { addPeriodVariables, requireOrdered, type DeviceContext } from './deviceContext.js';

export interface GeneratorHandle {
  kind: 'generator';
  device: Generator;
  p: Int32Array;
  q: Int32Array;
}

export function addGenerator(ctx: DeviceContext, device: Generator): GeneratorHandle {
  const { builder, dtHours } = ctx;
  requireOrdered(ctx, 'pMin', device.pMin, 'pMax', device.pMax);
  requireOrdered(ctx, 'qMin', device.qMin, 'qMax', device.qMax);
  const prefix = `generator[${device.name}]`;
  const p = addPeriodVariables(ctx, `${prefix}.p`);
  const q = addPeriodVariables(ctx, `${prefix}.q`);
  builder.addBoundsBlock(`${prefix}.p`, p, device.pMin, device.pMax);
  builder.addBoundsBlock(`${prefix}.q`, q, device.qMin, device.qMax);
  addActiveTerms(ctx.injection, p, 1);
  addReactiveTerms(ctx.injection, q, 1);
  for (let t = 0; t < ctx.periods; t++) {
    // ½·P entry = dt·a, so P = 2·dt·a.
    builder.addQuadraticCost(p[t]!, p[t]!, 2 * dtHours * device.costQuadratic[t]!);
    builder.addLinearCost(p[t]!, dtHours * device.costLinear[t]!);
    builder.addConstantCost(dtHours * device.costConstant[t]!);
  }
  return { kind: 'generator', device, p, q };
}

/** Cost of a dispatch over the horizon, same formula as the objective. */
export function generatorCost(device: Generator, p: ArrayLike<number>, dtHours: number): number {
  let cost = 0;
  for (let t = 0; t < p.length; t++) {
    const x = p[t]!;
    cost += dtHours * (device.costQuadratic[t]! * x * x + device.costLinear[t]! * x + device.costConstant[t]!);
  }
  return cost;
}
