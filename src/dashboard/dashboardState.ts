/**
 * What the live dashboard shows, as plain data, and its rendering into HTML/SVG panels (pure,
 * no I/O): the chain watcher fills the state from events, the server sends the panels over
 * Server-Sent Events, the page swaps them in. Charts come from src/report/svg.
 */
import { escapeHtml, htmlTable } from '../report/html/htmlBuilder.js';
import { renderBarChart } from '../report/svg/barChart.js';
import { renderHeatMap } from '../report/svg/heatMap.js';
import { renderLineChart } from '../report/svg/lineChart.js';

export interface DashboardIteration {
  iteration: number;
  /** rho this iteration used (transport units, currency per p.u.²). */
  rho: number;
  /** sqrt of the contract's squared residuals, transport units. */
  primalResidual: number;
  dualResidual: number;
  converged: boolean;
  /** Σ gas of the iteration's chunk transactions. */
  gas: number;
}

export interface DashboardBill {
  bus: number;
  participant: string;
  /** Token units (18 decimals already divided out); positive = credited to the participant. */
  scheduled: number;
  deviation: number;
  penalty: number;
  net: number;
}

export type DashboardPhase = 'waiting' | 'registered' | 'iterating' | 'converged' | 'finalized';

export interface DashboardState {
  coordinator: string;
  billing: string | null;
  phase: DashboardPhase;
  busCount: number;
  periods: number;
  /** Names shown for the buses (default their index). */
  busNames: string[];
  iterations: DashboardIteration[];
  /** Iteration being collected now and the buses whose vectors for it are known to be in. */
  currentIteration: number;
  reported: number[];
  /** Agents the run pipeline says have reported (its inbox), when it tells us. */
  reportedByPipeline: number | null;
  /** DLMP per bus and period (currency per p.u.·h), from the final slices. */
  dlmp: number[][] | null;
  bills: DashboardBill[];
  lastBlock: number;
  /** A chain error shown on the page (e.g. the node went away), null when fine. */
  error: string | null;
}

export function emptyDashboardState(coordinator: string, billing: string | null): DashboardState {
  return {
    coordinator, billing, phase: 'waiting', busCount: 0, periods: 0, busNames: [], iterations: [], currentIteration: 0,
    reported: [], reportedByPipeline: null, dlmp: null, bills: [], lastBlock: -1, error: null,
  };
}

/** The panels the page shows, each an HTML fragment (SVGs inline). */
export interface DashboardPanels {
  status: string;
  residuals: string;
  rho: string;
  gas: string;
  agents: string;
  dlmp: string;
  bills: string;
}

const phaseText: Record<DashboardPhase, string> = {
  waiting: 'waiting for the coordinator to be deployed and registered',
  registered: 'buses registered, waiting for the first iteration',
  iterating: 'iterating',
  converged: 'converged, waiting for the final schedule',
  finalized: 'final schedule committed',
};

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(digits) : v.toFixed(digits)) : '–');

