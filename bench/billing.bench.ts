/**
 * Billing gas benchmark: one day of 56 participants at 24 periods on a fresh Anvil, every
 * participant-day settled from a signed reading with seeded deviations (docs/billing.md §Gas).
 * Goal (docs/shared chain research): at most 150 k gas per participant-day.
 */
import { keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { agentAccount, createChainClients } from '../src/chain/clients.js';
import { startAnvil } from '../src/chain/node/startAnvil.js';
import { bindDay } from '../src/settlement/actions/bindDay.js';
import { deployBilling } from '../src/settlement/actions/deployBilling.js';
import { deployGridToken } from '../src/settlement/actions/deployGridToken.js';
import { depositFunds } from '../src/settlement/actions/depositFunds.js';
import { registerMeter } from '../src/settlement/actions/registerMeter.js';
import { settleParticipantDay } from '../src/settlement/actions/settleParticipantDay.js';
import { signMeterReading } from '../src/settlement/actions/signMeterReading.js';
import { finalScheduleDay } from '../test/settlement/finalScheduleDay.js';
import { simulateMeterReadings } from '../src/settlement/simulateMeterReadings.js';
import type { BillingRule, ScheduleSlice } from '../src/settlement/types.js';

const S = 1_000_000_000n;
const GAS_GOAL_PER_PARTICIPANT_DAY = 150_000;

export async function runBillingBench(): Promise<object[]> {
  const participants = 56;
  const periods = 24;
  const rule: BillingRule = { periods, periodHoursNano: S, penaltyRateNano: 5n * S, maxAbsEnergy: 100n * S };
  const node = await startAnvil({ accounts: participants + 1 });
  try {
    const clients = createChainClients(node.rpcUrl);
    const operator = clients.walletFor(agentAccount(0));
    const busAccounts = Array.from({ length: participants }, (_, b) => agentAccount(b + 1));
    const wallets = busAccounts.map((a) => clients.walletFor(a));
    const meters = Array.from({ length: participants }, (_, b) => privateKeyToAccount(keccak256(toHex(`bench meter ${b}`))));
    const funds = 10n ** 24n;
    const token = await deployGridToken(operator, { mint: wallets.map((w) => ({ to: w.account.address, amount: funds })) });
    const billing = await deployBilling(operator, { token, rule });
    const slices = benchSchedule(wallets.map((w) => w.account.address), periods);
    for (const [b, w] of wallets.entries()) {
      await depositFunds(w, { billing, token, amount: funds });
      await registerMeter(operator, { billing, meter: meters[b]!.address, bus: b, participant: w.account.address });
    }
    const gas: number[] = [];
    const days = 2;
    for (let day = 1; day <= days; day++) {
      const { coordinator, proof } = await finalScheduleDay({ clients, operator: agentAccount(0), busAccounts, slices });
      await bindDay(operator, { billing, day, scheduleSource: coordinator });
      const readings = simulateMeterReadings(slices, day, BigInt(day), { seed: day, relative: 0.05, absoluteNano: S / 100n, exactShare: 0.25 });
      for (const [b, reading] of readings.entries()) {
        const signature = await signMeterReading({ meter: meters[b]!, reading, billing, chainId: clients.chain.id });
        const { gasUsed } = await settleParticipantDay(wallets[b]!, { billing, meter: meters[b]!.address, reading, signature, slice: slices[b]!, proof: proof(b) });
        gas.push(Number(gasUsed));
      }
    }
    const mean = gas.reduce((a, g) => a + g, 0) / gas.length;
    return [{
      bench: 'billing.settleParticipantDay',
      participants,
      periods,
      days,
      settlements: gas.length,
      gasMean: Math.round(mean),
      gasMin: Math.min(...gas),
      gasMax: Math.max(...gas),
      gasFirstOfDay: gas[0],
      gasPerDay: Math.round(mean * participants),
      goal: GAS_GOAL_PER_PARTICIPANT_DAY,
      meetsGoal: mean <= GAS_GOAL_PER_PARTICIPANT_DAY,
    }];
  } finally {
    await node.stop();
  }
}

/** Seeded-looking but deterministic schedule: half the buses export, prices 20..60 per p.u.h. */
function benchSchedule(participants: readonly `0x${string}`[], periods: number): ScheduleSlice[] {
  return participants.map((participant, bus) => ({
    bus,
    participant,
    netInjection: Array.from({ length: periods }, (_, t) => (bus % 2 === 0 ? 1n : -1n) * BigInt(((bus * 37 + t * 11) % 150) + 5) * (S / 100n)),
    dlmp: Array.from({ length: periods }, (_, t) => BigInt(((bus * 7 + t * 3) % 40) + 20) * S + BigInt(bus * 1_234_567)),
  }));
}
