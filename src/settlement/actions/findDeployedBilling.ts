/**
 * The Billing contract a run's operator deployed after its coordinator (S1) but never bound a day
 * on: what a run that crashed between deployBilling and bindDay left behind. Found from chain data
 * alone: the operator's CREATE addresses (sender, nonce) after S1's deployment nonce, keeping the
 * first whose runtime code is exactly what Billing's constructor returns there (immutables included).
 */
import { encodeDeployData, getContractAddress, isAddressEqual, type Address, type Chain, type Client, type Hex, type Transport } from 'viem';
import { call, getBlock, getCode, getContractEvents, getTransactionCount, readContract } from 'viem/actions';
import type { BillingRule } from '../types.js';
import { GridError } from '../../core/errors.js';
import { admmCoordinatorAbi } from '../../chain/artifacts/AdmmCoordinator.js';
import { billingAbi, billingBytecode } from '../../chain/artifacts/Billing.js';

export interface FindDeployedBillingOptions {
  client: Client<Transport, Chain>;
  /** The coordinator (S1) whose run deployed the Billing. */
  coordinator: Address;
  /** Block of S1's deployment (CoordinatorConfig.deployBlock). */
  coordinatorDeployBlock: bigint;
  /** The run's operator: it deploys S1, the token and Billing. */
  operator: Address;
  /** Operator nonces looked at after S1's (runDay deploys Billing within the first few); default 256. */
  maxNonces?: number;
}

export interface DeployedBilling {
  /** Lowercase, as receipts and logs spell it. */
  address: Address;
  token: Address;
  /** Its settlement rule, as its constructor got it. */
  rule: BillingRule;
  /** The operator nonce that created it. */
  nonce: number;
  /** Addresses looked at (one eth_getCode each; contracts cost six more reads). */
  scanned: number;
}

/**
 * Scans the operator's nonces after S1's deployment: an address without code is a plain
 * transaction (skipped), a Billing already bound to a day belongs to another run (skipped), a later
 * AdmmCoordinator starts another run (the scan stops there). Returns null when none is found.
 * @throws GridError when the node cannot answer an eth_call with a state override.
 */
export async function findDeployedBilling(o: FindDeployedBillingOptions): Promise<DeployedBilling | null> {
  const { client, operator } = o;
  const first = await nonceAfterCoordinator(o);
  const sent = await getTransactionCount(client, { address: operator, blockTag: 'latest' });
  const end = Math.min(sent, first + (o.maxNonces ?? 256));
  let scanned = 0;
  for (let nonce = first; nonce < end; nonce++) {
    const address = getContractAddress({ from: operator, nonce: BigInt(nonce) });
    scanned++;
    const code = await getCode(client, { address });
    if (!code || code === '0x') continue;
    const found = await billingArgs(client, address, code, operator, nonce);
    if (found) {
      if (await boundElsewhere(client, address, o.coordinator, o.coordinatorDeployBlock)) continue;
      const [token, periods, periodHoursNano, penaltyRateNano, maxAbsEnergy] = found;
      return { address: address.toLowerCase() as Address, token, rule: { periods: Number(periods), periodHoursNano, penaltyRateNano, maxAbsEnergy }, nonce, scanned };
    }
    if (await isCoordinator(client, address)) break;
  }
  return null;
}

/** The operator's first nonce after S1: S1's creating transaction in its block, else the nonce at the end of that block. */
async function nonceAfterCoordinator(o: FindDeployedBillingOptions): Promise<number> {
  const block = await getBlock(o.client, { blockNumber: o.coordinatorDeployBlock, includeTransactions: true });
  const creation = block.transactions.find((tx) => tx.to === null && isAddressEqual(tx.from, o.operator)
    && isAddressEqual(getContractAddress({ from: tx.from, nonce: BigInt(tx.nonce) }), o.coordinator));
  if (creation) return creation.nonce + 1;
  // S1 came from another account or a factory: everything the operator sent after S1's block.
  return getTransactionCount(o.client, { address: o.operator, blockNumber: o.coordinatorDeployBlock });
}

/**
 * The Billing's constructor arguments (token, then the rule) when `address` holds exactly the runtime code Billing's constructor returns
 * for its own arguments, sent by `operator` at `nonce` (an eth_call of the deployment with the
 * operator's nonce set to `nonce` and the address emptied, so address(this) and the EIP-712 domain
 * immutables match); null otherwise.
 */
async function billingArgs(client: Client<Transport, Chain>, address: Address, code: Hex, operator: Address, nonce: number): Promise<[Address, bigint, bigint, bigint, bigint] | null> {
  const read = <F extends 'token' | 'operator' | 'periods' | 'periodHoursNano' | 'penaltyRateNano' | 'maxAbsEnergy'>(functionName: F) =>
    readContract(client, { address, abi: billingAbi, functionName } as never) as Promise<F extends 'token' | 'operator' ? Address : bigint>;
  let args: [Address, bigint, bigint, bigint, bigint];
  try {
    const [token, deployer, periods, periodHoursNano, penaltyRateNano, maxAbsEnergy] = await Promise.all([
      read('token'), read('operator'), read('periods'), read('periodHoursNano'), read('penaltyRateNano'), read('maxAbsEnergy'),
    ]);
    if (!isAddressEqual(deployer, operator)) return null;
    args = [token, periods, periodHoursNano, penaltyRateNano, maxAbsEnergy];
  } catch {
    return null; // not Billing's getters: another contract (the token, a coordinator)
  }
  let runtime: Hex | undefined;
  try {
    ({ data: runtime } = await call(client, {
      account: operator,
      data: encodeDeployData({ abi: billingAbi, bytecode: billingBytecode, args }),
      stateOverride: [{ address: operator, nonce }, { address, code: '0x', nonce: 0, state: [] }],
    }));
  } catch (cause) {
    throw new GridError(`the node cannot simulate Billing's deployment to compare it with the code at ${address}`, {
      field: '--rpc-url', fix: ['use a node whose eth_call takes a state override (Anvil, Geth, Erigon, Nethermind), or pass --billing'], cause,
    });
  }
  return runtime?.toLowerCase() === code.toLowerCase() ? args : null;
}

/** True when the Billing has bound a day to a source other than `coordinator` (another run's). */
async function boundElsewhere(client: Client<Transport, Chain>, billing: Address, coordinator: Address, fromBlock: bigint): Promise<boolean> {
  const bound = await getContractEvents(client, { address: billing, abi: billingAbi, eventName: 'DayBound', fromBlock, strict: true });
  return bound.some((e) => !isAddressEqual(e.args.source, coordinator));
}

/** True when `address` answers AdmmCoordinator's layout getters (a later run's S1). */
async function isCoordinator(client: Client<Transport, Chain>, address: Address): Promise<boolean> {
  try {
    await Promise.all([
      readContract(client, { address, abi: admmCoordinatorAbi, functionName: 'busCount' }),
      readContract(client, { address, abi: admmCoordinatorAbi, functionName: 'totalCopies' }),
    ]);
    return true;
  } catch {
    return false;
  }
}
