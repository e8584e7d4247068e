// The HTML report's one style sheet and one script. Both are inline (the report is a single
// file) and allowed by the Content-Security-Policy through their SHA-256 hashes.

export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa; --link: #0969da;
  --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; --pass: #1a7f37; --pass-bg: #dafbe1;
  --info: #0969da; --info-bg: #ddf4ff; --skip: #59636e; --skip-bg: #eff2f5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.45;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --card: #151b23; --link: #4493f8;
    --fail: #ff7b72; --fail-bg: #3c1618; --warn: #e3b341; --warn-bg: #3a2e0d; --pass: #3fb950; --pass-bg: #12301d;
    --info: #58a6ff; --info-bg: #0c2d4e; --skip: #9198a1; --skip-bg: #21262d;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
main, header.run, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
a { color: var(--link); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
.name, .subject, td, .hop, .message, .fix { overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 0; overflow-wrap: anywhere; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
header.run { padding-top: 24px; padding-bottom: 8px; }
.verdict { display: flex; gap: 16px; align-items: flex-start; }
.verdict-word { font-size: 1.6rem; font-weight: 700; padding: 6px 14px; border-radius: 8px; margin: 0; }
.counts { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; padding: 0; list-style: none; }
.counts li { padding: 1px 8px; border-radius: 999px; font-size: 0.85rem; font-weight: 600; }
dl.pairs { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 16px; margin: 12px 0 0; font-size: 0.9rem; }
dl.pairs dt { color: var(--muted); }
dl.pairs dd { margin: 0; overflow-wrap: anywhere; }
ul.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.certificate h4 { margin: 0; font-size: 0.95rem; }
.certificate dl.pairs { margin-top: 4px; }
nav.targets table { border-collapse: collapse; margin: 16px 0; font-size: 0.92rem; }
nav.targets td, nav.targets th { padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
section.target { border-top: 1px solid var(--line); padding: 24px 0 8px; }
.target-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.role { color: var(--muted); font-size: 0.95rem; }
.badge { display: inline-block; font-weight: 700; font-size: 0.78rem; letter-spacing: 0.03em; padding: 1px 7px; border-radius: 5px; white-space: nowrap; }
.s-fail, .s-error { --accent: var(--fail); --accent-bg: var(--fail-bg); }
.s-warn { --accent: var(--warn); --accent-bg: var(--warn-bg); }
.s-pass { --accent: var(--pass); --accent-bg: var(--pass-bg); }
.s-info { --accent: var(--info); --accent-bg: var(--info-bg); }
.s-skip, .s-none { --accent: var(--skip); --accent-bg: var(--skip-bg); }
.badge, .verdict-word, .counts li { color: var(--accent); background: var(--accent-bg); }

/* The path a message takes: hops left to right, stacked on a narrow screen. */
.path { margin: 16px 0 4px; }
.hops { display: flex; flex-wrap: nowrap; gap: 28px; list-style: none; margin: 0; padding: 0; align-items: stretch; }
.hop { position: relative; flex: 1 1 0; min-width: 0; border: 1px solid var(--line); border-top: 4px solid var(--accent, var(--line)); border-radius: 8px; padding: 8px 10px; background: var(--card); }
.hop + .hop::before { content: "→"; position: absolute; left: -23px; top: 50%; transform: translateY(-50%); color: var(--muted); font-size: 1.2rem; }
.hop-kind { display: block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin-bottom: 2px; }
.hop-state { font-size: 0.8rem; color: var(--accent); font-weight: 600; }
.hop-detail { font-size: 0.85rem; color: var(--muted); margin: 2px 0 0; }
.hop .name { font-size: 0.85rem; }
.hop ul { list-style: none; margin: 6px 0 0; padding: 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 6px; }
.record { border-left: 3px solid var(--line); padding-left: 6px; font-size: 0.88rem; }
.record.selected { border-left-color: var(--accent, var(--fg)); font-weight: 600; }
.record.unused { opacity: 0.55; text-decoration: line-through; text-decoration-thickness: 1px; }
.record em, .peer em { display: block; font-style: normal; font-weight: 400; font-size: 0.8rem; color: var(--muted); text-decoration: none; }
.peer { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: 4px 8px; background: var(--bg); font-size: 0.88rem; }
.peer .facts { display: flex; flex-wrap: wrap; gap: 2px 10px; }
.hop.unreached { opacity: 0.6; border-style: dashed; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 0.8rem; color: var(--muted); margin-top: 8px; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; background: var(--accent); vertical-align: -1px; }
.legend .unused-sample::before { background: var(--line); }

/* Findings: problems worst first, each with its fix. */
ol.findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--accent); border-radius: 8px; padding: 10px 12px; }
.finding-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.finding-head .check { font-weight: 700; }
.finding-head .code { color: var(--muted); font-size: 0.8rem; }
.message, .fix { margin: 6px 0 0; white-space: pre-line; }
.fix { background: var(--accent-bg); border-radius: 6px; padding: 6px 10px; }
.fix strong { margin-right: 6px; }
.reference { margin: 6px 0 0; color: var(--muted); font-size: 0.82rem; }
ul.brief { margin: 0; padding: 0; list-style: none; display: grid; gap: 6px; }
ul.brief li { border-left: 4px solid var(--accent); padding: 2px 0 2px 10px; }
ul.brief .message { margin: 2px 0 0; font-size: 0.92rem; }
details { margin: 10px 0; border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; }
details > summary { cursor: pointer; font-weight: 600; }
details[open] > summary { margin-bottom: 8px; }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; width: 100%; font-size: 0.86rem; }
table.data th, table.data td { text-align: left; vertical-align: top; padding: 4px 10px 4px 0; border-bottom: 1px solid var(--line); }
table.data th { color: var(--muted); font-weight: 600; }
.disagree { color: var(--warn); font-weight: 600; }
footer { color: var(--muted); font-size: 0.82rem; padding-top: 16px; padding-bottom: 32px; }

