import type { Finding } from '../findings';
import type { CoverageFix, CoverageResult, DeclEntry, DeclList, Declarations, ListKind, OperationCoverage, TextEdit, TypedDecl } from './model';

/**
 * Quick fixes of coverage findings, keyed off the finding's code and data (never its message).
 * Edits are offsets into the texts the check read: the door applies them only while the document
 * still has the version the result was computed for.
 */
export function coverageFixes(result: CoverageResult, f: Finding): CoverageFix[] {
  const data = (f.data ?? {}) as Record<string, string | undefined>;
  const decls = result.declarations;
  const ed = decls.editor;
  const fixes: CoverageFix[] = [];
  const add = (fix: CoverageFix | undefined) => {
    if (fix && fix.edits.length > 0) fixes.push(fix);
  };
  switch (f.code) {
    case 'coverage.undeclared-operation':
      add(declareTyped(result, data.operationId!));
      add(declareRaw(result, data.operationId!));
      break;
    case 'coverage.stale-declaration':
    case 'coverage.all-set-mismatch': {
      if (data.direction === 'missing-from-set') {
        add({ title: `Add "${data.operationId}" to ${decls.all?.name}`, kind: 'add-to-all', isPreferred: true, edits: ed.insertEntry('all', data.operationId!, entryBefore(result, decls.all, data.operationId!)) });
        break;
      }
      const value = data.operationId!;
      if (data.suggestion) add({ title: `Rename "${value}" to "${data.suggestion}"`, kind: 'rename', isPreferred: true, edits: renameEverywhere(decls, value, data.suggestion) });
      const kind = f.code === 'coverage.all-set-mismatch' ? 'all' : (data.kind as 'typed' | ListKind);
      add({ title: `Remove "${value}" from the declarations`, kind: 'remove', isPreferred: !data.suggestion, edits: removeAt(decls, kind, f.span.start) });
      break;
    }
    case 'coverage.typed-and-raw': {
      const typed = typedFor(decls, data.operationId!);
      add({ title: `Keep "${data.operationId}" typed (remove the raw entry)`, kind: 'remove', isPreferred: true, edits: removeAt(decls, 'raw', f.span.start) });
      if (typed) add({ title: `Keep "${data.operationId}" raw (remove the typed declaration)`, kind: 'remove', edits: ed.removeTyped(typed) });
      break;
    }
    case 'coverage.duplicate-declaration':
      add({ title: `Remove the duplicate "${data.value}"`, kind: 'remove', isPreferred: true, edits: removeAt(decls, data.kind as 'typed' | ListKind, f.span.start) });
      break;
    case 'coverage.unknown-model': {
      const ref = decls.typed.flatMap((d) => [d.request, ...d.responses]).find((r) => r && r.span.start === f.span.start);
      if (!ref) break;
      if (data.reason === 'not-imported') add({ title: `Import "${data.model}"`, kind: 'add-import', isPreferred: true, edits: ed.ensureModels([data.model!]) });
      else if (data.suggestion) add({ title: `Change to "${data.suggestion}"`, kind: 'replace-model', isPreferred: true, edits: ed.replaceModel(ref, data.suggestion) });
      break;
    }
    case 'coverage.uncovered-response': {
      const decl = typedFor(decls, data.operationId!);
      if (!decl || !data.model) break;
      if (data.declared) {
        const ref = decl.responses.find((r) => r.span.start === f.span.start);
        if (ref) add({ title: `Change to "${data.model}"`, kind: 'replace-model', isPreferred: true, edits: ed.replaceModel(ref, data.model) });
      } else {
        add({ title: `Add response model "${data.model}"${decl.responsesByStatus ? ` for ${data.status}` : ''}`, kind: 'add-model', isPreferred: true, edits: ed.addResponse(decl, data.model, decl.responsesByStatus || decl.responses.length === 0 ? data.status : undefined) });
      }
      break;
    }
    case 'coverage.request-mismatch': {
      const decl = typedFor(decls, data.operationId!);
      if (!decl) break;
      add({ title: data.expected ? `Use request model "${data.expected}"` : 'Remove the request model', kind: 'replace-model', isPreferred: true, edits: ed.setRequest(decl, data.expected) });
      break;
    }
    case 'coverage.strict-not-typed':
      if (data.reason === 'strict-set') add({ title: `Remove "${data.operationId}" from ${decls.strict?.name}`, kind: 'remove', edits: removeAt(decls, 'strict', f.span.start) });
      add(declareTyped(result, data.operationId!));
      if (fixes.length > 0) fixes[fixes.length - 1].isPreferred = data.reason !== 'strict-set';
      break;
    default:
      break;
  }
  return fixes;
}

/**
 * "Declare typed" for an operation (CodeLens and quick fix): a new typed entry in spec order, with
 * the SDK key derived from its tag and operationId and the models the spec documents; the
 * operationId is added to the hand-kept all-set and removed from a raw list when needed.
 */
