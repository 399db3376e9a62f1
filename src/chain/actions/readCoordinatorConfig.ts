/**
 * What a coordinator was deployed and registered with, read from its events: the coupling
 * layout (rebuilt from the parent array), chunking, fixed-point parameters, bus accounts and
 * initial z. Everything an agent or verifier needs besides the per-iteration state.
 */
import { hexToBytes, type Address, type Chain, type Client, type Transport } from 'viem';
import { getContractEvents } from 'viem/actions';
import { GridError } from '../../core/errors.js';
import { buildCouplingLayout, type CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';
import { unpackInt64 } from '../fixedPoint.js';
import type { FixedPointParams } from '../fixedPointCoordinator.js';

export interface CoordinatorConfig {
  address: Address;
  layout: CouplingLayout;
  periodsPerChunk: number;
  chunkCount: number;
  /** Fixed-point parameters (scale 1e9) including the initial rho. */
  params: FixedPointParams & { rho0: bigint };
  /** Bus accounts (index = bus); empty before registerBuses. */
  accounts: Address[];
  /** The initial z (global order entry · T + t); empty before registerBuses. */
  initialZ: bigint[];
  /** Block of the deployment (a good `fromBlock` for every later event query). */
  deployBlock: bigint;
}

/** Reads the CoordinatorDeployed and BusesRegistered events of the coordinator at `address`. */
export async function readCoordinatorConfig(client: Client<Transport, Chain>, address: Address, fromBlock = 0n): Promise<CoordinatorConfig> {
  const [deployed] = await getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'CoordinatorDeployed', fromBlock, strict: true });
  if (!deployed) {
    throw new GridError(`no AdmmCoordinator deployment found at ${address} from block ${fromBlock}`, {
      field: 'coordinator', fix: ['give the address printed by deploy, and a fromBlock at or before its deployment'],
    });
  }
  const { parents, periods, periodsPerChunk, params } = deployed.args;
  const deployBlock = deployed.blockNumber;
  const layout = buildCouplingLayout(parents.map((p, k) => (k === 0 ? -1 : p)), Number(periods));
  const [registered] = await getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'BusesRegistered', fromBlock: deployBlock, strict: true });
  return {
    address,
    layout,
    periodsPerChunk: Number(periodsPerChunk),
    chunkCount: Math.ceil(Number(periods) / Number(periodsPerChunk)),
    params: { ...params },
    accounts: registered ? [...registered.args.accounts] : [],
    initialZ: registered ? unpackInt64(hexToBytes(registered.args.initialZ), 'initialZ') : [],
    deployBlock,
  };
}
