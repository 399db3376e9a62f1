/**
 * findDeployedBilling on a real Anvil: S1 deployed and registered the way runDay does it, then
 * the token and Billing, never bound. The finder returns nothing before Billing exists, then that
 * Billing; a Billing deployed before S1 and one after a later coordinator are not it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { getAddress, type Address } from 'viem';
import { startAnvil, type AnvilNode } from '../../src/chain/node/startAnvil.js';
import { agentAccount, createChainClients, type ChainClients } from '../../src/chain/clients.js';
import { deployAdmmCoordinator } from '../../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../../src/chain/actions/registerBuses.js';
import { syntheticProblem, testParams } from '../../src/chain/syntheticConsensus.js';
import { deployBilling } from '../../src/settlement/actions/deployBilling.js';
import { deployGridToken } from '../../src/settlement/actions/deployGridToken.js';
import { findDeployedBilling } from '../../src/settlement/actions/findDeployedBilling.js';
import type { BillingRule } from '../../src/settlement/types.js';

const S = 1_000_000_000n;
const rule: BillingRule = { periods: 2, periodHoursNano: S, penaltyRateNano: 10n * S, maxAbsEnergy: 1_000_000n * S };
const operator = agentAccount(40);
const { layout } = syntheticProblem(3, 2, 5);
const busAccounts = layout.copyMap.map((_, b) => agentAccount(b));
let node: AnvilNode;
let clients: ChainClients;
before(async () => { node = await startAnvil(); clients = createChainClients(node.rpcUrl); });
after(async () => { await node?.stop(); });

/** S1 deployed and its buses registered by the operator; returns its address and deployment block. */
async function deployCoordinator(): Promise<{ coordinator: Address; coordinatorDeployBlock: bigint }> {
  const d = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams, periodsPerChunk: 2 });
  await registerBuses({ clients, account: operator, address: d.address, layout, accounts: busAccounts.map((a) => a.address) });
  return { coordinator: d.address, coordinatorDeployBlock: d.blockNumber };
}

test('finds the unbound Billing the operator deployed after S1, and none before it exists', { timeout: 120_000 }, async () => {
  const wallet = clients.walletFor(operator);
  const find = (s1: { coordinator: Address; coordinatorDeployBlock: bigint }) =>
    findDeployedBilling({ client: clients.publicClient, operator: operator.address, ...s1 });
  // An earlier day's Billing (before S1) is not this run's.
  await deployBilling(wallet, { token: await deployGridToken(wallet), rule });
  const s1 = await deployCoordinator();
  assert.equal(await find(s1), null, 'no Billing yet (the crash came before deployBilling)');

  const token = await deployGridToken(wallet);
  const billing = await deployBilling(wallet, { token, rule });
  const found = await find(s1);
  assert.equal(found?.address, billing);
  assert.equal(found?.token, getAddress(token));
  assert.equal(found?.scanned, 3, 'register, token, Billing');

  // A later run: its S1 stops the scan for the first run; its own Billing is found from its S1.
  const later = await deployCoordinator();
  const laterBilling = await deployBilling(wallet, { token, rule });
  assert.equal((await find(s1))?.address, billing);
  assert.equal((await find(later))?.address, laterBilling);
  // A Billing deployed by someone else is never the operator's.
  assert.equal(await findDeployedBilling({ client: clients.publicClient, operator: agentAccount(41).address, ...later }), null);
});
