/** Registers one account per bus (index = bus) on the coordinator; operator only, once. */
import type { Address, HDAccount, TransactionReceipt } from 'viem';
import type { ChainClients } from '../clients.js';
import { sendCoordinatorTransaction } from './sendCoordinatorTransaction.js';

export function registerBuses(o: { clients: ChainClients; account: HDAccount; address: Address; accounts: readonly Address[] }): Promise<TransactionReceipt> {
  return sendCoordinatorTransaction({ clients: o.clients, account: o.account, address: o.address, functionName: 'registerBuses', args: [o.accounts] });
}
