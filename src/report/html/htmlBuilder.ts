/**
 * Small HTML helpers for the report: escaping, tables, figures and sections. Text is always
 * escaped here; only SVG strings from the chart renderers are inserted as markup.
 */
import { escapeXml } from '../svg/svgBuilder.js';

export const escapeHtml = escapeXml;

export interface TableColumn {
  header: string;
  /** Right-align numbers. */
  numeric?: boolean;
}

/** A cell: plain text (escaped) or markup built by this module (e.g. a badge). */
export type HtmlCell = string | { html: string };

/** A pass/fail badge cell. */
export function badge(passed: boolean, text = passed ? 'pass' : 'FAIL'): HtmlCell {
  return { html: `<span class="badge ${passed ? 'pass' : 'fail'}">${escapeHtml(text)}</span>` };
}

/** A table with a header row. `rowClass` marks rows, e.g. failed checks. */
export function htmlTable(columns: readonly TableColumn[], rows: readonly (readonly HtmlCell[])[], rowClass?: (row: number) => string | undefined): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map((row, r) => {
      const cls = rowClass?.(r);
      const cells = row.map((cell, c) => `<td${columns[c]?.numeric ? ' class="num"' : ''}>${typeof cell === 'string' ? escapeHtml(cell) : cell.html}</td>`).join('');
      return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A figure holding one inline SVG and a caption (escaped). */
export function htmlFigure(svg: string, caption: string): string {
  return `<figure>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

/** A report section with an anchor id, a heading and an introductory sentence. */
export function htmlSection(id: string, heading: string, intro: string, content: readonly string[]): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(heading)}</h2>\n<p class="intro">${escapeHtml(intro)}</p>\n${content.join('\n')}\n</section>`;
}
