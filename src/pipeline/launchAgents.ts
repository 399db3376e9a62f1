/**
 * Starts the bus agents of a run: on worker threads (default; buses dealt round-robin, each agent
 * with its own key and only its bus's devices), or each as its own OS process running
 * `gridconsensus agent` (what `--processes` does, and what an agent elsewhere runs by hand).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Address } from 'viem';
import { GridError } from '../core/errors.js';
import type { Scenario } from '../scenario/types.js';
import type { AdmmOptions } from '../solve/admm/admmOptions.js';
import type { BusAgentResult, BusAgentSettings } from '../agents/busAgent.js';
import type { AgentWorkerData, AgentWorkerMessage, AgentWorkerStart } from '../agents/agentWorker.js';
import { accountIndex } from '../agents/agentKeys.js';
import { privateScenarioView } from '../agents/busAgentSettings.js';
import type { VectorInbox } from '../agents/vectorInbox.js';

/** Running agents: `done` settles when every agent has stopped (rejects on the first failure). */
export interface LaunchedAgents {
  done: Promise<void>;
  /** Stops every agent (workers terminated, processes killed). */
  stop(): Promise<void>;
  /** Per bus, the OS process when run with `--processes` (tests kill and restart them). */
  processes: Map<number, ChildProcess>;
  /** Kills bus `bus`'s process (SIGKILL) as a simulated crash; the run waits for a restart. */
  kill(bus: number): void;
  /** Starts bus `bus`'s process again (processes mode). */
  restart(bus: number): void;
}

export interface LaunchCommon {
  rpcUrl: string;
  chainId: number;
  coordinator: Address;
  inboxUrl: string;
  mnemonic: string;
  maxIterations: number;
  solverModule: string;
  /** How long an agent waits through a quiet chain before it stops (default 10 min; docs/run.md §Stalls). */
  stallTimeoutMs?: number;
}

/** Where started agents connect (known once the chain is up and the coordinator deployed). */
export type AgentEndpoints = Pick<LaunchCommon, 'rpcUrl' | 'chainId' | 'coordinator' | 'inboxUrl'>;

/** Agent threads started ahead of the chain: they load their code and keys, then wait for `start`. */
export interface PreparedAgentThreads {
  start(endpoints: AgentEndpoints): LaunchedAgents;
  /** Terminates the workers (a run that fails before starting them). */
  stop(): Promise<void>;
}

/**
 * Starts the worker threads before the chain exists, so that loading their code and deriving
 * their keys overlaps Anvil's start and the deployment; `start` hands them the endpoints.
 * `inbox`: the poster's inbox when it runs in this process; the workers then hand it their
 * vectors as thread messages (otherwise they post to `inboxUrl`).
 */
export function prepareAgentThreads(o: Omit<LaunchCommon, keyof AgentEndpoints> & {
  scenario: Scenario; settings: BusAgentSettings[]; workers: number; inbox?: Pick<VectorInbox, 'putVector' | 'putFinal'>;
}): PreparedAgentThreads {
  const n = o.scenario.buses.length;
  const count = Math.max(1, Math.min(o.workers, n));
  const groups: number[][] = Array.from({ length: count }, () => []);
  for (let b = 0; b < n; b++) groups[b % count]!.push(b);
  const workers = groups.map((buses) => {
    const data: AgentWorkerData = {
      parentInbox: o.inbox !== undefined, solverModule: o.solverModule,
      maxIterations: o.maxIterations,
      ...(o.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: o.stallTimeoutMs }),
      agents: buses.map((bus) => ({
        bus, key: { mnemonic: o.mnemonic, index: accountIndex.bus(bus) }, scenario: privateScenarioView(o.scenario, bus), settings: o.settings[bus]!,
      })),
    };
    return new Worker(new URL('../agents/agentWorker.js', import.meta.url), { workerData: data });
  });
  const done = Promise.all(workers.map((w, i) => new Promise<BusAgentResult[]>((resolve, reject) => {
    w.on('message', (m: AgentWorkerMessage) => {
      try {
        if (m.type === 'vector') o.inbox!.putVector(m.vector);
        else if (m.type === 'final') o.inbox!.putFinal(m.final);
      } catch (err) {
        reject(err);
      }
      if (m.type === 'vector' || m.type === 'final') return;
      if (m.type === 'done') resolve(m.results);
      else reject(new GridError(`bus agents ${groups[i]!.join(', ')} stopped: ${m.message}`, { field: 'agents', exitCode: 3, details: m.stack ? [m.stack] : [] }));
    });
    w.on('error', reject);
    w.on('exit', (code) => { if (code !== 0) reject(new GridError(`an agent worker exited with code ${code}`, { field: 'agents', exitCode: 3 })); });
  }))).then(() => undefined);
  done.catch(() => {}); // observed through start().done
  const stop = async () => { await Promise.all(workers.map((w) => w.terminate())); };
  return {
    stop,
    start: (endpoints) => {
      for (const w of workers) w.postMessage({ type: 'start', ...endpoints } satisfies AgentWorkerStart);
      return {
        done,
        stop,
        processes: new Map(),
        kill: () => { throw new GridError('agents on worker threads cannot be killed one by one', { field: 'kill', fix: ['run with --processes'] }); },
        restart: () => { throw new GridError('agents on worker threads cannot be restarted one by one', { field: 'restart', fix: ['run with --processes'] }); },
      };
    },
  };
}

