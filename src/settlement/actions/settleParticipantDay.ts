import { parseEventLogs } from 'viem';
import { InternalError } from '../../core/errors.js';
import type { MeterReading, ParticipantDayBill, ScheduleSlice } from '../types.js';
import { billingAbi } from '../../chain/artifacts/Billing.js';
import type { BillingClient } from './billingTransaction.js';
import { sendBillingTransaction } from './billingTransaction.js';

export interface SettleParticipantDayParameters {
  billing: `0x${string}`;
  /** Address of the registered meter key that signed `reading`. */
  meter: `0x${string}`;
  reading: MeterReading;
  /** From signMeterReading. */
  signature: `0x${string}`;
  /** The participant's leaf of the day's final schedule and its Merkle proof. */
  slice: ScheduleSlice;
  proof: readonly `0x${string}`[];
}

export interface SettleParticipantDayReturnType {
  bill: ParticipantDayBill;
  gasUsed: bigint;
}

/** Submit a signed day reading with its schedule slice; returns the bill the contract booked. */
export async function settleParticipantDay(
  client: BillingClient,
  { billing, meter, reading, signature, slice, proof }: SettleParticipantDayParameters,
): Promise<SettleParticipantDayReturnType> {
  const receipt = await sendBillingTransaction(client, {
    address: billing,
    abi: billingAbi,
    functionName: 'settleParticipantDay',
    args: [
      meter,
      { bus: reading.bus, day: reading.day, nonce: reading.nonce, energy: [...reading.energy] },
      signature,
      { bus: slice.bus, participant: slice.participant, netInjection: [...slice.netInjection], dlmp: [...slice.dlmp] },
      [...proof],
    ],
  });
  const [event] = parseEventLogs({ abi: billingAbi, eventName: 'ParticipantDaySettled', logs: receipt.logs });
  if (!event) throw new InternalError(`settlement ${receipt.transactionHash} emitted no ParticipantDaySettled`);
  return { bill: billFromEvent(event.args), gasUsed: receipt.gasUsed };
}

/** The bill carried by one ParticipantDaySettled event. */
export function billFromEvent(args: {
  day: number;
  bus: number;
  participant: `0x${string}`;
  scheduledValue: bigint;
  deviationValue: bigint;
  penalty: bigint;
  net: bigint;
}): ParticipantDayBill {
  return {
    day: args.day,
    bus: args.bus,
    participant: args.participant,
    scheduledValue: args.scheduledValue,
    deviationValue: args.deviationValue,
    penalty: args.penalty,
    net: args.net,
  };
}
