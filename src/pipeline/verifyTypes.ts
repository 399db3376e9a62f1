/** The verifier's result vocabulary (docs/verify.md lists every check). */

/** pass / fail; info reports a fact that is not a discrepancy (e.g. buses not settled yet). */
export type CheckStatus = 'pass' | 'fail' | 'info';

/** Where a discrepancy is; every field that applies is set. */
export interface CheckLocation {
  iteration?: number;
  chunk?: number;
  bus?: number;
  /** The case's name of the bus. */
  busName?: string;
  period?: number;
  /** The value that differs (a quantity, a storage variable, an event field). */
  field?: string;
}

export interface VerifyCheck {
  /** Stable id, e.g. `aggregator.steps`, `schedule.voltage`, `billing.ledger`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was compared and the outcome, with the numbers. */
  detail: string;
  at?: CheckLocation;
}

/** "iteration 3, bus 12 (bus id 13), period 7, pFlow" style text of a location. */
export function describeLocation(at: CheckLocation | undefined): string {
  if (!at) return '';
  const parts: string[] = [];
  if (at.iteration !== undefined) parts.push(`iteration ${at.iteration}`);
  if (at.chunk !== undefined) parts.push(`chunk ${at.chunk}`);
  if (at.bus !== undefined) parts.push(at.busName !== undefined ? `bus ${at.bus} (${at.busName})` : `bus ${at.bus}`);
  if (at.period !== undefined) parts.push(`period ${at.period}`);
  if (at.field !== undefined) parts.push(at.field);
  return parts.join(', ');
}
