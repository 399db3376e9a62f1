/**
 * The substation as the feeder's connection to the upstream grid: a case without a generator
 * there (a network with loads only) gets one, at a documented default price, so its OPF has a
 * supply (docs/case-format.md §Grid supply). Pure.
 */
import type { CaseDevice, CaseFile } from './caseFile.js';

/**
 * Price of the default grid supply, currency per MWh: a round wholesale-level placeholder used
 * when a feeder has no generator at the substation or no cost data.
 */
export const defaultGridPricePerMwh = 50;

/** Start of every warning about the substation's supply (the paper scenario, which replaces that supply, drops them). */
export const substationSupplyPrefix = 'substation supply: ';

/** Size of the default supply, kW (and kVAr): max(1 MW, twice the feeder's load), in whole MW. */
export function gridSupplySizeKw(loadKw: number, loadKvar: number): number {
  return Math.max(1000, Math.ceil((2 * Math.max(loadKw, Math.abs(loadKvar))) / 1000) * 1000);
}

/** The grid supply device: two-way (it can also take power back), ±size in P and Q, at the default price. */
export function gridSupplyDevice(sizeKw: number): CaseDevice {
  return { kind: 'generator', name: 'grid', pMinKw: -sizeKw, pMaxKw: sizeKw, qMinKvar: -sizeKw, qMaxKvar: sizeKw, costLinearPerMwh: defaultGridPricePerMwh };
}

/**
 * Returns the case with the grid supply added at the substation when the substation bus has no
 * generator (and a warning saying so); otherwise the case itself.
 */
export function withGridSupply(caseFile: CaseFile): CaseFile {
  const root = String(caseFile.substation.bus);
  const substation = caseFile.buses.find((b) => String(b.id) === root);
  if (!substation || (substation.devices ?? []).some((d) => d.kind === 'generator')) return caseFile;
  const peak = (value: number | number[] | undefined) => (value === undefined ? 0 : Array.isArray(value) ? Math.max(0, ...value) : value);
  let loadKw = 0;
  let loadKvar = 0;
  for (const b of caseFile.buses) {
    for (const d of b.devices ?? []) {
      if (d.kind === 'fixedLoad') {
        loadKw += peak(d.pKw);
        loadKvar += peak(d.qKvar);
      }
    }
  }
  const size = gridSupplySizeKw(loadKw, loadKvar);
  const warning = `${substationSupplyPrefix}the substation (bus ${root}) has no generator: added the grid supply 'grid' (two-way, ±${size} kW and ±${size} kVAr at ${defaultGridPricePerMwh} per MWh)`;
  return {
    ...caseFile,
    warnings: [...(caseFile.warnings ?? []), warning],
    buses: caseFile.buses.map((b) => (b === substation ? { ...b, devices: [gridSupplyDevice(size), ...(b.devices ?? [])] } : b)),
  };
}
