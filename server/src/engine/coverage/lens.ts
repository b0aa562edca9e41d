import type { Span } from '../findings';
import { relativePath } from '../paths';
import type { LineIndex } from '../text';
import { declareRaw, declareTyped } from './fixes';
import type { CoverageResult, OperationCoverage, TextEdit } from './model';

/**
 * A coverage CodeLens as plain data: where it sits, its title, and what a click does. The LSP
 * adapter turns `command` into a VS Code command: `reveal` opens `target`, `applyEdits` applies
 * `edits` (checked against the document version), `showReport` opens the coverage report.
 */
export interface CoverageLens {
  span: Span;
  title: string;
  kind: 'summary' | 'operation' | 'declaration';
  command?: { name: 'reveal'; target: Span } | { name: 'applyEdits'; edits: TextEdit[]; operationId: string; action: 'declare-typed' | 'declare-raw' } | { name: 'showReport' };
}

/** "11/71 (15 %)": the share of typed operations, as the lens, the status bar and the report show it. */
export function coverageRatio(typed: number, total: number): string {
  return `${typed}/${total} (${total === 0 ? 0 : Math.round((typed / total) * 100)} %)`;
}

/** The summary line: "Typed coverage 11/71 (15 %) · strict 11 · raw 60" (undeclared only when there are some). */
export function coverageSummary(result: CoverageResult): string {
  const t = result.totals;
  return `Typed coverage ${coverageRatio(t.typed, t.operations)} · strict ${t.strict} · raw ${t.raw}${t.undeclared > 0 ? ` · undeclared ${t.undeclared}` : ''}`;
}

/** Text and tooltip of the status-bar item for the active project. */
export function coverageStatus(result: CoverageResult): { text: string; tooltip: string } {
  const t = result.totals;
  return {
    text: `Typed ${coverageRatio(t.typed, t.operations)}`,
    tooltip: `${coverageSummary(result)} · mode ${result.mode}${t.undeclared > 0 ? ` — ${t.undeclared} operation${t.undeclared === 1 ? '' : 's'} not declared` : ''}`,
  };
}

/** "typed · sessions.create · CreateSessionRequest → Session (+2)". */
export function operationTitle(o: OperationCoverage): string {
  if (o.state === 'raw') return 'raw';
  if (o.state === 'undeclared') return 'undeclared';
  const models = [...new Set(o.responses.map((r) => r.model))];
  const response = models.length > 0 ? `${models[0]}${models.length > 1 ? ` (+${models.length - 1})` : ''}` : '';
  const shape = o.request ? `${o.request} → ${response || '∅'}` : response ? `→ ${response}` : 'no models';
  return `typed · ${o.key ?? o.operationId} · ${shape}${o.strict ? ' · strict' : ''}`;
}

/**
 * Every coverage lens of one file: the summary at the top of each spec, one (or, for undeclared
 * operations, three: "undeclared", "declare typed", "declare raw") above each spec operation, and
 * above each entry of the declarations file the operation it points at.
 */
export function coverageLenses(result: CoverageResult, file: string, lines: (file: string) => LineIndex, root: string): CoverageLens[] {
  const out: CoverageLens[] = [];
  if (result.specs.includes(file)) out.push({ span: { file, start: 0, end: 0 }, title: coverageSummary(result), kind: 'summary', command: { name: 'showReport' } });
  for (const o of result.operations) {
    if (o.span.file !== file) continue;
    if (o.state !== 'undeclared') {
      out.push({ span: o.span, title: operationTitle(o), kind: 'operation', ...(o.declaration ? { command: { name: 'reveal' as const, target: o.declaration } } : {}) });
      continue;
    }
    out.push({ span: o.span, title: o.operationId ? 'undeclared' : 'undeclared (no operationId)', kind: 'operation' });
    if (!o.operationId) continue;
    for (const fix of [declareTyped(result, o.operationId), declareRaw(result, o.operationId)]) {
      if (fix && fix.edits.length > 0) {
        out.push({ span: o.span, title: fix.kind === 'declare-typed' ? 'declare typed' : 'declare raw', kind: 'operation', command: { name: 'applyEdits', edits: fix.edits, operationId: o.operationId, action: fix.kind as 'declare-typed' | 'declare-raw' } });
      }
    }
  }
  for (const t of result.targets) {
    if (t.span.file !== file) continue;
    if (!t.operation) {
      out.push({ span: t.span, title: `"${t.value}" is not in the spec`, kind: 'declaration' });
      continue;
    }
    const at = `${relativePath(root, t.operation.span.file)}:${lines(t.operation.span.file).positionAt(t.operation.span.start).line + 1}`;
    out.push({ span: t.span, title: `${t.operation.method.toUpperCase()} ${t.operation.path} · ${at}`, kind: 'declaration', command: { name: 'reveal', target: t.operation.span } });
  }
  return out;
}
