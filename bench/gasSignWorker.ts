/**
 * Worker thread of the gas bench: signs the LocalVector chunks of its share of the buses, as the
 * bus agents do on their own worker threads in a run (src/pipeline/launchAgents.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Address, Hex } from 'viem';
import { agentAccount } from '../src/chain/clients.js';
import { signLocalCopy } from '../src/chain/actions/signLocalCopy.js';

export interface GasSignWorkerData { chainId: number; coordinator: Address; buses: number[] }
export interface GasSignRequest { iteration: bigint; chunk: number; values: bigint[][] }

const { chainId, coordinator, buses } = workerData as GasSignWorkerData;
const accounts = buses.map((b) => agentAccount(b));
parentPort!.on('message', (request: GasSignRequest) => {
  void Promise.all(buses.map(async (bus, i) => (await signLocalCopy({
    account: accounts[i]!, chainId, coordinator, iteration: request.iteration, bus, chunk: request.chunk, values: request.values[i]!,
  })).signature)).then((signatures: Hex[]) => parentPort!.postMessage(signatures));
});
parentPort!.postMessage('ready');
