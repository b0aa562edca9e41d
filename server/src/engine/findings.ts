import { catalog, type FindingCode } from './codes';
import type { TextChange } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A place in a file: an absolute path and UTF-16 offsets into that file's text. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

export interface RelatedInfo {
  span: Span;
  message: string;
}

/**
 * One problem the engine found. `code` is stable and documented in the README; quick fixes and
 * CodeLens key off `code` and `data`, never off `message`.
 */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedInfo[];
  /** What a quick fix needs (names, suggestions, pointers); plain JSON. */
  data?: Record<string, unknown>;
}

export function finding(
  code: FindingCode,
  message: string,
  span: Span,
  extra: { related?: RelatedInfo[]; data?: Record<string, unknown>; severity?: Severity } = {},
): Finding {
  const f: Finding = { code, severity: extra.severity ?? catalog[code].severity, message, span };
  if (extra.related && extra.related.length > 0) f.related = extra.related;
  if (extra.data) f.data = extra.data;
  return f;
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * A finding carried over to texts edited since it was made ({@link TextChange} per file): its
 * spans moved past each edit. Only for findings that do not depend on what the edits changed.
 */
export function movedFinding(f: Finding, changes: ReadonlyMap<string, TextChange>): Finding {
  if (changes.size === 0) return f;
  const span = (s: Span): Span => {
    const change = changes.get(s.file);
    if (!change) return s;
    const delta = change.newEnd - change.oldEnd;
    return { file: s.file, start: s.start >= change.oldEnd ? s.start + delta : s.start, end: s.end >= change.oldEnd ? s.end + delta : s.end };
  };
  const out: Finding = { ...f, span: span(f.span) };
  if (f.related) out.related = f.related.map((r) => ({ ...r, span: span(r.span) }));
  return out;
}
