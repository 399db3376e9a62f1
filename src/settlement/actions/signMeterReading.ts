import type { LocalAccount } from 'viem';
import { meterReadingTypedData } from '../meterReadingTypedData.js';
import type { MeterReading } from '../types.js';

export interface SignMeterReadingParameters {
  /** The meter's own key (registered on Billing with registerMeter). */
  meter: LocalAccount;
  reading: MeterReading;
  /** Address of the Billing contract (the EIP-712 verifying contract). */
  billing: `0x${string}`;
  chainId: number;
}

/** Sign a day reading as EIP-712 typed data; the 65-byte signature Billing.sol recovers. */
export async function signMeterReading({ meter, reading, billing, chainId }: SignMeterReadingParameters): Promise<`0x${string}`> {
  return meter.signTypedData(meterReadingTypedData(reading, billing, chainId));
}
