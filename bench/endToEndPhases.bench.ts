/**
 * Where an iteration of the day on chain spends its time, from a GC_TRACE file
 * (src/agents/phaseTrace.ts; docs/run.md §Where the time goes). Per iteration k, the critical
 * path from the receipt of k − 1 to the receipt of k, split into:
 *   detect  receipt of k − 1 → the last agent thread knows k started (status poll or push)
 *   read    that thread's read of k − 1's calldata and logs
 *   agents  slice steps, solves, signatures and sends of that thread's agents, until its last
 *           vector is sent
 *   inbox   last vector sent → the poster holds all of them
 *   post    the poster's submitIteration: payload, signing, send, mining, receipt
 * plus the summed solve and per-bus step times of every agent (work, not path; negative detect
 * means the agents saw k before the poster's receipt poll did).
 * Run: GC_TRACE=/tmp/trace.jsonl node build/<x>/src/cli/main.js run sce56-paper --max-iter 40 --no-central
 *      node build/<x>/bench/endToEndPhases.bench.js /tmp/trace.jsonl
 * Iterations 0 and 1 (worker start-up, subproblem builds) are left out of the medians.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface TraceLine { who: string; k: number; phase: string; t0: number; t1: number }

export interface PhaseSplit {
  iterations: number;
  /** Median per iteration over iterations 2.., milliseconds. */
  medianMs: Record<string, number>;
  meanMs: Record<string, number>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

export function summarizePhaseTrace(lines: readonly TraceLine[]): PhaseSplit {
  const at = (who: (w: string) => boolean, k: number, phase: string) => lines.filter((l) => l.k === k && l.phase === phase && who(l.who));
  const ks = [...new Set(lines.filter((l) => l.who === 'poster' && l.phase === 'post').map((l) => l.k))].sort((a, b) => a - b);
  const rows: Array<Record<string, number>> = [];
  for (const k of ks) {
    if (k < 2) continue;
    const prevPost = at((w) => w === 'poster', k - 1, 'post')[0];
    const post = at((w) => w === 'poster', k, 'post')[0];
    const waited = at((w) => w === 'poster', k, 'waitVectors')[0];
    if (!prevPost || !post || !waited) continue;
    const threads = [...new Set(lines.filter((l) => l.k === k && l.phase === 'solve').map((l) => l.who.split('/')[0]!))];
    let slowest: { thread: string; lastSend: number } | null = null;
    const work: Record<string, number> = { solveWork: 0, stepWork: 0, perThreadSolveMax: 0 };
    for (const t of threads) {
      const mine = (w: string) => w.startsWith(`${t}/bus`);
      const sends = at(mine, k, 'send');
      const lastSend = Math.max(...sends.map((l) => l.t1));
      if (!slowest || lastSend > slowest.lastSend) slowest = { thread: t, lastSend };
      // solve and step are synchronous: their wall time is their own (sign and send await, so
      // other agents' work interleaves and their spans overlap).
      const solve = at(mine, k, 'solve').reduce((a, l) => a + l.t1 - l.t0, 0);
      work.solveWork! += solve;
      work.perThreadSolveMax = Math.max(work.perThreadSolveMax!, solve);
      work.stepWork! += at(mine, k, 'step').reduce((a, l) => a + l.t1 - l.t0, 0);
    }
    if (!slowest) continue;
    const reader = (w: string) => w === `${slowest!.thread}/reader`;
    const reads = at(reader, k, 'read').concat(at(reader, k, 'readMissed'));
    const detectEnd = reads.length ? Math.min(...reads.map((l) => l.t0)) : prevPost.t1;
    const readEnd = reads.length ? Math.max(...reads.map((l) => l.t1)) : detectEnd;
    rows.push({
      cycle: post.t1 - prevPost.t1,
      detect: detectEnd - prevPost.t1,
      read: readEnd - detectEnd,
      agents: slowest.lastSend - readEnd,
      inbox: waited.t1 - slowest.lastSend,
      post: post.t1 - post.t0,
      readAttempts: reads.length,
      ...work,
    });
  }
  const keys = rows.length ? Object.keys(rows[0]!) : [];
  return {
    iterations: rows.length,
    medianMs: Object.fromEntries(keys.map((key) => [key, round1(median(rows.map((r) => r[key]!)))])),
    meanMs: Object.fromEntries(keys.map((key) => [key, round1(rows.reduce((a, r) => a + r[key]!, 0) / Math.max(1, rows.length))])),
  };
}

export function summarizePhaseTraceFile(path: string): PhaseSplit {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as TraceLine);
  return summarizePhaseTrace(lines);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node endToEndPhases.bench.js TRACE_FILE');
    process.exit(2);
  }
  console.log(JSON.stringify({ case: 'end-to-end-phases', trace: path, ...summarizePhaseTraceFile(path) }));
}
