/**
 * `npm run bench` (node dist/bench/main.js [--only NAME[,NAME]] [--list] [--timeout SECONDS]): runs every benchmark
 * case and prints exactly one JSON line per case on stdout, {"case", ...metrics, "target", "met"},
 * with progress on stderr. Each bench module is imported when its turn comes, so a bench that has
 * not landed yet is reported as skipped and one that throws gives a line with "error"; the rest
 * still run; so does a case that outlives --timeout (default 1200 s per case). Exit code 0 unless
 * the harness itself fails (2 for a bad argument).
 * The targets are those of issues 2–6 §Targets; docs/performance.md has the measured table.
 */
type Row = Record<string, unknown>;

export interface CaseLine extends Row {
  case: string;
  target: string | null;
  /** null only where a line carries no target (informational rows). */
  met: boolean | null;
}

interface BenchGroup {
  /** What `--only` selects. */
  name: string;
  /** Issue whose §Targets this group measures. */
  issue: number;
  /** Compiled module next to this file, and the function it exports (() => Promise<object[]>). */
  module: string;
  exportName: string;
  /** Target in words, for skipped and failed lines. */
  target: string;
  /** Turns the bench's own rows into case lines with target and met. */
  toLines: (rows: Row[]) => CaseLine[];
  /**
   * Separate calls of the export, each with its own argument, so that one failing case does not
   * take the group's other lines with it (default: one call without an argument).
   */
  calls?: Array<{ case: string; argument: unknown; target: string | null }>;
}

const num = (row: Row, key: string): number => (typeof row[key] === 'number' ? (row[key] as number) : Number.NaN);

/** Rows that already carry case, target and met (this harness's own benches) pass through. */
const passThrough = (group: string) => (rows: Row[]): CaseLine[] =>
  rows.map((row, k) => ({ ...row, case: String(row.case ?? `${group}/${k}`), target: (row.target as string | null) ?? null, met: (row.met as boolean | null) ?? null }));

/** Rows of benches without a target of their own: prefixed case name, target and met null. */
const informational = (group: string) => (rows: Row[]): CaseLine[] =>
  rows.map((row, k) => {
    const { bench: _bench, case: name, ...metrics } = row;
    return { case: `${group}/${String(name ?? k)}`, ...metrics, target: null, met: null };
  });

const conicBusTarget = 'bus-sized re-solve with a changed q: mean ≤ 1 ms and p95 ≤ 5 ms';
const corpusTarget = 'published optimum within 1e-6 relative (or the expected infeasibility status); CVXOPT times beside, no target';
const admmTarget = 'converged in ≤ 50 iterations, cost within 0.01 % of central, DLMPs within 0.5 %, ≤ 30 ms per iteration';
const gasTarget = '≤ 6,000,000 gas per ADMM iteration, 1 transaction per iteration, ≤ 150 ms per iteration on Anvil';
const billingTarget = '≤ 150,000 gas per participant-day';
const endToEndTarget = 'converged, ≤ 30 s wall end to end on the embedded Anvil and ≤ 3× the off-chain ADMM time';

