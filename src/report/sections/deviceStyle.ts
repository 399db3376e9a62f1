/** Legend names, colours and stacking order of device types (Okabe-Ito colours, as in the figures). */
import type { DeviceKind, DevicePowerSeries } from '../reportData.js';

export const deviceKindStyle: Record<DeviceKind, { label: string; color: string; order: number }> = {
  generator: { label: 'Generator', color: '#0072B2', order: 0 },
  pv: { label: 'PV', color: '#E69F00', order: 1 },
  battery: { label: 'Battery', color: '#009E73', order: 2 },
  fixedLoad: { label: 'Fixed load', color: '#9aa5b1', order: 3 },
  ev: { label: 'EV (shapable load)', color: '#CC79A7', order: 4 },
  deferrable: { label: 'Deferrable load', color: '#56B4E9', order: 5 },
  other: { label: 'Other', color: '#D55E00', order: 6 },
};

/** Series in stacking order (sources first, then loads), with labels and colours filled in. */
export function styledDeviceSeries(series: readonly DevicePowerSeries[]): { label: string; values: number[]; color: string }[] {
  return series
    .map((s, index) => ({ s, index }))
    .sort((a, b) => deviceKindStyle[a.s.kind].order - deviceKindStyle[b.s.kind].order || a.index - b.index)
    .map(({ s }) => ({ label: s.label ?? deviceKindStyle[s.kind].label, values: s.mw, color: deviceKindStyle[s.kind].color }));
}