/** The CLI entry (build/<x>/src/cli/main.js next to this file's build). */
export const cliMainPath = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** `gridconsensus agent ...` arguments for bus `bus`. */
export function agentCommandArgs(o: LaunchCommon & { bus: number; scenarioSource: string; seed?: number; admm: AdmmOptions }): string[] {
  const admm = JSON.stringify(Object.fromEntries(Object.entries(o.admm).filter(([k]) => k !== 'onIteration')));
  return [
    cliMainPath, 'agent', '--bus', String(o.bus), '--rpc-url', o.rpcUrl, '--coordinator', o.coordinator,
    '--mnemonic', o.mnemonic, '--account-index', String(accountIndex.bus(o.bus)), '--scenario', o.scenarioSource,
    '--inbox', o.inboxUrl, '--max-iter', String(o.maxIterations), '--admm-options', admm, '--quiet',
    ...(o.seed === undefined ? [] : ['--seed', String(o.seed)]),
    ...(o.stallTimeoutMs === undefined ? [] : ['--stall-timeout', String(o.stallTimeoutMs / 1000)]),
  ];
}

export function launchAgentProcesses(o: LaunchCommon & { busCount: number; scenarioSource: string; seed?: number; admm: AdmmOptions }): LaunchedAgents {
  const processes = new Map<number, ChildProcess>();
  const settled = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
  const crashedOnPurpose = new Set<ChildProcess>();
  const outcomes = Array.from({ length: o.busCount }, (_, bus) => new Promise<void>((resolve, reject) => settled.set(bus, { resolve, reject })));
  const start = (bus: number) => {
    const child = spawn(process.execPath, agentCommandArgs({ ...o, bus }), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    processes.set(bus, child);
    child.on('exit', (code, signal) => {
      if (processes.get(bus) !== child) return; // replaced by a restart
      if (code === 0) settled.get(bus)!.resolve();
      else if (!crashedOnPurpose.has(child)) settled.get(bus)!.reject(new GridError(`the agent process of bus ${bus} exited with ${signal ?? `code ${code}`}`, { field: 'agents', details: [stderr.trim()], exitCode: 3 }));
    });
  };
  for (let b = 0; b < o.busCount; b++) start(b);
  return {
    done: Promise.all(outcomes).then(() => undefined),
    stop: async () => {
      for (const c of processes.values()) {
        if (c.exitCode !== null || c.signalCode !== null) continue;
        crashedOnPurpose.add(c);
        c.kill('SIGKILL');
      }
    },
    processes,
    kill: (bus) => {
      const child = processes.get(bus);
      if (!child) throw new GridError(`bus ${bus} has no agent process`, { field: 'bus', fix: [`use 0 .. ${o.busCount - 1}`] });
      crashedOnPurpose.add(child);
      child.kill('SIGKILL');
    },
    restart: start,
  };
}
