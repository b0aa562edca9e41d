import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { commands } from '../protocol';
import type { CheckResult, ContractEngine, ParsedDocument } from '../engine/index';
import type { TextEdit } from '../engine/edits';
import { specStubEdit, ignoreRouteEdit } from '../engine/parity/fixes';
import { coverageFixes } from '../engine/coverage/index';
import { qualityFixes } from '../engine/quality/fixes';
import type { ObjectNode } from "../engine/parse/ast";
import { deleteComponentEdit } from '../engine/checks/unused';
import { isComponentKind, kindLabel } from '../engine/spec/components';

type Data = Record<string, unknown> & { code?: string };

/**
 * Quick fixes, keyed off each diagnostic's code and data (never its message). Edits are computed
 * on the current text of the target file, through the engine's overlay-aware parser.
 */
export function codeActions(params: CodeActionParams, file: string, results: CheckResult[], engine: ContractEngine): CodeAction[] {
  const out: CodeAction[] = [];
  const read = (f: string): ParsedDocument | undefined => {
    const d = engine.readDocument(f);
    return 'error' in d ? undefined : d;
  };
  const toWorkspaceEdit = (edits: TextEdit[]) => {
    const changes: Record<string, LspTextEdit[]> = {};
    for (const e of edits) {
      const doc = read(e.file);
      const lines = doc?.lines ?? results[0]?.lines(e.file);
      if (!lines) continue;
      (changes[URI.file(e.file).toString()] ??= []).push({ range: lines.range(e.start, e.end), newText: e.newText });
    }
    return { changes };
  };
  const action = (title: string, diagnostic: Diagnostic, edits: (TextEdit | undefined)[], preferred = false) => {
    const real = edits.filter((e): e is TextEdit => !!e);
    if (real.length === 0) return;
    out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: toWorkspaceEdit(real) });
  };
  const here = read(file);
  for (const d of params.context.diagnostics) {
    const data = (d.data ?? {}) as Data;
    const code = String(d.code ?? '');
    const project = results.find((r) => r.findings.some((f) => f.code === code));
    if (code.startsWith('quality.')) {
      // Quality findings come from the worker, not from `results`: their data carries what the fix needs.
      if (here) {
        const span = { file, start: here.lines.offsetAt(d.range.start), end: here.lines.offsetAt(d.range.end) };
        for (const fix of qualityFixes(code, data, span, read)) action(fix.title, d, fix.edits, fix.isPreferred ?? false);
      }
      continue;
    }
    if (code.startsWith('coverage.') && code !== 'coverage.missing-from-facade') {
      // Coverage fixes need the finding itself (its data); find it by code and position.
      for (const r of results) {
        if (!r.coverage) continue;
        const lines = r.lines(file);
        const f = r.findings.find((x) => x.code === code && x.span.file === file && x.span.start === lines.offsetAt(d.range.start) && x.span.end === lines.offsetAt(d.range.end));
        if (!f) continue;
        for (const fix of coverageFixes(r.coverage, f)) action(fix.title, d, fix.edits, fix.isPreferred ?? false);
        break;
      }
      continue;
    }
    if (code === 'generate.stale-models' || code === 'coverage.missing-from-facade') {
      // The facade is regenerated with the models: one command writes every target.
      out.push({ title: 'Regenerate models', kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, command: { title: 'Regenerate models', command: commands.regenerateModels, arguments: [URI.file(file).toString()] } });
      continue;
    }
    switch (code) {
      case 'parity.undocumented-route': {
        const specFile = typeof data.specFile === 'string' ? data.specFile : undefined;
        const spec = specFile ? read(specFile) : undefined;
        if (spec) action(`Add ${String(data.method).toUpperCase()} ${data.path} to the spec`, d, [specStubEdit(spec, data as { method: string; path: string; suggestedOperationId?: string })], true);
        const configFile = project?.project.configFile;
        const config = configFile ? read(configFile) : undefined;
        if (config) action(`Ignore ${String(data.method).toUpperCase()} ${data.path} in contract-lens.yaml`, d, [ignoreRouteEdit(config, `${String(data.method).toUpperCase()} ${data.path}`)]);
        break;
      }
      case 'spec.missing-operation-id':
      case 'spec.duplicate-operation-id': {
        if (!here || typeof data.suggestedOperationId !== 'string') break;
        const start = here.lines.offsetAt(d.range.start);
        const end = here.lines.offsetAt(d.range.end);
        if (code === 'spec.duplicate-operation-id') {
          const quote = here.format === 'json' ? '"' : here.text[start] === '"' || here.text[start] === "'" ? here.text[start] : '';
          action(`Rename the operationId to "${data.suggestedOperationId}"`, d, [{ file, start, end, newText: `${quote}${data.suggestedOperationId}${quote}` }]);
        } else {
          const op = operationAt(here, start, end);
          if (op) action(`Add operationId "${data.suggestedOperationId}"`, d, [insertFirst(here, op, data.suggestedOperationId)], true);
        }
        break;
      }
      case 'ref.unresolved':
        if (here && typeof data.suggestedRef === 'string') {
          const start = here.lines.offsetAt(d.range.start);
          const end = here.lines.offsetAt(d.range.end);
          const raw = here.text.slice(start, end);
          const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
          action(`Change to "${data.suggestedRef}"`, d, [{ file, start, end, newText: `${quote}${data.suggestedRef}${quote}` }], true);
        }
        break;
      case 'spec.unused-component':
        if (here && typeof data.pointer === 'string') {
          const edit = deleteComponentEdit(here, data.pointer);
          // Only when the component is still where the diagnostic says.
          if (edit && edit.start <= here.lines.offsetAt(d.range.start) && here.lines.offsetAt(d.range.end) <= edit.end) action(`Delete unused ${kindWord(data.kind)} "${String(data.name)}"`, d, [edit], true);
        }
        break;
      case 'spec.invalid-status-code':
      case 'config.unknown-key':
      case 'config.invalid-value':
      case 'config.path-not-found':
        if (here && typeof data.suggestion === 'string') {
          const start = here.lines.offsetAt(d.range.start);
          const end = here.lines.offsetAt(d.range.end);
          const raw = here.text.slice(start, end);
          const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : code === 'spec.invalid-status-code' && here.format === 'yaml' ? "'" : '';
          action(`Change to "${data.suggestion}"`, d, [{ file, start, end, newText: `${quote}${data.suggestion}${quote}` }], true);
        }
        break;
    }
  }
  return out;
}

