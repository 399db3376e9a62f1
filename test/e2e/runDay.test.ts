/**
 * The day on chain end to end against a real Anvil, on a 4-bus, 4-period case: the `run` CLI
 * (threads), agents as separate OS processes, and an agent killed mid-run and restarted. ADMM
 * tolerances are loosened (epsAbs 3e-3, epsRel 3e-2: about 30 iterations) to keep the suite lean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../../src/core/paths.js';
import { loadScenario } from '../../src/scenario/io.js';
import { runDay, type DayRunResult } from '../../src/pipeline/runDay.js';

const caseFile = packagePath('test', 'e2e', 'data', 'four-bus-day.json');
const cliMain = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const stopping = { kind: 'boyd' as const, epsAbs: 3e-3, epsRel: 3e-2 };

function slicesOf(r: DayRunResult): string[] {
  assert.ok(r.finalSlices, `run ${r.status} after ${r.iterations} iterations committed no schedule`);
  return r.finalSlices.map((s) => `${s.bus}:${s.netInjection.join(',')}|${s.dlmp.join(',')}`);
}

/** Final slices of the threaded run: from the CLI test's run.json, or a run of its own when that test was skipped. */
let threadedSlices: { iterations: number; slices: string[] } | null = null;
async function threadedRun(): Promise<{ iterations: number; slices: string[] }> {
  if (!threadedSlices) {
    const r = await runDay({ scenario: loadScenario(caseFile), agents: 'threads', workers: 2, admm: { stopping }, central: false });
    threadedSlices = { iterations: r.iterations, slices: slicesOf(r) };
  }
  return threadedSlices;
}

test('run (CLI, worker threads) converges, commits, settles with money conserved and writes the report', { timeout: 600_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'gc-run-'));
  try {
    const r = spawnSync(process.execPath, [cliMain, 'run', caseFile, '--eps-abs', '3e-3', '--eps-rel', '3e-2', '--workers', '2', '--out', out, '--json', '--deviation', '0.05', '--seed', '7'], { encoding: 'utf8', timeout: 540_000 });
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    assert.equal(summary['status'], 'converged');
    assert.equal(summary['moneyConserved'], true);
    // Loose ADMM tolerances: the cost is still within 1 % of the central optimum.
    assert.ok(Math.abs(summary['costGapRelative'] as number) < 1e-2, `cost gap ${String(summary['costGapRelative'])}`);
    for (const f of ['report.html', 'summary.md', 'schedule.json', 'run.json']) assert.ok(existsSync(join(out, f)), `${f} written`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      trace: unknown[]; bills: unknown[]; iterations: number; finalSlices: Array<{ bus: number; netInjection: string[]; dlmp: string[] }>;
    };
    assert.equal(run.trace.length, run.iterations);
    assert.equal(run.bills.length, 4);
    threadedSlices = { iterations: run.iterations, slices: run.finalSlices.map((f) => `${f.bus}:${f.netInjection.join(',')}|${f.dlmp.join(',')}`) };
    assert.match(r.stderr, /iteration \d+/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('agents as separate OS processes reach the same final schedule as agents on threads', { timeout: 600_000 }, async () => {
  const threads = await threadedRun();
  const processes = await runDay({ scenario: loadScenario(caseFile), scenarioSource: caseFile, agents: 'processes', admm: { stopping }, central: false });
  assert.equal(processes.iterations, threads.iterations);
  assert.deepEqual(slicesOf(processes), threads.slices);
  assert.equal(processes.settlement?.moneyConserved, true);
});

test('an agent killed mid-run and restarted gives the same final schedule', { timeout: 600_000 }, async () => {
  let killedAt = -1;
  const run = await runDay({
    scenario: loadScenario(caseFile), scenarioSource: caseFile, agents: 'processes', admm: { stopping }, central: false,
    onReady: (_endpoints, agents) => {
      const timer = setInterval(() => {
        // Kill bus 2's agent once the run is past iteration 5, restart it a moment later.
        if (killedAt >= 0 || current < 5) return;
        killedAt = current;
        agents!.kill(2);
        setTimeout(() => agents!.restart(2), 300);
        clearInterval(timer);
      }, 20);
      timer.unref();
    },
    onProgress: (p) => { if (p.phase === 'iterate' && p.iteration !== undefined) current = p.iteration; },
  });
  assert.ok(killedAt >= 5, 'the agent was killed mid-run');
  assert.ok(run.iterations > killedAt, `killed at ${killedAt}, run ended at ${run.iterations}`);
  assert.deepEqual(slicesOf(run), (await threadedRun()).slices);
});
let current = 0;
