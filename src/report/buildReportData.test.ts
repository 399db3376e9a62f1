import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smallFeeder } from '../../test/helpers/tinyScenarios.js';
import { verifySchedule } from '../schedule/verifySchedule.js';
import { solveCentralOpf } from '../solve/central/solveCentralOpf.js';
import { admmCheckTolerances, buildReportData, deviceInjection, periodLabels } from './buildReportData.js';
import { renderReportHtml } from './renderReport.js';
import { renderSummaryMarkdown } from './renderSummaryMarkdown.js';
import { checkWellFormed } from './svg/checkWellFormed.js';

const scenario = { ...smallFeeder(3), baseMva: 2 };
const { schedule, dlmp } = solveCentralOpf(scenario);

test('converts the schedule to MW, |V| and currency/MWh at the edge', () => {
  const report = buildReportData({ schedule, scenario, dlmpParts: dlmp.active, scheduleChecks: verifySchedule(scenario, schedule) });
  assert.deepEqual(report.periodLabels, ['00:00', '01:00', '02:00']);
  assert.deepEqual(report.buses?.map((b) => b.parent), [-1, 0, 1, 1]);
  const loads = report.devicePower!.feeder.find((s) => s.kind === 'fixedLoad')!;
  // Loads 0.3 + 0.4 + 0.2 p.u. in period 0, withdrawals, on a 2 MVA base.
  assert.ok(Math.abs(loads.mw[0]! + 0.9 * 2) < 1e-9, `load ${loads.mw[0]}`);
  const generation = report.devicePower!.feeder.find((s) => s.kind === 'generator')!;
  assert.ok(generation.mw[0]! > 1.8, 'the generator covers the load plus losses');
  const averageLoad = report.devicePower!.averagePerDevice!.find((a) => a.kind === 'fixedLoad')!;
  assert.equal(averageLoad.count, 3);
  assert.ok(Math.abs(averageLoad.kw[0]! + (0.9 * 2 * 1000) / 3) < 1e-6, 'mean load of one device, kW');
  assert.ok(Math.abs(report.voltages!.magnitudePu[2]![1]! - Math.sqrt(schedule.buses[2]!.voltageSq[1]!)) < 1e-15);
  assert.deepEqual(report.prices!.dlmp, schedule.prices!.active);
  assert.equal(report.prices!.parts!.length, 3);
  assert.ok(report.checks!.every((c) => c.passed), JSON.stringify(report.checks));
  assert.deepEqual(report.voltages!.limitsPu, [0.95, 1.05]);
});

test('optional run data fill the convergence, gas and bill sections', () => {
  const report = buildReportData({
    schedule: { ...schedule, method: 'admm', totalCost: schedule.totalCost * 1.001 },
    scenario,
    central: schedule,
    trace: { primalResidual: [1, 0.1, 0.01], dualResidual: [2, 0.2, 0.02], primalTolerance: 0.05, dualTolerance: [0.1, 0.1, 0.1], rho: [30, 30, 30], cost: [1, 2, 3], status: 'converged' },
    chain: { gasPerIteration: [5e5, 5e5, 5e5], transactionsPerIteration: [1, 1, 2], otherGas: [{ label: 'Deployment', gas: 3e6 }], activity: [{ label: 'Blocks', value: 12 }] },
    bills: { participants: [{ name: 'bus 1', amount: 10 }, { name: 'bus 2', amount: -7 }], surplus: 3 },
    wallTimeSeconds: 1.5,
  });
  assert.equal(report.summary!.centralCost, schedule.totalCost);
  assert.equal(report.summary!.iterations, 3);
  assert.equal(report.summary!.moneyImbalance, 0);
  assert.equal(report.gas!.activity![0]!.value, '12');
  assert.ok(report.summary!.extra!.some((e) => e.label.startsWith('Largest DLMP difference')));
  const html = renderReportHtml(report);
  assert.deepEqual(checkWellFormed(html, { html: true }), []);
  for (const id of ['convergence', 'gas', 'bills']) assert.match(html, new RegExp(`<section id="${id}">`));
  assert.match(html, /Chain activity/);
  assert.match(renderSummaryMarkdown(report), /Money conserved/);
});

test('helpers: signs of device injections and period labels', () => {
  assert.deepEqual(deviceInjection({ kind: 'battery', name: 'b', charge: [1, 0], discharge: [0, 2], energy: [1, 0] }), [-1, 2]);
  assert.deepEqual(deviceInjection({ kind: 'shapableLoad', name: 'ev', p: [0.5] }), [-0.5]);
  assert.deepEqual(periodLabels(3, 0.25), ['00:00', '00:15', '00:30']);
});

test('ADMM check thresholds grow with the final primal residual and never fall below the central ones', () => {
  const parents = scenario.buses.map((b) => b.parent);
  const tiny = admmCheckTolerances(schedule, 0, parents);
  assert.equal(tiny.coneGap, 1e-4);
  assert.equal(tiny.voltageMismatch, 1e-3);
  const loose = admmCheckTolerances(schedule, 0.03, parents);
  assert.equal(loose.voltageMismatch, 0.03);
  // At least the voltage term: v ≈ 1 at every parent, so the cone gap bound exceeds 0.03.
  assert.ok(loose.coneGap >= 0.03 && loose.coneGap < 1, `${loose.coneGap}`);
});