export const benchGroups: BenchGroup[] = [
  {
    name: 'central-opf', issue: 3, module: './centralOpf.bench.js', exportName: 'runCentralOpfBench',
    target: 'build < 10 % of total', toLines: passThrough('central-opf'),
  },
  {
    name: 'opf-cvxopt', issue: 2, module: './opfCvxopt.js', exportName: 'runOpfCvxoptBench',
    target: 'ours ≤ 0.5× CVXOPT wall time and ≤ 1.3× its iterations at 1e-8', toLines: passThrough('opf-cvxopt'),
  },
  {
    name: 'conic', issue: 2, module: './conic.bench.js', exportName: 'runConicBench', target: conicBusTarget,
    toLines: (rows) => rows.map((row) => {
      const { bench: _bench, case: name, ...metrics } = row;
      if (String(name).startsWith('bus-resolve')) {
        return { case: `conic/${String(name)}`, ...metrics, target: conicBusTarget, met: num(row, 'ms') <= 1 && num(row, 'p95Ms') <= 5 && num(row, 'notSolved') === 0 };
      }
      // the generated DistFlow-like instance; the real OPF against CVXOPT is the opf-cvxopt case
      return { case: `conic/${String(name)}`, ...metrics, target: null, met: null };
    }),
  },
  {
    name: 'conic-corpus', issue: 2, module: './conicCorpus.js', exportName: 'runConicCorpusBench', target: corpusTarget,
    toLines: (rows) => {
      // an instance's own line and its CVXOPT side-by-side line share a case name: merge them into one
      const byCase = new Map<string, Row>();
      for (const row of rows) {
        const { bench: _bench, case: name, ...metrics } = row;
        const key = String(name);
        byCase.set(key, { ...(byCase.get(key) ?? {}), ...metrics });
      }
      return [...byCase].map(([name, metrics]): CaseLine => {
        if (name === 'summary') return { case: 'conic-corpus/summary', ...metrics, target: 'every instance solved (or certified) as published', met: num(metrics, 'failed') === 0 };
        const { ok, ...rest } = metrics;
        return { case: `conic-corpus/${name}`, ...rest, target: corpusTarget, met: typeof ok === 'boolean' ? ok : null };
      });
    },
  },
  {
    // informational: the real SCE-56 ADMM bus subproblems, cold, ours beside CVXOPT (iteration counts)
    name: 'conic-admm-buses', issue: 2, module: './conicAdmmBuses.js', exportName: 'runConicAdmmBusesBench',
    target: 'no target of its own (iterations against CVXOPT)', toLines: informational('conic-admm-buses'),
  },
  {
    name: 'conic-bus-cvxopt', issue: 2, module: './conicBusCvxopt.js', exportName: 'runConicBusCvxoptBench',
    target: 'no target of its own (iterations against CVXOPT)', toLines: informational('conic-bus-cvxopt'),
  },
  {
    // informational: seeded random feasible, infeasible and unbounded problems, statuses counted
    name: 'conic-random', issue: 2, module: './conicRandom.js', exportName: 'runConicRandomBench',
    target: 'every problem ends with its expected status', toLines: informational('conic-random'),
  },
  { name: 'conic-stress', issue: 2, module: './conicStress.js', exportName: 'runConicStressBench', target: 'no target of its own (stress families against known optima, KKT and certificate checks; CVXOPT beside)', toLines: informational('conic-stress') },
  {
    name: 'admm', issue: 4, module: './admm.bench.js', exportName: 'runAdmmBench', target: admmTarget,
    calls: [
      { case: 'admm/sce56-paper/defaults', argument: { cases: ['defaults'] }, target: admmTarget },
      { case: 'admm/sce56-paper/paper-settings', argument: { cases: ['paper-settings'] }, target: null },
      { case: 'admm/case33bw', argument: { cases: ['case33bw', 'case33bw-lindistflow'] }, target: null },
      { case: 'admm/case69', argument: { cases: ['case69', 'case69-lindistflow'] }, target: null },
    ],
    toLines: (rows) => rows.map((row) => {
      const { bench: _bench, case: name, ...metrics } = row;
      if (String(name).endsWith('/defaults')) {
        const met = row.status === 'converged' && num(row, 'iterations') <= 50 && Math.abs(num(row, 'costGapPercent')) <= 0.01 && num(row, 'maxDlmpDiffPercent') <= 0.5 && num(row, 'msPerIteration') <= 30;
        return { case: `admm/${String(name)}`, ...metrics, target: admmTarget, met };
      }
      // the paper's own settings, reported side by side (issue 4), with no target of their own
      return { case: `admm/${String(name)}`, ...metrics, target: null, met: null };
    }),
  },
  {
    // informational: ADMM started from the central optimum's z (an oracle), to tell z^0 from the duals
    name: 'admm-central-start', issue: 4, module: './admmCentralStart.js', exportName: 'runAdmmCentralStartBench',
    target: 'no target of its own (where the iterations go)', toLines: informational('admm-central-start'),
  },
  {
    name: 'admm-accel', issue: 4, module: './admmAccel.js', exportName: 'runAdmmAccelBench',
    target: 'no target of its own (acceleration by public offsets, off by default)', toLines: informational('admm-accel'),
  },
  {
    name: 'gas', issue: 5, module: './gas.bench.js', exportName: 'runGasBench', target: gasTarget,
    toLines: (rows) => {
      const gas = rows.map((r) => num(r, 'gasPerIteration'));
      const txs = rows.map((r) => num(r, 'transactionsPerIteration'));
      const ms = rows.map((r) => num(r, 'msPerIteration'));
      const largestTx = rows.map((r) => num(r, 'largestTransactionGas'));
      const sortedMs = [...ms].sort((a, b) => a - b);
      const medianMs = sortedMs[Math.floor((sortedMs.length - 1) / 2)]!;
      const line = {
        case: 'gas/sce56x24-iteration',
        layout: rows[0]?.layout,
        globalValues: rows[0]?.globalValues,
        localValues: rows[0]?.localValues,
        iterations: rows.length,
        gasPerIterationMax: Math.max(...gas),
        gasPerIteration: gas,
        estimatedGasPerIteration: rows[0]?.estimatedGasPerIteration,
        finalizeScheduleGas: rows[0]?.finalizeScheduleGas,
        transactionsPerIterationMax: Math.max(...txs),
        largestTransactionGas: Math.max(...largestTx),
        payloadBytes: rows[0]?.payloadBytes,
        msPerIterationMedian: medianMs,
        msPerIteration: ms,
        // the split and CPU time per iteration (bench/gas.bench.ts), medians
        ...Object.fromEntries(['signingThreads', 'signMs', 'calldataMs', 'sendMs', 'clientCpuMs', 'nodeCpuMs'].map((k) => [k, rows.map((r) => num(r, k)).sort((a, b) => a - b)[Math.floor((rows.length - 1) / 2)]])),
      };
      return [{ ...line, target: gasTarget, met: rows.length > 0 && Math.max(...gas) <= 6_000_000 && Math.max(...txs) === 1 && medianMs <= 150 }];
    },
  },
  {
    name: 'gas-model', issue: 5, module: './gasModel.bench.js', exportName: 'runGasModelBench',
    target: 'no target of its own (the chunking gas estimate against measured chunks)', toLines: informational('gas-model'),
  },
  {
    name: 'billing', issue: 5, module: './billing.bench.js', exportName: 'runBillingBench', target: billingTarget,
    toLines: (rows) => rows.map((row) => {
      const { bench: name, goal: _goal, meetsGoal: _meets, ...metrics } = row;
      return { case: `billing/${String(name).replace(/^billing\./, '')}`, ...metrics, target: billingTarget, met: num(row, 'gasMean') <= 150_000 };
    }),
  },
  {
    name: 'end-to-end', issue: 6, module: './endToEnd.bench.js', exportName: 'runEndToEndBench', target: endToEndTarget,
    toLines: (rows) => rows.map((row, k) => {
      if ('met' in row && 'target' in row) return { ...row, case: `end-to-end/${String(row.case ?? k)}`, target: row.target as string | null, met: row.met as boolean | null };
      const wallMs = num(row, 'wallMs');
      const ratio = num(row, 'ratioToOffChain');
      const evaluated = Number.isFinite(wallMs) && Number.isFinite(ratio);
      const { case: name, bench: _bench, ...metrics } = row;
      return {
        case: `end-to-end/${String(name ?? k)}`, ...metrics, target: endToEndTarget,
        // a run stopped by its iteration cap has not shown the day end to end
        met: evaluated ? row.status === 'converged' && wallMs <= 30_000 && ratio <= 3 : false,
        ...(evaluated ? {} : { targetNotEvaluated: 'the row has no wallMs / ratioToOffChain numbers (or its own target and met)' }),
      };
    }),
  },
];

