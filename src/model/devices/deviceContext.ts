/**
 * What a device builder needs besides its own data: the program, the horizon, the bus's net
 * injection to contribute to, and a unique prefix for its variable blocks and row tags.
 */
import { GridError } from '../../core/errors.js';
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
  return ctx.builder.addVariableColumns(block, ctx.periods);
}

/** @throws GridError when a device's lower limit exceeds its upper limit. */
export function requireOrdered(ctx: DeviceContext, lowName: string, low: number, highName: string, high: number): void {
  if (!(low <= high)) {
    throw new GridError(`${lowName} (${low}) is above ${highName} (${high})`, {
      field: `${ctx.field}.${lowName}`,
      fix: [`make ${lowName} ≤ ${highName}`],
    });
  }
}
