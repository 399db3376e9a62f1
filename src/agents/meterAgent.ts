/**
 * A meter agent (docs/run.md §Meter agent): after the day, its bus's reading is the scheduled
 * energy plus seeded deviations (src/settlement/simulateMeterReadings.ts), signed with the meter's
 * own key as EIP-712 MeterReading and submitted to Billing (S2) with the bus's schedule slice and
 * its Merkle proof against S1's final root. Settlement is permissionless; the meter pays the gas.
 */
import { createWalletClient, http, type Address, type Chain, type Hex } from 'viem';
import { settleParticipantDay } from '../settlement/actions/settleParticipantDay.js';
import { signMeterReading } from '../settlement/actions/signMeterReading.js';
import { simulateMeterReadings } from '../settlement/simulateMeterReadings.js';
import type { MeterReading, ParticipantDayBill, ScheduleSlice } from '../settlement/types.js';
import { accountOfKey, type AgentKey } from './agentKeys.js';

export interface MeterAgentOptions {
  key: AgentKey;
  rpcUrl: string;
  chain: Chain;
  billing: Address;
  day: number;
  /** Above the meter's last used nonce (the day number works for one reading a day). */
  nonce: bigint;
  slice: ScheduleSlice;
  proof: readonly Hex[];
  /** Relative deviation bound per period (0.05 = ±5 % of the scheduled energy). */
  deviation: number;
  /** Seed of this meter's deviations. */
  seed: number;
  /** Period length in hours × 1e9. */
  periodHoursNano: bigint;
}

export interface MeterAgentResult {
  reading: MeterReading;
  bill: ParticipantDayBill;
  gasUsed: bigint;
}

export async function runMeterAgent(o: MeterAgentOptions): Promise<MeterAgentResult> {
  const meter = accountOfKey(o.key);
  const [reading] = simulateMeterReadings([o.slice], o.day, o.nonce, { seed: o.seed, relative: o.deviation, periodHoursNano: o.periodHoursNano });
  const signature = await signMeterReading({ meter, reading: reading!, billing: o.billing, chainId: o.chain.id });
  const client = createWalletClient({ chain: o.chain, transport: http(o.rpcUrl, { retryCount: 0 }), account: meter, pollingInterval: 20 });
  const { bill, gasUsed } = await settleParticipantDay(client, { billing: o.billing, meter: meter.address, reading: reading!, signature, slice: o.slice, proof: o.proof });
  return { reading: reading!, bill, gasUsed };
}