export function declareTyped(result: CoverageResult, operationId: string): CoverageFix | undefined {
  const op = result.operations.find((o) => o.operationId === operationId);
  if (!op) return undefined;
  const decls = result.declarations;
  const ed = decls.editor;
  const key = suggestKey(op, new Set(decls.typed.map((d) => d.key).filter((k): k is string => k !== undefined)));
  const responses = op.documented.responses.filter((r): r is { status: string; model: string } => r.model !== undefined);
  const edits: TextEdit[] = [...ed.insertTyped({ key, operationId, request: op.documented.request, responses }, typedBefore(result, operationId))];
  if (decls.all?.editable && !decls.all.entries.some((e) => e.value === operationId)) edits.push(...ed.insertEntry('all', operationId, entryBefore(result, decls.all, operationId)));
  if (!decls.rawDerived && decls.raw) for (const e of decls.raw.entries.filter((x) => x.value === operationId)) edits.push(...ed.removeEntry('raw', e));
  return { title: `Declare typed (${key})`, kind: 'declare-typed', edits };
}

/** "Declare raw" for an operation: into the all-set when raw is "all minus typed", else into the raw list. */
export function declareRaw(result: CoverageResult, operationId: string): CoverageFix | undefined {
  const decls = result.declarations;
  const ed = decls.editor;
  const edits: TextEdit[] = [];
  if (decls.source === 'python' && decls.all?.editable && !decls.all.entries.some((e) => e.value === operationId)) edits.push(...ed.insertEntry('all', operationId, entryBefore(result, decls.all, operationId)));
  if (!decls.rawDerived || !decls.all) edits.push(...ed.insertEntry('raw', operationId, entryBefore(result, decls.raw, operationId)));
  return { title: 'Declare raw', kind: 'declare-raw', edits };
}

/** An SDK operation key in the reference project's style: `<tag>.<verb>` (`sessions.create`). */
export function suggestKey(op: Pick<OperationCoverage, 'operationId' | 'tags' | 'path'>, taken: Set<string>): string {
  const words = (op.operationId ?? 'call')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const segment = op.path.split('/').find((s) => s !== '' && s !== 'api' && !s.startsWith('{')) ?? 'api';
  const group = (op.tags[0] ?? segment).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'api';
  const short = `${group}.${words[0] ?? 'call'}`;
  return taken.has(short) ? `${group}.${words.join('_')}` : short;
}

function specIndex(result: CoverageResult): Map<string, number> {
  const index = new Map<string, number>();
  result.operations.forEach((o, i) => {
    if (o.operationId !== undefined && !index.has(o.operationId)) index.set(o.operationId, i);
  });
  return index;
}

/** The first typed declaration (in file order) of an operation that comes later in the spec. */
function typedBefore(result: CoverageResult, operationId: string): TypedDecl | undefined {
  const index = specIndex(result);
  const target = index.get(operationId) ?? Infinity;
  return result.declarations.typed.find((d) => d.operationId !== undefined && (index.get(d.operationId) ?? -1) > target);
}

/** The first entry of a list naming an operation that comes later in the spec than `operationId`. */
function entryBefore(result: CoverageResult, list: DeclList | undefined, operationId: string): DeclEntry | undefined {
  if (!list) return undefined;
  const index = specIndex(result);
  const byKey = new Map(result.declarations.typed.filter((d) => d.key !== undefined).map((d) => [d.key!, d.operationId]));
  const target = index.get(operationId) ?? Infinity;
  return list.entries.find((e) => (index.get(e.value) ?? index.get(byKey.get(e.value) ?? '') ?? -1) > target);
}

function typedFor(decls: Declarations, operationId: string): TypedDecl | undefined {
  return decls.typed.find((d) => d.operationId === operationId);
}

/** Removes the declaration whose token starts at `start`: a typed entry (by its id or key) or a list entry. */
function removeAt(decls: Declarations, kind: 'typed' | ListKind, start: number): TextEdit[] {
  if (kind === 'typed') {
    const d = decls.typed.find((x) => x.idEntry?.span.start === start || x.keySpan?.start === start || x.span.start === start);
    return d ? decls.editor.removeTyped(d) : [];
  }
  const list = decls[kind];
  const e = list?.entries.find((x) => x.span.start === start);
  return e ? decls.editor.removeEntry(kind, e) : [];
}

/** Renames an operationId in every declaration that names it (typed, all, raw, strict). */
function renameEverywhere(decls: Declarations, from: string, to: string): TextEdit[] {
  const entries: DeclEntry[] = [];
  for (const d of decls.typed) if (d.idEntry?.value === from) entries.push(d.idEntry);
  for (const list of [decls.all, decls.raw, decls.strict]) for (const e of list?.entries ?? []) if (e.value === from) entries.push(e);
  return entries.map((e) => ({ file: e.contentSpan.file, start: e.contentSpan.start, end: e.contentSpan.end, newText: to }));
}
