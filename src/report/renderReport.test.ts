import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReportHtml } from './renderReport.js';
import { renderSummaryMarkdown } from './renderSummaryMarkdown.js';
import { sampleReportData } from './sampleReportData.js';
import { checkWellFormed } from './svg/checkWellFormed.js';

test('the full report is one well-formed, self-contained page', () => {
  const report = sampleReportData({ buses: 9, periods: 24, iterations: 30 });
  report.title = 'Feeder <A&B>';
  const html = renderReportHtml(report);
  assert.deepEqual(checkWellFormed(html, { html: true }), []);
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(!/<script|<link|<img|https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html), 'no scripts or external resources');
  assert.match(html, /<h1>Feeder &lt;A&amp;B&gt;<\/h1>/);
  for (const id of ['summary', 'network', 'devices', 'voltages', 'prices', 'convergence', 'gas', 'bills', 'checks', 'notes']) {
    assert.match(html, new RegExp(`<section id="${id}">`), `section ${id}`);
    assert.match(html, new RegExp(`<a href="#${id}">`), `nav link ${id}`);
  }
  assert.equal(renderReportHtml(report), html, 'deterministic');
});

test('an OPF-only report leaves out the chain sections', () => {
  const html = renderReportHtml(sampleReportData({ buses: 6, periods: 4, iterations: 0 }));
  assert.deepEqual(checkWellFormed(html, { html: true }), []);
  for (const id of ['convergence', 'gas', 'bills']) assert.ok(!html.includes(`id="${id}"`), `no ${id} section`);
  assert.match(html, /central OPF/);
});

test('a report with only a title still renders', () => {
  const html = renderReportHtml({ title: 'Empty', currency: '$', periodLabels: [] });
  assert.deepEqual(checkWellFormed(html, { html: true }), []);
  assert.match(html, /This report has no data/);
});

test('the Markdown summary lists the headline rows and failed checks', () => {
  const report = sampleReportData({ buses: 5, periods: 6, iterations: 10 });
  report.checks!.push({ name: 'Price | match', value: 2, tolerance: 1, passed: false });
  const md = renderSummaryMarkdown(report);
  assert.match(md, /^# Sample day-ahead schedule/);
  assert.match(md, /\| Cost gap to central OPF +\| +\+0\.40 % \|/);
  assert.match(md, /Money conserved +\| +yes/);
  assert.match(md, /Price \\\| match .*\*\*FAIL\*\*/);
  assert.ok(md.endsWith('\n') && !md.endsWith('\n\n'));
  assert.equal(renderSummaryMarkdown(report), md);
});

test('sections with only missing values render with a note instead of failing', () => {
  const report = sampleReportData({ buses: 4, periods: 3, iterations: 3 });
  report.voltages!.magnitudePu = report.voltages!.magnitudePu.map((row) => row.map(() => Number.NaN));
  report.convergence!.primalResidual = [0, 0, 0];
  const html = renderReportHtml(report);
  assert.deepEqual(checkWellFormed(html, { html: true }), []);
  assert.match(html, /No finite voltage values/);
});
