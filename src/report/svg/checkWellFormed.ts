/**
 * A small well-formedness check for the markup the renderers emit: tags balance and nest,
 * attributes are quoted, text and attribute values contain no raw "<" and only known entities.
 * Not a full XML parser; enough to catch escaping and nesting bugs in tests and callers.
 */

/** HTML elements that never take a closing tag. */
const htmlVoidElements = new Set(['meta', 'br', 'link', 'hr', 'img', 'input']);

const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

/**
 * Problems found in `markup`, empty when well formed. With `html`, a leading doctype and the
 * void elements (meta, br, …) are accepted.
 */
export function checkWellFormed(markup: string, options: { html?: boolean } = {}): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let i = 0;
  const checkText = (text: string, where: number) => {
    for (let k = text.indexOf('&'); k >= 0; k = text.indexOf('&', k + 1)) {
      if (!entity.test(text.slice(k))) problems.push(`unescaped "&" at ${where + k}`);
    }
  };
  while (i < markup.length) {
    const lt = markup.indexOf('<', i);
    const textEnd = lt < 0 ? markup.length : lt;
    checkText(markup.slice(i, textEnd), i);
    if (lt < 0) break;
    if (markup.startsWith('<!--', lt)) {
      const end = markup.indexOf('-->', lt);
      if (end < 0) return [...problems, `unclosed comment at ${lt}`];
      i = end + 3;
      continue;
    }
    if (options.html && /^<!DOCTYPE html>/i.test(markup.slice(lt, lt + 15))) {
      i = lt + 15;
      continue;
    }
    const gt = markup.indexOf('>', lt);
    if (gt < 0) return [...problems, `unclosed tag at ${lt}`];
    const tag = markup.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const expected = open.pop();
      if (expected !== name) problems.push(`closing </${name}> at ${lt} but <${expected ?? 'nothing'}> is open`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const match = /^([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*$/.exec(body);
      if (!match) {
        problems.push(`malformed tag <${tag.slice(0, 40)}> at ${lt}`);
      } else {
        checkText(match[2]!, lt);
        const name = match[1]!;
        if (!selfClosing && !(options.html && htmlVoidElements.has(name.toLowerCase()))) open.push(name);
      }
    }
    i = gt + 1;
  }
  if (open.length > 0) problems.push(`unclosed elements: ${open.join(', ')}`);
  return problems;
}
