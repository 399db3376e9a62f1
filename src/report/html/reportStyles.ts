/** Pixel width of every report figure: the content width of a section (main 1040 minus padding). */
export const reportFigureWidth = 960;

/** The report's inline stylesheet: print-friendly, system fonts, no external resources. */
export const reportStyles = `
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--accent:#0072B2;--bad:#b2182b;--good:#1a7f4b;--bg:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:#102a43;color:#f0f4f8;padding:28px 40px 22px}
header h1{margin:0 0 4px;font-size:26px;font-weight:650;letter-spacing:-0.01em}
header p{margin:0;color:#bcccdc}
nav{background:#fff;border-bottom:1px solid var(--line);padding:10px 40px;position:sticky;top:0;z-index:1}
nav a{color:var(--accent);text-decoration:none;margin-right:18px;font-size:14px;white-space:nowrap}
nav a:hover{text-decoration:underline}
main{max-width:1040px;margin:0 auto;padding:8px 24px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:22px 0;padding:18px 26px 22px}
h2{margin:0 0 4px;font-size:20px;font-weight:650}
h3{margin:20px 0 6px;font-size:16px;font-weight:600}
p.intro{margin:0 0 14px;color:var(--muted)}
figure{margin:12px 0 18px}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px;min-width:50%}
th,td{padding:5px 12px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f0f4f8;font-weight:600;border-bottom:1px solid #cbd2d9}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td{background:#fdecea}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12.5px;font-weight:600}
.badge.pass{background:#e3f4ea;color:var(--good)}
.badge.fail{background:#fdecea;color:var(--bad)}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px;margin:6px 0 16px}
.kpi{border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:#fbfcfd}
.kpi .label{color:var(--muted);font-size:12.5px}
.kpi .value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.scroll{max-height:460px;overflow:auto;border:1px solid var(--line);border-radius:6px}
.scroll table{margin:0;width:100%}
.scroll th{position:sticky;top:0}
ul.notes{color:var(--muted);font-size:14px}
footer{color:var(--muted);font-size:12.5px;text-align:center;padding:0 0 28px}
@media print{nav{display:none}body{background:#fff}section{break-inside:avoid;border:none}.scroll{max-height:none;overflow:visible}}
`;
