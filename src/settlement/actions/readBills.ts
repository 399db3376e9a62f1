import type { Chain, Client, Transport } from 'viem';
import { getContractEvents, readContract } from 'viem/actions';
import type { Ledger } from '../computeBills.js';
import type { ParticipantDayBill } from '../types.js';
import { billingAbi } from '../../chain/artifacts/Billing.js';
import { billFromEvent } from './settleParticipantDay.js';

/** Every bill Billing has booked (optionally for one day), in chain order, from its events. */
export async function readBills(
  client: Client<Transport, Chain>,
  { billing, day, fromBlock = 0n }: { billing: `0x${string}`; day?: number; fromBlock?: bigint },
): Promise<ParticipantDayBill[]> {
  const events = await getContractEvents(client, {
    address: billing,
    abi: billingAbi,
    eventName: 'ParticipantDaySettled',
    args: day === undefined ? undefined : { day },
    fromBlock,
    strict: true,
  });
  return events.map((e) => billFromEvent(e.args));
}

/** Billing balances of `accounts` and the surplus account (token base units). */
export async function readLedger(
  client: Client<Transport, Chain>,
  { billing, accounts }: { billing: `0x${string}`; accounts: readonly `0x${string}`[] },
): Promise<Ledger> {
  const balances = new Map<string, bigint>();
  for (const account of accounts) {
    balances.set(account.toLowerCase(), await readContract(client, { address: billing, abi: billingAbi, functionName: 'balanceOf', args: [account] }));
  }
  const surplus = await readContract(client, { address: billing, abi: billingAbi, functionName: 'surplus' });
  return { balances, surplus };
}