@media (max-width: 760px) {
  :root { font-size: 14px; }
  main, header.run, footer { padding: 0 12px; }
  header.run { padding-top: 12px; }
  .verdict { flex-direction: column; gap: 6px; }
  .hops { flex-direction: column; gap: 26px; }
  .hop + .hop::before { content: "↓"; line-height: 1; left: 50%; top: -23px; transform: translateX(-50%); }
  dl.pairs { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.pairs dd { margin-bottom: 4px; }
  header.run dl.pairs { grid-template-columns: max-content minmax(0, 1fr); gap: 2px 10px; }
  table.data thead { display: none; }
  table.data tr { display: block; border-bottom: 1px solid var(--line); padding: 4px 0; }
  table.data td { display: block; border: none; padding: 1px 0; }
  table.data td::before { content: attr(data-label) ": "; color: var(--muted); font-family: system-ui, sans-serif; }
}
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --line: #b8c0c8; --card: #ffffff;
    --fail: #b3141f; --fail-bg: #ffebe9; --warn: #7a5200; --warn-bg: #fff8c5; --pass: #116329; --pass-bg: #dafbe1;
    --info: #0550ae; --info-bg: #ddf4ff; --skip: #444c56; --skip-bg: #eff2f5;
    font-size: 11pt;
  }
  main, header.run, footer { max-width: none; padding: 0; }
  nav.targets { display: none; }
  section.target { break-before: page; }
  section.target:first-of-type { break-before: auto; }
  .finding, .hop, .peer, tr { break-inside: avoid; }
  details { border: none; padding: 0; }
  details > summary { list-style: none; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@media print {
  details::details-content { content-visibility: visible; display: contents; }
}
`;

/** Opens every collapsed section for printing, and closes them again afterwards. */
export const SCRIPT = `
addEventListener('beforeprint', () => {
  for (const section of document.querySelectorAll('details:not([open])')) {
    section.dataset.openedForPrint = '';
    section.open = true;
  }
});
addEventListener('afterprint', () => {
  for (const section of document.querySelectorAll('details[data-opened-for-print]')) {
    delete section.dataset.openedForPrint;
    section.open = false;
  }
});
`;
