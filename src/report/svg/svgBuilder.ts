/**
 * A tiny string builder for SVG: escaping, attribute rendering and fixed number formatting, so
 * that the same input always yields the same bytes (no locale, no float noise in coordinates).
 */

export type SvgAttributes = Record<string, string | number | undefined>;

/** Escapes the five XML special characters for text and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A coordinate with at most two decimals, no trailing zeros and no negative zero. */
export function formatCoordinate(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  if (Object.is(rounded, -0) || rounded === 0) return '0';
  return String(rounded);
}

function renderAttributes(attributes: SvgAttributes): string {
  let out = '';
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    const text = typeof value === 'number' ? formatCoordinate(value) : escapeXml(value);
    out += ` ${key}="${text}"`;
  }
  return out;
}

/** One element; `children` is markup already built (use `svgText` for escaped text). */
export function svgElement(tag: string, attributes: SvgAttributes = {}, children: readonly string[] | string = []): string {
  const inner = typeof children === 'string' ? children : children.join('');
  return inner === '' ? `<${tag}${renderAttributes(attributes)}/>` : `<${tag}${renderAttributes(attributes)}>${inner}</${tag}>`;
}

/**
 * A text element whose content is escaped. A `fill` is written as an inline style so it wins
 * over the figure stylesheet's class colours.
 */
export function svgText(x: number, y: number, text: string, attributes: SvgAttributes = {}): string {
  const { fill, ...rest } = attributes;
  const styled = fill === undefined ? rest : { ...rest, style: `fill:${fill}` };
  return `<text${renderAttributes({ x, y, ...styled })}>${escapeXml(text)}</text>`;
}

/** Polyline points attribute from coordinate pairs. */
export function formatPoints(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y]) => `${formatCoordinate(x)},${formatCoordinate(y)}`).join(' ');
}

/** Shared look of every figure: system fonts only, so the SVG needs nothing external. */
const figureStyle = [
  '.gc-figure text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;fill:#1f2933}',
  '.gc-figure .gc-title{font-size:15px;font-weight:600}',
  '.gc-figure .gc-axis-label{font-size:12px;fill:#3e4c59}',
  '.gc-figure .gc-tick{font-size:11px;fill:#52606d}',
  '.gc-figure .gc-legend{font-size:11.5px}',
  '.gc-figure .gc-node-label{font-size:10px;fill:#323f4b}',
  '.gc-figure .gc-note{font-size:12px;fill:#7b8794;font-style:italic}',
].join('');

/**
 * A complete standalone SVG figure with an accessible title. The figure scales to its container
 * width (viewBox) and keeps its aspect ratio.
 */
export function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  return svgElement(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${formatCoordinate(width)} ${formatCoordinate(height)}`,
      width,
      height,
      class: 'gc-figure',
      role: 'img',
      'aria-label': title,
    },
    [svgElement('title', {}, escapeXml(title)), svgElement('style', {}, figureStyle), svgElement('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), ...body],
  );
}
