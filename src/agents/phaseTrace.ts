/**
 * Opt-in timing trace of the day on chain (docs/run.md §Where the time goes): with GC_TRACE=FILE
 * every thread and process appends one JSON line per phase of an iteration to FILE,
 * `{"who","k","phase","t0","t1"}` with t0, t1 in epoch milliseconds (performance.timeOrigin +
 * now, comparable across threads). `node dist/bench/endToEndPhases.bench.js FILE` summarizes it.
 * Off (the default) it costs one branch per call.
 */
import { appendFileSync } from 'node:fs';

const traceFile = process.env['GC_TRACE'] || null;

/** Records phase `phase` of iteration `iteration` by `who`, from `startMs` (performance.now()) to now. */
export function tracePhase(who: string, iteration: bigint | number, phase: string, startMs: number, endMs = performance.now()): void {
  if (traceFile === null) return;
  const line = { who, k: Number(iteration), phase, t0: performance.timeOrigin + startMs, t1: performance.timeOrigin + endMs };
  appendFileSync(traceFile, `${JSON.stringify(line)}\n`);
}
