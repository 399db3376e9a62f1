/** Deploys AdmmCoordinator for a coupling layout with the given fixed-point parameters. */
import type { Address, HDAccount } from 'viem';
import { GridError } from '../../core/errors.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { admmCoordinatorAbi, admmCoordinatorBytecode } from '../artifacts/AdmmCoordinator.js';
import type { ChainClients } from '../clients.js';
import { choosePeriodsPerChunk, parentsOfLayout } from '../coordinatorLayout.js';
import type { FixedPointParams } from '../fixedPointCoordinator.js';
import { coordinatorError } from './coordinatorError.js';
import { waitForReceipt } from './waitForReceipt.js';

export interface DeployAdmmCoordinatorOptions {
  clients: ChainClients;
  account: HDAccount;
  layout: CouplingLayout;
  params: FixedPointParams & { rho0: bigint };
  /** Periods per transaction; omitted = the largest that fits (choosePeriodsPerChunk). */
  periodsPerChunk?: number;
}

export interface DeployedCoordinator {
  address: Address;
  periodsPerChunk: number;
  blockNumber: bigint;
}

export async function deployAdmmCoordinator(o: DeployAdmmCoordinatorOptions): Promise<DeployedCoordinator> {
  const periodsPerChunk = o.periodsPerChunk ?? choosePeriodsPerChunk(o.layout);
  const p = o.params;
  let hash;
  try {
    hash = await o.clients.walletFor(o.account).deployContract({
      abi: admmCoordinatorAbi,
      bytecode: admmCoordinatorBytecode,
      args: [
        parentsOfLayout(o.layout), BigInt(o.layout.periods), BigInt(periodsPerChunk),
        { rho0: p.rho0, alpha: p.alpha, mu: p.mu, tau: p.tau, epsAbs: p.epsAbs, epsRel: p.epsRel, residualBalancing: p.residualBalancing },
      ],
    });
  } catch (err) {
    throw coordinatorError(err);
  }
  const receipt = await waitForReceipt(o.clients.publicClient, hash);
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new GridError('AdmmCoordinator deployment reverted', { field: 'deployAdmmCoordinator', fix: ['check the parameters (see contracts/README.md)'] });
  }
  return { address: receipt.contractAddress, periodsPerChunk, blockNumber: receipt.blockNumber };
}
