/**
 * Starts a local Anvil node (the binary shipped in @foundry-rs/anvil's platform package) on a
 * free loopback port and stops it again; nodes still running when the process exits are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { GridError } from '../../core/errors.js';
import { testMnemonic } from '../testMnemonic.js';

export interface AnvilOptions {
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** Enforce the EIP-7825 per-transaction cap of 16,777,216 gas (default true: design to fit it). */
  enforceTxGasLimit?: boolean;
  /** Block gas limit (default 1,000,000,000 so a burst of large transactions never waits). */
  blockGasLimit?: bigint;
  /** Funded dev accounts derived from the mnemonic (default 64: one per bus of SCE-56 and spares). */
  accounts?: number;
  mnemonic?: string;
  /** Seconds between blocks; omitted = automine (one block per transaction). */
  blockTime?: number;
  chainId?: number;
  /** Startup timeout in milliseconds (default 20,000). */
  timeoutMs?: number;
}

export interface AnvilNode {
  rpcUrl: string;
  port: number;
  /** Process id of the node (benchmarks read its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => { for (const c of running) c.kill('SIGKILL'); running.clear(); };
  process.on('exit', killAll);
  // A signal skips the 'exit' event: kill the nodes, then let the signal's default action run.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => { killAll(); process.kill(process.pid, signal); });
  }
}

/** Path of the anvil executable for this platform, from the installed npm package. */
export function anvilBinaryPath(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    const bin = join(dir, 'bin', exe);
    if (existsSync(bin)) return bin;
  } catch { /* reported below */ }
  throw new GridError(`the Anvil binary for ${process.platform}-${process.arch} is not installed`, {
    field: pkg,
    fix: [
      'run npm install (it installs the platform package as an optional dependency of @foundry-rs/anvil)',
      'supported platforms: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64',
    ],
  });
}

/** A currently free TCP port on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function rpcReady(rpcUrl: string): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Spawns Anvil and resolves once it answers JSON-RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const bin = anvilBinaryPath();
  const fixedPort = options.port !== undefined && options.port !== 0;
  let lastError = '';
  for (let attempt = 0; attempt < (fixedPort ? 1 : 3); attempt++) {
    const port = fixedPort ? options.port! : await freeLoopbackPort();
    const args = [
      '--host', '127.0.0.1', '--port', String(port), '--silent',
      '--accounts', String(options.accounts ?? 64),
      '--mnemonic', options.mnemonic ?? testMnemonic,
      '--gas-limit', String(options.blockGasLimit ?? 1_000_000_000n),
      '--chain-id', String(options.chainId ?? 31337),
    ];
    if (options.enforceTxGasLimit ?? true) args.push('--enable-tx-gas-limit');
    if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime));
    installExitHook();
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    let exited = false;
    const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; running.delete(child); resolve(); }));
    child.unref();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    const rpcUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    while (!exited && Date.now() < deadline) {
      if (await rpcReady(rpcUrl)) {
        const stop = async () => {
          if (exited) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exitedPromise;
          clearTimeout(timer);
        };
        return { rpcUrl, port, pid: child.pid!, stop };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!exited) { child.kill('SIGKILL'); await exitedPromise; }
    lastError = stderr.trim() || `no answer on ${rpcUrl}`;
    if (!/address already in use/i.test(lastError)) break;
  }
  throw new GridError(`Anvil did not start: ${lastError.split('\n')[0]}`, {
    field: 'anvil',
    details: lastError.split('\n').slice(1, 6),
    fix: ['check that the port is free and the binary runs: node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil --version'],
    exitCode: 69,
  });
}
