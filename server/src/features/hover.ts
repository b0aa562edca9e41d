import type { Hover } from 'vscode-languageserver';
import type { LineIndex } from '../engine/index';
import { hoverAt, textDelta, type NavigationView } from '../engine/navigation/index';

/**
 * Hover from the engine: a `$ref`'s target summary, or an operation with its typed/raw state and
 * where it is implemented and called. Answers from the current texts and the last good results.
 */
export function hover(view: NavigationView, offset: number): Hover | null {
  const info = hoverAt(view, offset);
  if (!info) return null;
  return { contents: { kind: 'markdown', value: info.markdown }, range: view.lines(info.span.file).range(info.span.start, info.span.end) };
}

/**
 * Hover in a large document edited since its last check, without parsing it again: the question
 * is mapped into the checked text (`view` is built from the checked specs) and the answer's range
 * back into the current one. A position inside the edited stretch gets no hover until the
 * re-check lands (it would describe text that is no longer there).
 */
export function hoverSinceChecked(view: NavigationView, checked: string, current: string, currentLines: LineIndex, offset: number): Hover | null {
  const delta = textDelta(checked, current);
  const at = delta.toChecked(offset);
  if (at === undefined) return null;
  const info = hoverAt(view, at);
  if (!info) return null;
  if (info.span.file !== view.file) return { contents: { kind: 'markdown', value: info.markdown }, range: view.lines(info.span.file).range(info.span.start, info.span.end) };
  const start = delta.toCurrent(info.span.start);
  const end = delta.toCurrent(info.span.end);
  const range = start !== undefined && end !== undefined ? currentLines.range(start, end) : undefined;
  return { contents: { kind: 'markdown', value: info.markdown }, ...(range ? { range } : {}) };
}
