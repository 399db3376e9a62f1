import type { MeterReading } from './types.js';

/** EIP-712 domain name and version of Billing.sol (its `EIP712("gridconsensus Billing", "1")`). */
export const BILLING_DOMAIN_NAME = 'gridconsensus Billing';
export const BILLING_DOMAIN_VERSION = '1';

/** The EIP-712 types of a meter reading; must match Billing.METER_READING_TYPEHASH. */
export const meterReadingTypes = {
  MeterReading: [
    { name: 'bus', type: 'uint16' },
    { name: 'day', type: 'uint32' },
    { name: 'nonce', type: 'uint64' },
    { name: 'energy', type: 'int64[]' },
  ],
} as const;

/** The typed-data request a meter signs for `reading` on the Billing contract at `billing`. */
export function meterReadingTypedData(reading: MeterReading, billing: `0x${string}`, chainId: number) {
  return {
    domain: { name: BILLING_DOMAIN_NAME, version: BILLING_DOMAIN_VERSION, chainId, verifyingContract: billing },
    types: meterReadingTypes,
    primaryType: 'MeterReading' as const,
    message: { bus: reading.bus, day: reading.day, nonce: reading.nonce, energy: [...reading.energy] },
  };
}
