import type { TextEdit } from './model';

/** Offset of the first character of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

/** Offset just after the line break ending the line holding `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The whitespace before `offset` on its line, or undefined when something else precedes it. */
export function leadingIndent(text: string, offset: number): string | undefined {
  const start = lineStart(text, offset);
  const before = text.slice(start, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** True when only whitespace, commas and a comment follow `offset` on its line. */
export function restOfLineBlank(text: string, offset: number, allowComma = true): boolean {
  const end = text.indexOf('\n', offset);
  const rest = text.slice(offset, end < 0 ? text.length : end);
  return (allowComma ? /^[ \t,]*(#.*)?\r?$/ : /^[ \t]*(#.*)?\r?$/).test(rest);
}

/** The line ending the file uses. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Offset after a comma that follows `offset` (skipping spaces), or undefined. */
export function commaAfter(text: string, offset: number): number | undefined {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text[i] === ',' ? i + 1 : undefined;
}

/** Applies edits to a text (edits must not overlap): for doors that hold the text, and for tests. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error(`overlapping edits at ${e.start}-${e.end}`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

export interface Item {
  start: number;
  end: number;
}

/**
 * Inserts items into a bracketed, comma-separated sequence (a Python set, tuple, import list, a
 * YAML flow sequence), keeping its layout: one item per line stays one per line, with the same
 * indentation and trailing-comma habit; a one-line sequence stays on one line.
 * `open` is the offset of the opening bracket, `close` of the closing one.
 */
export function insertIntoSequence(file: string, text: string, open: number, close: number, items: readonly Item[], before: number | undefined, newItems: readonly string[]): TextEdit[] {
  const eol = eolOf(text);
  if (items.length === 0) return [{ file, start: open + 1, end: close, newText: newItems.join(', ') }];
  if (before !== undefined) {
    const b = items[before];
    const indent = leadingIndent(text, b.start);
    if (indent !== undefined) {
      const at = lineStart(text, b.start);
      return [{ file, start: at, end: at, newText: newItems.map((n) => `${indent}${n},${eol}`).join('') }];
    }
    return [{ file, start: b.start, end: b.start, newText: newItems.map((n) => `${n}, `).join('') }];
  }
  const last = items[items.length - 1];
  const indent = leadingIndent(text, last.start);
  const comma = commaAfter(text, last.end);
  if (indent !== undefined && leadingIndent(text, close) !== undefined && restOfLineBlank(text, comma ?? last.end, false)) {
    const at = nextLineStart(text, comma ?? last.end);
    const lines = newItems.map((n, i) => `${indent}${n}${comma !== undefined || i < newItems.length - 1 ? ',' : ''}${eol}`).join('');
    const edits: TextEdit[] = [{ file, start: at, end: at, newText: lines }];
    if (comma === undefined) edits.unshift({ file, start: last.end, end: last.end, newText: ',' });
    return edits;
  }
  if (indent !== undefined) {
    const at = comma ?? last.end;
    return [{ file, start: at, end: at, newText: newItems.map((n) => `${comma !== undefined ? '' : ','}${eol}${indent}${n}`).join(comma !== undefined ? ',' : '') + (comma !== undefined ? ',' : '') }];
  }
  return [{ file, start: last.end, end: last.end, newText: newItems.map((n) => `, ${n}`).join('') }];
}

/**
 * Removes item `index` of a comma-separated sequence with its comma: the whole line when the item
 * has its line to itself, otherwise just the item and its separator. Needs at least two items
 * (removing the only one is the caller's business: `{}` is not an empty set in Python).
 */
export function removeFromSequence(file: string, text: string, items: readonly Item[], index: number): TextEdit {
  const it = items[index];
  const comma = commaAfter(text, it.end);
  const after = comma ?? it.end;
  if (leadingIndent(text, it.start) !== undefined && restOfLineBlank(text, after, false)) {
    return { file, start: lineStart(text, it.start), end: nextLineStart(text, after), newText: '' };
  }
  if (comma !== undefined) {
    let end = comma;
    while (text[end] === ' ' || text[end] === '\t') end++;
    return { file, start: it.start, end, newText: '' };
  }
  return { file, start: items[index - 1].end, end: it.end, newText: '' };
}