function kindWord(kind: unknown): string {
  return typeof kind === 'string' && isComponentKind(kind) ? kindLabel[kind] : 'component';
}

/** The operation object whose method key spans [start, end). */
function operationAt(doc: ParsedDocument, start: number, end: number): ObjectNode | undefined {
  let found: ObjectNode | undefined;
  const visit = (node: ObjectNode) => {
    for (const p of node.properties) {
      if (p.keyStart === start && p.keyEnd === end && p.value.kind === 'object') found = p.value;
      else if (p.value.kind === 'object' && p.value.start <= start && p.value.end >= end) visit(p.value);
    }
  };
  if (doc.root?.kind === 'object') visit(doc.root);
  return found;
}

/** Inserts `operationId` as the first key of an operation, in the file's style. */
function insertFirst(doc: ParsedDocument, op: ObjectNode, id: string): TextEdit | undefined {
  const first = op.properties[0];
  if (!first) return { file: doc.path, start: op.start + 1, end: op.end - 1, newText: doc.format === 'json' ? ` "operationId": ${JSON.stringify(id)} ` : ` operationId: ${id} ` };
  const text = doc.text;
  const lineStart = text.lastIndexOf('\n', first.keyStart - 1) + 1;
  const indent = text.slice(lineStart, first.keyStart);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  if (doc.format === 'json') return { file: doc.path, start: first.keyStart, end: first.keyStart, newText: `"operationId": ${JSON.stringify(id)},${nl}${indent}` };
  if (/^\s*$/.test(indent)) return { file: doc.path, start: first.keyStart, end: first.keyStart, newText: `operationId: ${id}${nl}${indent}` };
  return { file: doc.path, start: first.keyStart, end: first.keyStart, newText: `operationId: ${id}, ` };
}

