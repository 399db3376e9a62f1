/**
 * Test support: commit a day's final schedule on the real AdmmCoordinator (S1) so Billing can
 * bind the day. The ADMM run is trivial on purpose: every bus reports the initial z as its local
 * copy, so the first coordinator step has zero residuals and converges; then every bus signs
 * its FinalSlice and the schedule root is committed; the proofs come from buildScheduleTree.
 */
import { concat, type HDAccount, type Hex } from 'viem';
import { buildCouplingLayout } from '../../src/model/coupling/couplingLayout.js';
import type { ChainClients } from '../../src/chain/clients.js';
import { deployAdmmCoordinator } from '../../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../../src/chain/actions/registerBuses.js';
import { sendCoordinatorTransaction } from '../../src/chain/actions/sendCoordinatorTransaction.js';
import { coordinatorDomainName, signLocalCopy } from '../../src/chain/actions/signLocalCopy.js';
import { submitIteration } from '../../src/chain/actions/submitIteration.js';
import { chunkLocalVector, initialFixedPointState } from '../../src/chain/fixedPointCoordinator.js';
import { testParams } from '../../src/chain/syntheticConsensus.js';
import { buildScheduleTree } from '../../src/settlement/actions/scheduleTree.js';
import type { ScheduleSlice } from '../../src/settlement/types.js';

export interface FinalDay {
  /** The AdmmCoordinator holding the final root (Billing.bindDay's source). */
  coordinator: `0x${string}`;
  root: Hex;
  proof(bus: number): Hex[];
}

const finalSliceTypes = {
  FinalSlice: [
    { name: 'bus', type: 'uint16' },
    { name: 'netInjection', type: 'int64[]' },
    { name: 'dlmp', type: 'int64[]' },
  ],
} as const;

/**
 * Run S1 to a final schedule whose leaves are `slices` (bus b at index b; participant = the bus
 * account, which must be `busAccounts[b]`). `finalize: false` stops before the root is committed.
 */
export async function finalScheduleDay(o: {
  clients: ChainClients;
  operator: HDAccount;
  busAccounts: readonly HDAccount[];
  slices: readonly ScheduleSlice[];
  finalize?: boolean;
}): Promise<FinalDay> {
  const { clients, operator, slices } = o;
  const periods = slices[0]!.netInjection.length;
  // A chain feeder: bus k hangs below bus k − 1.
  const layout = buildCouplingLayout(slices.map((_, k) => k - 1), periods);
  const { address } = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams, periodsPerChunk: periods });
  await registerBuses({ clients, account: operator, address, layout, accounts: o.busAccounts.map((a) => a.address) });
  const state = initialFixedPointState(layout, testParams.rho0);
  const localVectors = layout.copyMap.map((map) => Array.from(map, (g) => state.z[g]!));
  const range: [number, number] = [0, periods];
  const signatures = await Promise.all(localVectors.map(async (v, b) => (await signLocalCopy({
    account: o.busAccounts[b]!, chainId: clients.chain.id, coordinator: address, iteration: 0n, bus: b, chunk: 0,
    values: chunkLocalVector(layout, b, v, range),
  })).signature));
  await submitIteration({ clients, account: operator, address, layout, periodsPerChunk: periods, chunk: 0, iteration: 0n, localVectors, state, signatures });
  const tree = buildScheduleTree(slices);
  const day: FinalDay = { coordinator: address, root: tree.root, proof: (bus) => tree.proof(bus) };
  if (o.finalize === false) return day;
  const sliceSignatures = await Promise.all(slices.map((s, b) => o.busAccounts[b]!.signTypedData({
    domain: { name: coordinatorDomainName, version: '1', chainId: clients.chain.id, verifyingContract: address },
    types: finalSliceTypes,
    primaryType: 'FinalSlice',
    message: { bus: s.bus, netInjection: [...s.netInjection], dlmp: [...s.dlmp] },
  })));
  await sendCoordinatorTransaction({
    clients, account: operator, address, functionName: 'finalizeSchedule',
    args: [slices.map((s) => ({ bus: s.bus, participant: s.participant, netInjection: [...s.netInjection], dlmp: [...s.dlmp] })), concat(sliceSignatures)],
  });
  return day;
}