export function renderDashboardPanels(s: DashboardState): DashboardPanels {
  const last = s.iterations.at(-1);
  const totalGas = s.iterations.reduce((a, it) => a + it.gas, 0);
  const facts: Array<[string, string]> = [
    ['phase', phaseText[s.phase]],
    ['iteration', String(s.iterations.length)],
    ['primal residual r', last ? fmt(last.primalResidual) : '–'],
    ['dual residual s', last ? fmt(last.dualResidual) : '–'],
    ['rho', last ? fmt(last.rho) : '–'],
    ['gas, last iteration', last ? last.gas.toLocaleString('en-US') : '–'],
    ['gas, all iterations', totalGas.toLocaleString('en-US')],
    ['buses × periods', s.busCount > 0 ? `${s.busCount} × ${s.periods}` : '–'],
    ['block', s.lastBlock >= 0 ? String(s.lastBlock) : '–'],
  ];
  const status = `<dl class="facts" data-phase="${s.phase}" data-iterations="${s.iterations.length}">${facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`
    + (s.error ? `<p class="error">${escapeHtml(s.error)}</p>` : '');
  const x = s.iterations.map((it) => it.iteration);
  const residuals = s.iterations.length === 0 ? '<p class="empty">no iteration yet</p>' : renderLineChart({
    title: 'Residuals per iteration', xLabel: 'iteration', yLabel: 'residual', yUnit: 'transport units', logY: true, x, width: 620, height: 280,
    series: [{ label: 'primal r', values: s.iterations.map((it) => it.primalResidual) }, { label: 'dual s', values: s.iterations.map((it) => it.dualResidual) }],
  });
  const rho = s.iterations.length === 0 ? '<p class="empty">no iteration yet</p>' : renderLineChart({
    title: 'rho per iteration', xLabel: 'iteration', yLabel: 'rho', x, width: 620, height: 220, logY: true,
    series: [{ label: 'rho', values: s.iterations.map((it) => it.rho) }],
  });
  const gas = s.iterations.length === 0 ? '<p class="empty">no iteration yet</p>' : renderBarChart({
    title: 'Gas per iteration', categories: x.map(String), values: s.iterations.map((it) => it.gas / 1e6), xLabel: 'iteration', yLabel: 'gas', yUnit: 'million', width: 620, height: 240,
  });
  const reported = new Set(s.reported);
  const cells = Array.from({ length: s.busCount }, (_, b) => `<span class="bus${reported.has(b) ? ' in' : ''}" data-bus="${b}" title="bus ${escapeHtml(s.busNames[b] ?? String(b))}">${escapeHtml(s.busNames[b] ?? String(b))}</span>`).join('');
  const done = s.phase === 'converged' || s.phase === 'finalized';
  const agents = s.busCount === 0 ? '<p class="empty">no buses registered yet</p>'
    : done ? `<p>converged at iteration ${s.currentIteration - 1}: all <strong data-reported="${s.busCount}">${s.busCount}</strong> buses reported every iteration</p><div class="buses">${Array.from({ length: s.busCount }, (_, b) => `<span class="bus in" data-bus="${b}">${escapeHtml(s.busNames[b] ?? String(b))}</span>`).join('')}</div>`
    : `<p>iteration ${s.currentIteration}: <strong data-reported="${reported.size}">${reported.size}</strong> of ${s.busCount} vectors on chain`
      + `${s.reportedByPipeline === null ? '' : `, ${s.reportedByPipeline} in the poster's inbox`}</p><div class="buses">${cells}</div>`;
  const dlmp = s.dlmp ? renderHeatMap({
    title: 'DLMP per bus and period', rowLabels: s.busNames.length === s.dlmp.length ? s.busNames : s.dlmp.map((_, b) => String(b)),
    columnLabels: Array.from({ length: s.periods }, (_, t) => String(t)), values: s.dlmp,
    rowAxisLabel: 'bus', columnAxisLabel: 'period', valueLabel: 'DLMP', valueUnit: 'currency/p.u.·h', scale: 'sequential', width: 620,
  }) : '<p class="empty">shown when the final schedule is committed</p>';
  const bills = s.bills.length === 0 ? `<p class="empty">${s.billing ? 'no bills settled yet' : 'no Billing contract has bound a day to this coordinator yet'}</p>`
    : htmlTable(
      [{ header: 'bus' }, { header: 'participant' }, { header: 'schedule at DLMP', numeric: true }, { header: 'deviation at DLMP', numeric: true }, { header: 'penalty', numeric: true }, { header: 'net (+ = credited)', numeric: true }],
      s.bills.map((b) => [s.busNames[b.bus] ?? String(b.bus), { html: `<span title="${escapeHtml(b.participant)}">${escapeHtml(`${b.participant.slice(0, 8)}…${b.participant.slice(-4)}`)}</span>` }, fmt(b.scheduled, 4), fmt(b.deviation, 4), fmt(b.penalty, 4), fmt(b.net, 4)]),
    ) + `<p>Σ net ${fmt(s.bills.reduce((a, b) => a + b.net, 0), 4)} tokens; the surplus account holds the opposite.</p>`;
  return { status, residuals, rho, gas, agents, dlmp, bills };
}
