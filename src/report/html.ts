// compare.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the comparison
// table, the charts (loss-log columns by epoch) in a grid of columns as wide as the window allows, each
// scaled to its column, and each group's run folders. Builds the text only; writing it is runner's.

import { tableCells, tableNote, type ComparisonTable } from './table.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; }
td.text, th.text { text-align: left; }
tr.best { background: #eef7ee; font-weight: 600; }
tr.tied { background: #f6f6ea; }
.note, .runs { color: #555; font-size: 13px; }
.table { overflow-x: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 620px), 1fr)); gap: 1em 2em; }
figure { margin: 1em 0; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; }`;

export interface Figure {
  /** The element id (`chart` for the main one). */
  id: string;
  /** The chart, as SVG text (inlined). */
  svg: string;
  /** A sentence about the chart (its metric and band). */
  caption: string;
}

export interface ComparePage {
  table: ComparisonTable;
  figures: readonly Figure[];
  /** What was compared: the paths given. */
  inputs: readonly string[];
}

function figureHtml(f: Figure): string {
  const svg = f.svg.replace(/^<\?xml[^>]*>\s*/, '').trim();
  return `<figure id="${escapeHtml(f.id)}">\n${svg}\n<figcaption class="note">${escapeHtml(f.caption)}</figcaption>\n</figure>`;
}

function tableHtml(t: ComparisonTable): string {
  const { header, rows, text } = tableCells(t);
  const cls = (c: number) => (text[c] ? ' class="text"' : '');
  const head = `<tr>${header.map((h, c) => `<th${cls(c)} scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r, i) => {
    const attr = t.groups[i].best ? ' class="best"' : t.groups[i].tied ? ' class="tied"' : '';
    return `<tr${attr} data-group="${escapeHtml(t.groups[i].label)}">${r.map((cell, c) => `<td${cls(c)}>${escapeHtml(cell)}</td>`).join('')}</tr>`;
  });
  return `<div class="table"><table id="groups">\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table></div>`;
}

function runsHtml(t: ComparisonTable): string {
  const items = t.groups.map((g) => `<li><b>${escapeHtml(g.label)}</b>: ${g.dirs.map((d) => `<code>${escapeHtml(d)}</code>`).join(', ')}</li>`);
  return `<details class="runs"><summary>Run folders of each group</summary><ul>\n${items.join('\n')}\n</ul></details>`;
}

/** The whole page. */
export function comparePageHtml(page: ComparePage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mlplab compare</title>
<style>${STYLE}
</style>
</head>
<body>
<h1>mlplab compare</h1>
<p class="note">Compared: ${page.inputs.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}</p>
${tableHtml(page.table)}
<p class="note">${escapeHtml(tableNote(page.table)).replaceAll('\n', '<br>\n')}</p>
<div class="charts">
${page.figures.map(figureHtml).join('\n')}
</div>
${runsHtml(page.table)}
</body>
</html>
`;
}
