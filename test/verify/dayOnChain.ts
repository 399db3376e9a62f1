/**
 * Test support: one small day run on a real Anvil, the way the agents run it but in one place.
 * Every bus solves its real ADMM subproblem (src/model problems via the ADMM bus group) at the
 * chain's fixed-point state, signs its vector, and one batch per iteration steps S1; at
 * convergence every bus signs its final slice, the root is committed, Billing binds the day and
 * settles every bus from a signed meter reading with seeded deviations.
 */
import { keccak256, toHex, type Address, type HDAccount } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { agentAccount, type ChainClients } from '../../src/chain/clients.js';
import { deployAdmmCoordinator } from '../../src/chain/actions/deployAdmmCoordinator.js';
import { finalizeSchedule, signFinalSlice, type FinalSlice } from '../../src/chain/actions/finalizeSchedule.js';
import { registerBuses } from '../../src/chain/actions/registerBuses.js';
import { sendCoordinatorTransaction } from '../../src/chain/actions/sendCoordinatorTransaction.js';
import { signLocalCopy } from '../../src/chain/actions/signLocalCopy.js';
import { submitIteration } from '../../src/chain/actions/submitIteration.js';
import { fromFixed, toFixed } from '../../src/chain/fixedPoint.js';
import {
  chunkLocalVector, chunkRanges, fixedPointCoordinatorStep, initialFixedPointState, type FixedPointParams,
} from '../../src/chain/fixedPointCoordinator.js';
import { buildCouplingLayout, type CouplingLayout } from '../../src/model/coupling/couplingLayout.js';
import { unitCouplingScale } from '../../src/model/problems/busSubproblem.js';
import type { ConicSolverFactory } from '../../src/model/problems/busSubproblemSolver.js';
import type { Scenario } from '../../src/scenario/types.js';
import { createBusGroup } from '../../src/solve/admm/busGroup.js';
import { bindDay } from '../../src/settlement/actions/bindDay.js';
import { deployBilling } from '../../src/settlement/actions/deployBilling.js';
import { deployGridToken } from '../../src/settlement/actions/deployGridToken.js';
import { depositFunds } from '../../src/settlement/actions/depositFunds.js';
import { registerMeter } from '../../src/settlement/actions/registerMeter.js';
import { buildScheduleTree } from '../../src/settlement/actions/scheduleTree.js';
import { settleParticipantDay } from '../../src/settlement/actions/settleParticipantDay.js';
import { signMeterReading } from '../../src/settlement/actions/signMeterReading.js';
import { simulateMeterReadings } from '../../src/settlement/simulateMeterReadings.js';
import type { BillingRule } from '../../src/settlement/types.js';

const S = 1_000_000_000n;

/**
 * ADMM in fixed point: rho 10 per p.u.², alpha 1.6, residual balancing (mu 10, tau 2), Boyd
 * 1e-4 / 1e-3: 63 iterations on the tiny case (the defaults' 1e-5 / 1e-4 take about 180).
 */
export const dayParams: FixedPointParams & { rho0: bigint } = {
  rho0: 10n * S, alpha: 1_600_000_000n, mu: 10n * S, tau: 2n * S, epsAbs: 100_000n, epsRel: 1_000_000n, residualBalancing: true,
};

export interface DayOnChain {
  layout: CouplingLayout;
  coordinator: Address;
  billing: Address;
  token: Address;
  operator: HDAccount;
  busAccounts: HDAccount[];
  meters: PrivateKeyAccount[];
  slices: FinalSlice[];
  iterations: number;
  day: number;
}

