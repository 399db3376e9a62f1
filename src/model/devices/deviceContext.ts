/**
 * What a device builder needs besides its own data: the program, the horizon, the bus's net
 * injection to contribute to, and a unique prefix for its variable blocks and row tags.
 */
import type { ProgramBuilder } from '../program/programBuilder.js';
import type { BusInjection } from '../network/busInjection.js';

export interface DeviceContext {
  builder: ProgramBuilder;
  periods: number;
  dtHours: number;
  injection: BusInjection;
  /** Index of the bus the device sits at (used in tags). */
  bus: number;
  /** Dotted path of the device in the scenario, for error messages (e.g. `buses[3].devices[1]`). */
  field: string;
}

/** Adds one variable per period under `${kind}.${name}[bus]`; returns the column of each period. */
export function addPeriodVariables(ctx: DeviceContext, block: string): Int32Array {
  const { start } = ctx.builder.addVariables(block, ctx.periods);
  const cols = new Int32Array(ctx.periods);
  for (let t = 0; t < ctx.periods; t++) cols[t] = start + t;
  return cols;
}
