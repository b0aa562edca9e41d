import type { Hover } from 'vscode-languageserver';
import { hoverAt, type NavigationView } from '../engine/navigation/index';

/**
 * Hover from the engine: a `$ref`'s target summary, or an operation with its typed/raw state and
 * where it is implemented and called. Answers from the current texts and the last good results.
 */
export function hover(view: NavigationView, offset: number): Hover | null {
  const info = hoverAt(view, offset);
  if (!info) return null;
  return { contents: { kind: 'markdown', value: info.markdown }, range: view.lines(info.span.file).range(info.span.start, info.span.end) };
}
