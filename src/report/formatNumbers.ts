/**
 * Number formatting for tables and summaries: fixed decimals, thousands separators, signs.
 * Locale-free so the report is the same bytes on every machine.
 */

/** Digits grouped by thousands with a thin comma: 1234567.8 → "1,234,567.80" (2 decimals). */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = value < 0 && Number(text) !== 0;
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Money with two decimals and the currency after it: "1,234.50 $". */
export function formatMoney(value: number, currency: string): string {
  return `${formatFixed(value, 2)} ${currency}`;
}

/** A whole number with separators: gas, iterations. */
export function formatInteger(value: number): string {
  return formatFixed(Math.round(value), 0);
}

/** A signed percentage: "+0.41 %". */
export function formatPercent(fraction: number, decimals = 2): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const text = formatFixed(fraction * 100, decimals);
  return `${fraction >= 0 && !text.startsWith('-') ? '+' : ''}${text} %`;
}

/** Seconds as "850 ms", "12.3 s" or "4 min 05 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
}