/** A group still running after this long gives an error line and the harness moves on. */
const defaultTimeoutSeconds = 1200;

interface HarnessArgs {
  only: string[] | null;
  list: boolean;
  timeoutSeconds: number;
}

function parseArgs(argv: string[]): HarnessArgs {
  let only: string[] | null = null;
  let list = false;
  let timeoutSeconds = defaultTimeoutSeconds;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    if (arg === '--list') list = true;
    else if (arg === '--timeout') {
      timeoutSeconds = Number(argv[++k]);
      if (!(timeoutSeconds > 0)) throw new UsageError('--timeout needs a number of seconds per case, e.g. --timeout 600');
    }
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++k] : arg.slice('--only='.length);
      if (!value) throw new UsageError('--only needs a list of case names, e.g. --only central-opf,opf-cvxopt');
      only = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    } else throw new UsageError(`unknown argument '${arg}'; use --list, --only NAME[,NAME] or --timeout SECONDS`);
  }
  const known = new Set(benchGroups.map((g) => g.name));
  const unknown = (only ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UsageError(`unknown case '${unknown.join("', '")}' in --only; known: ${[...known].join(', ')}`);
  return { only, list, timeoutSeconds };
}

/** Rejects after `seconds` unless `work` settles first (synchronous work cannot be cut short). */
function withTimeout<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds} s (--timeout)`)), seconds * 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

class UsageError extends Error {}

/** JSON with bigint as a decimal string (chain benches may hand back gas as bigint). */
function printLine(line: CaseLine): void {
  process.stdout.write(`${JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
}