export async function runDayOnChain(o: { clients: ChainClients; scenario: Scenario; createSolver: ConicSolverFactory; day?: number; maxIterations?: number; params?: typeof dayParams;
  /** Periods per S1 transaction (default 2: the tiny case's 3 periods take two chunks per iteration). */
  periodsPerChunk?: number;
}): Promise<DayOnChain> {
  const { clients, scenario } = o;
  const params = o.params ?? dayParams;
  const day = o.day ?? 1;
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods);
  const operator = agentAccount(0);
  const busAccounts = scenario.buses.map((_, b) => agentAccount(b + 1));
  // S2 first: token, Billing, meters, deposits.
  const operatorClient = clients.walletFor(operator);
  const busClients = busAccounts.map((a) => clients.walletFor(a));
  const funds = 1_000n * 10n ** 18n;
  const rule: BillingRule = { periods: scenario.periods, periodHoursNano: S, penaltyRateNano: 2n * S, maxAbsEnergy: 50n * S };
  const token = await deployGridToken(operatorClient, { mint: busAccounts.map((a) => ({ to: a.address, amount: funds })) });
  const billing = await deployBilling(operatorClient, { token, rule });
  const meters = scenario.buses.map((_, b) => privateKeyToAccount(keccak256(toHex(`gridconsensus verify test meter ${b}`))));
  for (let b = 0; b < layout.busCount; b++) {
    await registerMeter(operatorClient, { billing, meter: meters[b]!.address, bus: b, participant: busAccounts[b]!.address });
    await depositFunds(busClients[b]!, { billing, token, amount: funds / 2n });
  }
  const { address: coordinator, periodsPerChunk } = await deployAdmmCoordinator({ clients, account: operator, layout, params, periodsPerChunk: o.periodsPerChunk ?? 2 });
  await registerBuses({ clients, account: operator, address: coordinator, layout, accounts: busAccounts.map((a) => a.address) });
  // `local: {}` = no proximal damping (the field is new in the ADMM stage; the cast keeps older builds compiling).
  const spec = {
    buses: scenario.buses.map((_, b) => b), rho: fromFixed(params.rho0), scale: unitCouplingScale,
    solverSettings: { tolGapAbs: 1e-9, tolGapRel: 1e-9, tolFeas: 1e-9, maxIter: 100 }, dualOffset: null, local: {},
  };
  const group = createBusGroup(scenario, layout, spec as Parameters<typeof createBusGroup>[2], o.createSolver);

  let state = initialFixedPointState(layout, params.rho0);
  // Bus 1 proves its first three vectors with commitLocalVector instead of a signature.
  const ownTransactionBus = 1;
  const maxIterations = o.maxIterations ?? 400;
  for (let k = 0; k < maxIterations && !state.converged; k++) {
    const zLocal = new Float64Array(layout.totalCopies);
    const xiLocal = new Float64Array(layout.totalCopies);
    for (let b = 0; b < layout.busCount; b++) {
      const off = layout.localOffset[b]!;
      layout.copyMap[b]!.forEach((g, j) => { zLocal[off + j] = fromFixed(state.z[g]!); xiLocal[off + j] = fromFixed(state.xi[off + j]!); });
    }
    const { local } = group.solve(zLocal, xiLocal, fromFixed(state.rho));
    const localVectors = layout.copyMap.map((map, b) => Array.from(local.subarray(layout.localOffset[b]!, layout.localOffset[b]! + map.length), (v) => toFixed(v)));
    for (const [chunk, range] of chunkRanges(layout.periods, periodsPerChunk).entries()) {
      const signatures = await Promise.all(localVectors.map(async (v, b) => {
        const signed = await signLocalCopy({
          account: busAccounts[b]!, chainId: clients.chain.id, coordinator, iteration: state.iteration, bus: b, chunk, values: chunkLocalVector(layout, b, v, range),
        });
        if (b !== ownTransactionBus || k >= 3) return signed.signature;
        // The other way to prove a vector: the bus commits its hash in its own transaction (v = 0 in the batch).
        await sendCoordinatorTransaction({ clients, account: busAccounts[b]!, address: coordinator, functionName: 'commitLocalVector', args: [state.iteration, chunk, signed.valuesHash] });
        return null;
      }));
      await submitIteration({
        clients, account: operator, address: coordinator, layout, periodsPerChunk, chunk, iteration: state.iteration, localVectors, state, signatures,
      });
    }
    state = fixedPointCoordinatorStep(layout, state, localVectors, params).state;
  }
  if (!state.converged) throw new Error(`the test day did not converge in ${maxIterations} iterations`);

  const slices: FinalSlice[] = group.finals().map((f) => ({
    bus: f.bus, participant: busAccounts[f.bus]!.address,
    netInjection: f.injectionP.map((p) => toFixed(p)), dlmp: f.price.map((p) => toFixed(p)),
  }));
  const sliceSignatures = await Promise.all(slices.map((slice, b) => signFinalSlice({ account: busAccounts[b]!, chainId: clients.chain.id, coordinator, slice })));
  await finalizeSchedule({ clients, account: operator, address: coordinator, slices, signatures: sliceSignatures });

  // The day bound to S1, then every bus settled from its meter's signed reading.
  await bindDay(operatorClient, { billing, day, scheduleSource: coordinator });
  const tree = buildScheduleTree(slices);
  const readings = simulateMeterReadings(slices, day, BigInt(day), { seed: 11, relative: 0.05, absoluteNano: 1_000_000n });
  for (const reading of readings) {
    const signature = await signMeterReading({ meter: meters[reading.bus]!, reading, billing, chainId: clients.chain.id });
    await settleParticipantDay(operatorClient, { billing, meter: meters[reading.bus]!.address, reading, signature, slice: slices[reading.bus]!, proof: tree.proof(reading.bus) });
  }
  return { layout, coordinator, billing, token, operator, busAccounts, meters, slices, iterations: Number(state.iteration), day };
}
