/**
 * The day's report files from a runDay result: schedule.json, CSV tables, report.html (the OPF
 * report plus convergence, gas per iteration, chain activity and bills), summary.md, the SVG
 * figures and run.json (addresses, trace, bills as plain JSON). Pure: returns the files.
 */
import { admmCheckTolerances, buildReportData } from '../report/buildReportData.js';
import { renderReportHtml } from '../report/renderReport.js';
import { renderSummaryMarkdown } from '../report/renderSummaryMarkdown.js';
import { reportFigures } from '../report/reportFigures.js';
import type { Scenario } from '../scenario/types.js';
import { scheduleJson, scheduleTables, type OutputFile } from '../schedule/io.js';
import { verifySchedule } from '../schedule/verifySchedule.js';
import type { DayRunResult } from './runDay.js';

const NANO = 1e9;
/** Token base units (1e18) to currency. */
const currency = (v: bigint) => Number(v) / 1e18;

export function dayReportFiles(scenario: Scenario, result: DayRunResult): OutputFile[] {
  const files: OutputFile[] = [{ name: 'run.json', text: `${JSON.stringify(runJson(result), null, 1)}\n` }];
  const { schedule } = result;
  if (!schedule) return files;
  const checks = verifySchedule(scenario, schedule);
  const finalResidual = result.trace.at(-1)?.primalResidual;
  const mwh = scenario.baseMva;
  const bills = result.settlement;
  const report = buildReportData({
    schedule,
    scenario,
    title: `${scenario.name}: the day on chain (${result.status} after ${result.iterations} iterations)`,
    ...(result.central ? { central: { totalCost: result.central.totalCost, prices: result.central.schedule.prices } } : {}),
    trace: {
      primalResidual: result.trace.map((t) => t.primalResidual),
      dualResidual: result.trace.map((t) => t.dualResidual),
      primalTolerance: result.trace.map((t) => t.epsPri),
      dualTolerance: result.trace.map((t) => t.epsDual),
      rho: result.trace.map((t) => t.rho),
      cost: result.trace.map((t) => t.cost),
      status: result.status,
    },
    chain: {
      gasPerIteration: result.trace.map((t) => Number(t.gasUsed)),
      transactionsPerIteration: result.trace.map((t) => t.transactions),
      otherGas: [
        { label: 'registration and funding', gas: Number(result.gas.setup) },
        { label: 'final schedule commitment', gas: Number(result.gas.finalize) },
        { label: 'settlement', gas: Number(result.gas.settlement) },
      ],
      activity: [
        { label: 'Coordinator (S1)', value: result.endpoints.coordinator },
        { label: 'Billing (S2)', value: result.endpoints.billing },
        { label: 'Node', value: result.embeddedNode ? 'embedded Anvil (stopped after the run)' : result.endpoints.rpcUrl },
        { label: 'Agents', value: result.agentMode === 'threads' ? `${scenario.buses.length} bus agents on ${result.workers} worker threads` : `${scenario.buses.length} bus agents (${result.agentMode})` },
        { label: 'Transactions', value: result.transactions.setup + result.transactions.iterations + result.transactions.settlement },
      ],
    },
    ...(bills ? {
      bills: {
        participants: bills.bills.map((b, i) => ({
          name: `bus ${scenario.buses[b.bus]?.id ?? b.bus}`,
          amount: -currency(b.net),
          scheduledMwh: -result.finalSlices![i]!.netInjection.reduce((s, v) => s + Number(v), 0) / NANO * scenario.dtHours * mwh,
          meteredMwh: -bills.readings[i]!.energy.reduce((s, v) => s + Number(v), 0) / NANO * mwh,
          penalty: currency(b.penalty),
        })),
        surplus: currency(bills.surplus),
      },
    } : {}),
    scheduleChecks: checks,
    // ADMM stops at a tolerance: judge the physics checks at the final primal residual's scale.
    ...(finalResidual !== undefined ? { tolerances: admmCheckTolerances(schedule, finalResidual, scenario.buses.map((b) => b.parent)) } : {}),
    wallTimeSeconds: result.timings.wallMs / 1000,
    notes: result.status === 'converged' ? [] : [`ADMM stopped at the iteration cap (${result.iterations}) without converging: the schedule is the agents' last solve, not committed on chain, and no bills were settled.`],
  });
  files.push(
    { name: 'schedule.json', text: scheduleJson(schedule) },
    ...scheduleTables(schedule, { baseKv: scenario.baseKv, parents: scenario.buses.map((b) => b.parent) }),
    ...reportFigures(report).map((f) => ({ name: f.file, text: f.svg })),
    { name: 'report.html', text: renderReportHtml(report) },
    { name: 'summary.md', text: renderSummaryMarkdown(report) },
  );
  return files;
}

/** The run's record as JSON (bigints as decimal strings). */
export function runJson(result: DayRunResult): unknown {
  const plain = {
    scenario: result.scenarioName,
    status: result.status,
    iterations: result.iterations,
    endpoints: result.endpoints,
    gas: result.gas,
    transactions: result.transactions,
    timings: result.timings,
    costGapRelative: result.central?.comparison.costGapRelative ?? null,
    totalCost: result.schedule?.totalCost ?? null,
    centralCost: result.central?.totalCost ?? null,
    moneyConserved: result.settlement?.moneyConserved ?? null,
    surplus: result.settlement?.surplus ?? null,
    trace: result.trace,
    finalSlices: result.finalSlices,
    bills: result.settlement?.bills ?? null,
  };
  return JSON.parse(JSON.stringify(plain, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}