function isMissingModule(error: unknown, module: string): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(module.replace('./', '/'));
}

async function runGroup(group: BenchGroup): Promise<CaseLine[]> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(group.module)) as Record<string, unknown>;
  } catch (error) {
    if (isMissingModule(error, group.module)) {
      return [{ case: group.name, issue: group.issue, skipped: `bench/${group.module.slice(2).replace(/\.js$/, '.ts')} has not landed`, target: group.target, met: false }];
    }
    throw error;
  }
  const run = loaded[group.exportName];
  if (typeof run !== 'function') {
    return [{ case: group.name, issue: group.issue, skipped: `${group.module} does not export ${group.exportName}()`, target: group.target, met: false }];
  }
  const calls = group.calls ?? [{ case: group.name, argument: undefined, target: group.target }];
  const lines: CaseLine[] = [];
  for (const call of calls) {
    try {
      const rows = (await (run as (argument: unknown) => Promise<unknown>)(call.argument)) as unknown;
      if (!Array.isArray(rows) || rows.length === 0) throw new Error(`${group.exportName}() returned no rows`);
      lines.push(...group.toLines(rows as Row[]));
    } catch (error) {
      if (calls.length === 1) throw error;
      const e = error as Error;
      process.stderr.write(`${e?.stack ?? String(error)}\n`);
      lines.push({ case: call.case, error: e?.message ?? String(error), target: call.target, met: call.target === null ? null : false });
    }
  }
  return lines.map(({ case: name, ...rest }) => ({ case: name, issue: group.issue, ...rest }) as CaseLine);
}

async function main(): Promise<number> {
  let args: HarnessArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.list) {
    for (const g of benchGroups) process.stdout.write(`${g.name.padEnd(14)} issue ${g.issue}  ${g.target}\n`);
    return 0;
  }
  const groups = benchGroups.filter((g) => args.only === null || args.only.includes(g.name));
  const started = performance.now();
  for (const [k, group] of groups.entries()) {
    process.stderr.write(`[${k + 1}/${groups.length}] ${group.name} …\n`);
    const t0 = performance.now();
    let lines: CaseLine[];
    try {
      lines = await withTimeout(runGroup(group), args.timeoutSeconds, group.name);
    } catch (error) {
      const e = error as Error;
      lines = [{ case: group.name, issue: group.issue, error: e?.message ?? String(error), target: group.target, met: false }];
      process.stderr.write(`${e?.stack ?? String(error)}\n`);
    }
    for (const line of lines) printLine(line);
    const state = lines.some((l) => 'error' in l) ? 'failed' : lines.some((l) => 'skipped' in l) ? 'skipped' : 'done';
    process.stderr.write(`[${k + 1}/${groups.length}] ${group.name} ${state} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  process.stderr.write(`bench: ${groups.length} groups in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

// exit explicitly: a bench that leaves a handle open (a worker, a socket) must not hang the harness
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: harness failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
