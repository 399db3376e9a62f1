/**
 * Registers one account per bus (index = bus) and the initial z on the coordinator; operator
 * only, once. The initial z defaults to flows 0, voltageSq 1 p.u. (docs/admm-protocol.md §State).
 */
import { toHex, type Address, type HDAccount, type TransactionReceipt } from 'viem';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import type { ChainClients } from '../clients.js';
import { packInt64 } from '../fixedPoint.js';
import { initialFixedPointState } from '../fixedPointCoordinator.js';
import { sendCoordinatorTransaction } from './sendCoordinatorTransaction.js';

export function registerBuses(o: {
  clients: ChainClients; account: HDAccount; address: Address; layout: CouplingLayout; accounts: readonly Address[];
  initialZ?: readonly bigint[];
}): Promise<TransactionReceipt> {
  const z0 = initialFixedPointState(o.layout, 1n, o.initialZ).z;
  return sendCoordinatorTransaction({
    clients: o.clients, account: o.account, address: o.address, functionName: 'registerBuses',
    args: [o.accounts, toHex(packInt64(z0, 'initialZ'))],
  });
}
