/**
 * The dashboard's single page: inline CSS and a few lines of inline JavaScript that subscribe to
 * the server's Server-Sent Events and swap in the panels it renders. No framework, no CDN.
 */
import { escapeHtml } from '../report/html/htmlBuilder.js';
import type { DashboardPanels } from './dashboardState.js';

const styles = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f7fa;color:#1f2933}
header{background:#1f2933;color:#f5f7fa;padding:12px 20px}
header h1{font-size:18px;margin:0}header p{margin:2px 0 0;font-size:12px;color:#cbd2d9;word-break:break-all}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:14px;padding:14px}
section{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:10px 14px;overflow:auto}
section h2{font-size:15px;margin:0 0 8px}
svg{max-width:100%;height:auto}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:6px 14px;margin:0}
.facts dt{font-size:11px;color:#616e7c}.facts dd{margin:0;font-weight:600}
.buses{display:flex;flex-wrap:wrap;gap:4px}
.bus{min-width:26px;text-align:center;padding:2px 4px;border-radius:4px;background:#e4e7eb;color:#52606d;font-size:11px}
.bus.in{background:#2f855a;color:#fff}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #e4e7eb;text-align:left}td{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.empty{color:#7b8794;font-style:italic}.error{color:#c53030;font-weight:600}
#live{font-size:12px;color:#9aa5b1}#live.on{color:#68d391}
`;

// Swaps each panel's HTML when the server sends a "panels" event; reconnects on its own (EventSource).
const script = `
const live = document.getElementById('live');
const source = new EventSource('/events');
source.addEventListener('panels', (e) => {
  const panels = JSON.parse(e.data);
  for (const [id, html] of Object.entries(panels)) {
    const el = document.getElementById('panel-' + id);
    if (!el || el.dataset.html === html) continue;
    el.innerHTML = html;
    el.dataset.html = html;
  }
  document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
});
source.onopen = () => { live.textContent = 'live'; live.className = 'on'; };
source.onerror = () => { live.textContent = 'reconnecting…'; live.className = ''; };
`;

const titles: Record<keyof DashboardPanels, string> = {
  status: 'Run', residuals: 'Convergence', rho: 'Penalty rho', gas: 'Gas', agents: 'Agents reported', dlmp: 'Prices', bills: 'Bills',
};

/** The whole page with the panels as they are now (the SSE stream keeps them current). */
export function renderDashboardPage(o: { coordinator: string; billing: string | null; rpcUrl: string; panels: DashboardPanels }): string {
  const sections = (Object.keys(titles) as Array<keyof DashboardPanels>)
    .map((id) => `<section><h2>${titles[id]}</h2><div id="panel-${id}">${o.panels[id]}</div></section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>gridconsensus live</title>
<style>${styles}</style>
</head>
<body>
<header><h1>gridconsensus: the day on chain <span id="live">connecting…</span></h1>
<p>coordinator ${escapeHtml(o.coordinator)}${o.billing ? ` · billing ${escapeHtml(o.billing)}` : ''} · node ${escapeHtml(o.rpcUrl)}</p></header>
<main>
${sections}
</main>
<script>${script}</script>
</body>
</html>
`;
}
