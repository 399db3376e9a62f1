/**
 * How far an ADMM schedule is from the central OPF's: relative cost gap, the largest difference
 * of any per-bus setpoint (injections, flows, voltages; p.u.) and of the DLMPs.
 */
import { GridError } from '../../core/errors.js';
import type { Schedule } from '../../schedule/schedule.js';

export interface CentralComparison {
  /** (admm − central) / |central|. */
  costGapRelative: number;
  costGap: number;
  /** Largest |difference| of p, q, pFlow, qFlow, voltageSq over buses and periods, p.u. */
  maxSetpointDiff: number;
  /** Largest |λ_admm − λ_central|, currency per MWh. */
  maxPriceDiff: number;
  /**
   * Largest |λ_admm − λ_central| / max(|λ_central|, 1 % of the largest |λ_central|) over buses and
   * periods: a price near zero (a bus whose only price is the loss price) is measured against the
   * feeder's price level instead of itself.
   */
  maxPriceDiffRelative: number;
}

/** @throws GridError when the schedules do not describe the same network and horizon. */
export function compareWithCentral(admm: Schedule, central: Schedule): CentralComparison {
  if (admm.buses.length !== central.buses.length || admm.periods !== central.periods) {
    throw new GridError('the two schedules cover different buses or periods', { field: 'schedule', fix: ['compare schedules of the same scenario'] });
  }
  let maxSetpointDiff = 0;
  admm.buses.forEach((bus, i) => {
    const other = central.buses[i]!;
    for (const key of ['p', 'q', 'pFlow', 'qFlow', 'voltageSq'] as const) {
      bus[key].forEach((v, t) => { maxSetpointDiff = Math.max(maxSetpointDiff, Math.abs(v - other[key][t]!)); });
    }
  });
  let maxPriceDiff = 0;
  let maxPriceDiffRelative = 0;
  const a = admm.prices?.active;
  const c = central.prices?.active;
  if (a && c) {
    const priceLevel = c.reduce((m, row) => row.reduce((mm, v) => Math.max(mm, Math.abs(v)), m), 0);
    const floor = 0.01 * priceLevel;
    a.forEach((row, i) => row.forEach((v, t) => {
      const ref = c[i]![t]!;
      const diff = Math.abs(v - ref);
      maxPriceDiff = Math.max(maxPriceDiff, diff);
      const scale = Math.max(Math.abs(ref), floor);
      if (scale > 0) maxPriceDiffRelative = Math.max(maxPriceDiffRelative, diff / scale);
    }));
  }
  const costGap = admm.totalCost - central.totalCost;
  return { costGapRelative: costGap / Math.abs(central.totalCost), costGap, maxSetpointDiff, maxPriceDiff, maxPriceDiffRelative };
}
