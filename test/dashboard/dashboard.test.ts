import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startAnvil, type AnvilNode } from '../../src/chain/node/startAnvil.js';
import { fromFixed } from '../../src/chain/fixedPoint.js';
import { toScenario } from '../../src/scenario/toScenario.js';
import { startDashboard, type Dashboard } from '../../src/dashboard/startDashboard.js';
import { runDay, type DayRunResult } from '../../src/pipeline/runDay.js';
import { verifyDay } from '../../src/pipeline/verifyDay.js';
import { checkWellFormed } from '../../src/report/svg/checkWellFormed.js';
import { tinyVerifyCase } from '../verify/tinyCase.js';

const chromiumPath = '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const scenario = toScenario(tinyVerifyCase());

let node: AnvilNode;
let dashboard: Dashboard;
let day: DayRunResult;
const inboxCounts: number[] = [];
let browser: Browser | null = null;
let page: Page | null = null;
/** Every `panels` event the stream sent while the day ran. */
const streamed: string[] = [];
let stopStream = () => {};

/** Reads the SSE stream in the background, one `panels` event per message. */
async function followStream(url: string): Promise<void> {
  const controller = new AbortController();
  stopStream = () => controller.abort();
  const response = await fetch(`${url}events`, { signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((l) => l.startsWith('data: '));
          if (message.includes('event: panels') && data) streamed.push(data.slice(6));
        }
      }
    } catch { /* aborted at the end of the test */ }
  })();
}

before(async () => {
  node = await startAnvil({ accounts: 12 });
  // The real pipeline (bus agents in a worker thread, batch poster, meters), with loose stopping
  // (1e-3 / 1e-2): a short day is enough to watch. The dashboard starts the way `run --dashboard` would.
  day = await runDay({
    scenario, rpcUrl: node.rpcUrl, agents: 'threads', workers: 1, central: false,
    admm: { stopping: { kind: 'boyd', epsAbs: 1e-3, epsRel: 1e-2 } },
    onReady: async (e) => {
      // Billing is not deployed yet: the dashboard finds it by its DayBound event.
      dashboard = await startDashboard({ rpcUrl: e.rpcUrl, coordinator: e.coordinator, fromBlock: e.deployBlock, pollMs: 100, busNames: scenario.buses.map((b) => b.id) });
      await followStream(dashboard.url);
      if (haveChromium) {
        const { chromium } = await import('playwright-core');
        browser = await chromium.launch({
          executablePath: chromiumPath, headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        });
        page = await browser.newPage();
        await page.goto(dashboard.url);
      }
    },
    onProgress: (p) => {
      if (p.phase !== 'iterate' || p.agentsReported === undefined || !dashboard) return;
      dashboard.publishProgress({ agentsReported: p.agentsReported });
      inboxCounts.push(p.agentsReported);
    },
  });
  await dashboard.refresh();
  await dashboard.refresh();
  console.log(`dashboard test day: ${day.iterations} iterations`);
});

after(async () => {
  stopStream();
  await browser?.close();
  await dashboard?.close();
  await node?.stop();
});

test('the dashboard state follows the chain: every iteration with gas, the DLMPs and the bills', () => {
  const s = dashboard.state();
  assert.equal(day.status, 'converged');
  assert.ok(day.iterations > 3, `${day.iterations} iterations`);
  assert.equal(s.phase, 'finalized');
  assert.equal(s.busCount, 4);
  assert.equal(s.iterations.length, day.iterations);
  assert.ok(s.iterations.every((it, k) => it.iteration === k && it.gas > 0 && it.primalResidual >= 0));
  assert.equal(s.iterations.at(-1)!.converged, true);
  assert.deepEqual(s.dlmp, day.finalSlices!.map((slice) => slice.dlmp.map((p) => fromFixed(p))));
  assert.deepEqual(s.bills.map((b) => b.bus), [0, 1, 2, 3]);
  assert.equal(s.billing?.toLowerCase(), day.endpoints.billing!.toLowerCase());
  assert.ok(inboxCounts.some((n) => n > 0), 'the pipeline reported its inbox');
});

test('the page and its live stream: well-formed HTML, updates while the day runs, the final panels', async () => {
  const html = await (await fetch(dashboard.url)).text();
  assert.deepEqual(checkWellFormed(html, { html: true }), []);
  assert.ok(!/<script[^>]+src=|<link[^>]+href=/.test(html), 'no external scripts or styles');
  assert.ok(streamed.length > 3, `the stream sent ${streamed.length} updates`);
  const last = JSON.parse(streamed.at(-1)!) as Record<string, string>;
  assert.match(last['status']!, /data-phase="finalized"/);
  assert.match(last['residuals']!, /<svg/);
  assert.match(last['dlmp']!, /<svg/);
  assert.equal((last['bills']!.match(/<tr>/g) ?? []).length, 1 + 4);
  assert.equal((await fetch(`${dashboard.url}nothing`)).status, 404);
});

test('chromium shows the live dashboard', { skip: haveChromium ? false : `${chromiumPath} is missing: install Debian's chromium to run the browser test` }, async () => {
  const p = page!;
  await p.waitForSelector('#panel-status [data-phase="finalized"]', { timeout: 20_000 });
  await p.waitForSelector('#panel-bills tbody tr:nth-child(4)', { timeout: 20_000 });
  assert.equal(await p.textContent('#live'), 'live');
  const updates = Number(await p.evaluate('document.body.dataset.updates || "0"'));
  assert.ok(updates > 3, `the page applied ${updates} updates`);
  assert.equal(await p.locator('#panel-residuals svg').count(), 1);
  assert.equal(await p.locator('#panel-gas svg').count(), 1);
  assert.equal(await p.locator('#panel-dlmp svg rect[fill]').count() > 12, true);
  assert.equal(await p.locator('#panel-agents .bus').count(), 4);
  assert.equal(Number(await p.getAttribute('#panel-status dl', 'data-iterations')), day.iterations);
});

test('the run the dashboard watched verifies independently, bills included', async () => {
  const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.endpoints.coordinator, billing: day.endpoints.billing!, caseOrScenario: scenario });
  assert.equal(result.ok, true, result.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.detail}`).join('\n'));
  assert.equal(result.iterations, day.iterations);
  const byBus = <T extends { bus: number }>(bills: readonly T[]) => [...bills].sort((a, b) => a.bus - b.bus);
  assert.deepEqual(byBus(result.bills), byBus(day.settlement!.bills));
});
