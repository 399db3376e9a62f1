/**
 * The warning `admm` and `run` print when ADMM's stopping rule holds but the schedule is still far
 * from the central OPF's: Boyd's relative tolerance bounds the residuals, not the cost, so a
 * stop can still be some way off on a slow feeder (docs/admm.md §Stopping).
 */
import type { CentralComparison } from '../solve/admm/compareWithCentral.js';

/** Beyond these the stopped schedule is worth a warning: cost 0.1 %, any DLMP 0.5 % (relative). */
export const centralGapLimits = { costRelative: 1e-3, dlmpRelative: 5e-3 } as const;

/** The warning line (no newline) when a converged run is off the central OPF by more than the limits; null otherwise. */
export function centralGapWarning(comparison: Pick<CentralComparison, 'costGapRelative' | 'maxPriceDiffRelative'>): string | null {
  const { costGapRelative: cost, maxPriceDiffRelative: dlmp } = comparison;
  if (!(Math.abs(cost) > centralGapLimits.costRelative || dlmp > centralGapLimits.dlmpRelative)) return null;
  const costText = `${cost >= 0 ? '+' : ''}${(100 * cost).toFixed(4)} %`;
  return `warning: the stopping rule holds but the cost is ${costText} and the DLMPs up to ${(100 * dlmp).toFixed(2)} % from the central OPF; `
    + 'tighten --eps-rel (ten times smaller, say) and raise --max-iter (docs/admm.md §Stopping)';
}
