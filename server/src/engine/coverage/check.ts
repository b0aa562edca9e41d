import * as path from 'node:path';
import type { ProjectContext } from '../context';
import { finding, type Finding, type RelatedInfo, type Span } from '../findings';
import type { FindingCode } from '../codes';
import type { ValidationMode } from '../config/config';
import type { MediaInfo, Operation } from '../spec/operations';
import { didYouMean } from '../similarity';
import { relativePath } from '../paths';
import type { CoverageResult, DeclEntry, DeclList, Declarations, DeclarationsEditor, DeclarationTarget, OperationCoverage, TypedDecl } from './model';
import { LineIndex } from '../text';
import { refName } from '../spec/pointer';
import { readPythonDeclarations } from './python';
import { declarationsFileName, readYamlDeclarations } from './yaml';
import { knownModels, pythonModuleResolver, relativeModelsModule } from './models';
import { facadeCoverageFindings } from './facade';

/** A spec operation with the root spec it belongs to. */
export interface SpecOperation {
  op: Operation;
  spec: string;
}

/**
 * The typed-coverage check of one project: reads the declarations (YAML file or Python module),
 * partitions the spec's operations into typed, raw and undeclared, and reports every way the
 * declarations and the spec disagree. Returns undefined when the project has no readable
 * declarations (the config check already says why).
 */
export function checkCoverage(ctx: ProjectContext): CoverageResult | undefined {
  const cfg = ctx.config.coverage;
  if (!cfg) return undefined;
  const findings: Finding[] = [];
  let file = cfg.file;
  if (!file && cfg.source === 'yaml') {
    const candidate = path.join(ctx.config.root, declarationsFileName);
    if (ctx.host.fs.stat(candidate) === 'file') file = candidate;
  }
  if (!file) {
    // Coverage is configured but nothing declares it: one finding at the config, every operation undeclared.
    const where = configCoverageKey(ctx);
    if (!where || where.hasFile) return undefined; // a missing coverage.file is reported by the config check
    const message = cfg.source === 'yaml' ? `No declarations file: create ${declarationsFileName} next to contract-lens.yaml, or name one with coverage.file.` : 'No contracts module: name the Python module with coverage.file.';
    findings.push(finding('coverage.invalid-declaration', message, where.span, { data: { reason: 'no-file' } }));
    return emptyResult(ctx, cfg.source, where.span.file, cfg.mode, findings);
  }

  let decls: Declarations;
  if (cfg.source === 'python') {
    if (!ctx.sources.ready) return undefined;
    const src = ctx.source(file);
    if (!src) return undefined;
    decls = readPythonDeclarations(src, cfg.python, pythonModuleResolver(ctx, file), relativeModelsModule(ctx, file));
  } else {
    const doc = ctx.document(file);
    if (!doc) return undefined;
    for (const p of doc.problems) {
      findings.push(
        p.kind === 'duplicate-key'
          ? finding('syntax.duplicate-key', p.message, { file, start: p.start, end: p.end }, { data: { key: p.key } })
          : finding('syntax.error', p.message, { file, start: p.start, end: p.end }),
      );
    }
    decls = readYamlDeclarations(doc);
  }
  for (const p of decls.problems) findings.push(finding('coverage.invalid-declaration', p.message, p.span, { data: { reason: 'unreadable', ...(p.data ?? {}) } }));

  const mode: ValidationMode = decls.mode ?? cfg.mode;
  const ops: SpecOperation[] = ctx.specs.flatMap((s) => s.index.operations.map((op) => ({ op, spec: s.root })));
  const byId = new Map<string, SpecOperation[]>();
  for (const o of ops) {
    if (o.op.operationId === undefined) continue;
    const list = byId.get(o.op.operationId);
    if (list) list.push(o);
    else byId.set(o.op.operationId, [o]);
  }
  const specIds = [...byId.keys()];
  const lineIndexes = new Map<string, LineIndex>();
  const rel = (s: Span) => {
    let lines = lineIndexes.get(s.file);
    if (!lines) lineIndexes.set(s.file, (lines = new LineIndex(ctx.readText(s.file) ?? '')));
    return `${relativePath(ctx.config.root, s.file)}:${lines.positionAt(s.start).line + 1}`;
  };
  const opRelated = (id: string, message: string): RelatedInfo[] => {
    const o = byId.get(id)?.[0]?.op;
    return o ? [{ span: o.operationIdSpan ?? o.methodSpan, message }] : [];
  };
  const push = (code: FindingCode, message: string, span: Span, data: Record<string, unknown>, related?: RelatedInfo[]) => findings.push(finding(code, message, span, { data, related }));

  // Typed declarations.
  const typedIds = new Map<string, TypedDecl>();
  const typedByKey = new Map<string, TypedDecl>();
  const declaredTypedIds = new Set(decls.typed.map((d) => d.operationId).filter((x): x is string => x !== undefined));
  const suggested = new Set<string>();
  const seenTypedIds = new Map<string, TypedDecl>();
  for (const d of decls.typed) {
    const idSpan = d.idEntry?.span ?? d.span;
    const prevId = d.operationId !== undefined ? seenTypedIds.get(d.operationId) : undefined;
    const prevKey = d.key !== undefined ? typedByKey.get(d.key) : undefined;
    if (prevId) {
      push('coverage.duplicate-declaration', `"${d.operationId}" is declared typed twice; only one declaration can be used. Remove this one.`, idSpan, { value: d.operationId, kind: 'typed', field: 'operationId' }, [
        { span: prevId.idEntry?.span ?? prevId.span, message: 'first declared here' },
      ]);
      continue;
    }
    if (prevKey && d.keySpan) {
      push('coverage.duplicate-declaration', `The SDK operation key "${d.key}" is declared twice (for ${prevKey.operationId ?? '?'} and ${d.operationId ?? '?'}); keys must be unique.`, d.keySpan, { value: d.key, kind: 'typed', field: 'key' }, [
        { span: prevKey.keySpan ?? prevKey.span, message: 'first declared here' },
      ]);
    } else if (d.key !== undefined) {
      typedByKey.set(d.key, d);
    }
    if (d.operationId === undefined) continue;
    seenTypedIds.set(d.operationId, d);
    if (!byId.has(d.operationId)) {
      const suggestion = didYouMean(d.operationId, specIds.filter((x) => !declaredTypedIds.has(x)));
      if (suggestion) suggested.add(suggestion);
      push('coverage.stale-declaration', `"${d.operationId}" is declared typed but the spec has no operation with this operationId (renamed or removed?).${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, idSpan, {
        operationId: d.operationId,
        kind: 'typed',
        ...(suggestion ? { suggestion } : {}),
      });
      continue;
    }
    typedIds.set(d.operationId, d);
  }
  findings.push(...facadeCoverageFindings(ctx, [...typedIds.values()]));
  const resolveId = (value: string): string | undefined => {
    if (byId.has(value)) return value;
    const viaKey = typedByKey.get(value)?.operationId;
    return viaKey !== undefined && byId.has(viaKey) ? viaKey : undefined;
  };
  /** Reports a repeated entry in a list; true when `e` repeats an earlier one. */
  const duplicateIn = (list: DeclList, seen: Map<string, DeclEntry>, e: DeclEntry): boolean => {
    const prev = seen.get(e.value);
    if (!prev) {
      seen.set(e.value, e);
      return false;
    }
    push('coverage.duplicate-declaration', `"${e.value}" is listed twice in ${list.name}. Remove this one.`, e.span, { value: e.value, kind: list.kind, field: 'operationId' }, [{ span: prev.span, message: 'first listed here' }]);
    return true;
  };

  // The hand-kept set of all operations (Python shape).
  const allIds = new Map<string, DeclEntry>();
  if (decls.all?.editable) {
    const list = decls.all;
    const seen = new Map<string, DeclEntry>();
    const candidates = specIds.filter((x) => !list.entries.some((e) => e.value === x));
    for (const e of list.entries) {
      if (duplicateIn(list, seen, e)) continue;
      if (byId.has(e.value)) {
        allIds.set(e.value, e);
        continue;
      }
      const suggestion = didYouMean(e.value, candidates);
      if (suggestion) suggested.add(suggestion);
      push('coverage.all-set-mismatch', `${list.name} lists "${e.value}", which is not an operationId of the spec.${suggestion ? ` Did you mean "${suggestion}"?` : ' Remove it, or restore the operation.'}`, e.span, {
        operationId: e.value,
        direction: 'not-in-spec',
        ...(suggestion ? { suggestion } : {}),
      });
    }
    for (const [id, d] of typedIds) {
      if (allIds.has(id)) continue;
      push('coverage.all-set-mismatch', `${list.name} does not list "${id}", which is declared typed and is in the spec; the hand-kept set must equal the spec's operations.`, list.nameSpan, { operationId: id, direction: 'missing-from-set' }, [
        { span: d.idEntry?.span ?? d.span, message: 'declared typed here' },
        ...opRelated(id, 'the operation'),
      ]);
    }
  }

  // Raw operations: "all minus typed", or a list of their own.
  const rawIds = new Map<string, Span>();
  if (decls.rawDerived) {
    for (const [id, e] of allIds) if (!typedIds.has(id)) rawIds.set(id, e.span);
  } else if (decls.raw?.editable) {
    const list = decls.raw;
    const seen = new Map<string, DeclEntry>();
    const candidates = specIds.filter((x) => !list.entries.some((e) => e.value === x));
    for (const e of list.entries) {
      if (duplicateIn(list, seen, e)) continue;
      const id = resolveId(e.value);
      if (id === undefined) {
        const suggestion = didYouMean(e.value, candidates);
        if (suggestion) suggested.add(suggestion);
        push('coverage.stale-declaration', `"${e.value}" is declared raw but the spec has no operation with this operationId (renamed or removed?).${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, e.span, {
          operationId: e.value,
          kind: 'raw',
          ...(suggestion ? { suggestion } : {}),
        });
        continue;
      }
      const t = typedIds.get(id);
      if (t) {
        push('coverage.typed-and-raw', `"${id}" is declared both typed and raw; an operation is one or the other.`, e.span, { operationId: id }, [{ span: t.idEntry?.span ?? t.span, message: 'declared typed here' }]);
        continue;
      }
      rawIds.set(id, e.span);
    }
  }

  // Strict operations: a set (Python), a flag on typed entries, or the project's mode.
  const strictIds = new Set<string>();
  for (const [id, d] of typedIds) if (d.strict || mode === 'strict') strictIds.add(id);
  if (decls.strict?.editable) {
    const list = decls.strict;
    const seen = new Map<string, DeclEntry>();
    for (const e of list.entries) {
      if (duplicateIn(list, seen, e)) continue;
      const id = resolveId(e.value);
      if (id === undefined) {
        const suggestion = didYouMean(e.value, specIds);
        if (suggestion) suggested.add(suggestion);
        push('coverage.stale-declaration', `"${e.value}" is declared strict but the spec has no operation with this operationId (renamed or removed?).${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, e.span, {
          operationId: e.value,
          kind: 'strict',
          ...(suggestion ? { suggestion } : {}),
        });
        continue;
      }
      if (!typedIds.has(id)) {
        push('coverage.strict-not-typed', `"${id}" is validated in strict mode but is not declared typed: strict operations need typed models.`, e.span, { operationId: id, kind: 'strict', reason: 'strict-set' }, opRelated(id, 'the operation'));
        continue;
      }
      strictIds.add(id);
    }
  }
  if (mode === 'strict') {
    for (const [id, at] of rawIds) {
      push('coverage.strict-not-typed', `The project validates every operation in strict mode, but "${id}" is raw: declare it typed, or choose the mode typed-only.`, at, { operationId: id, kind: 'raw', reason: 'project-mode' }, opRelated(id, 'the operation'));
    }
  }

  // Undeclared operations: reported where the missing entry belongs.
  const undeclaredAt = (o: Operation): { span: Span; related: RelatedInfo[] } => {
    const own = o.operationIdSpan ?? o.methodSpan;
    if (decls.source === 'python') {
      const list = decls.rawDerived ? decls.all : decls.raw?.editable ? decls.raw : decls.all;
      if (list?.editable) return { span: list.nameSpan, related: [{ span: own, message: `${o.method.toUpperCase()} ${o.path} (${rel(own)})` }] };
    }
    return { span: own, related: [] };
  };
  const reportedUndeclared = new Set<string>();
  for (const { op } of ops) {
    const id = op.operationId;
    if (id === undefined || typedIds.has(id) || rawIds.has(id) || reportedUndeclared.has(id)) continue;
    reportedUndeclared.add(id);
    // A stale declaration suggesting this id already carries the fix (the rename).
    if (suggested.has(id)) continue;
    const at = undeclaredAt(op);
    push('coverage.undeclared-operation', `${op.method.toUpperCase()} ${op.path} ("${id}") is declared neither typed nor raw.`, at.span, { operationId: id, method: op.method, path: op.path }, at.related);
  }

  // Models: they must exist, and cover what the spec documents.
  const refs = decls.typed.flatMap((d) => [...(d.request ? [{ d, ref: d.request, role: 'request' as const }] : []), ...d.responses.map((ref) => ({ d, ref, role: 'response' as const }))]);
  const models = refs.length > 0 ? knownModels(ctx, decls) : { names: new Set<string>(), from: 'none' as const };
  for (const { d, ref, role } of refs) {
    const base = { operationId: d.operationId, model: ref.name, role, ...(ref.status ? { status: ref.status } : {}) };
    if (models.from !== 'none' && !models.names.has(ref.name)) {
      const suggestion = didYouMean(ref.name, models.names);
      const where = models.from === 'generate' ? 'the generated models' : models.from === 'imports' ? 'the modules the contracts import' : "the spec's component schemas";
      push('coverage.unknown-model', `${role === 'request' ? 'Request' : 'Response'} model "${ref.name}" of ${d.operationId ?? 'this declaration'} does not exist in ${where}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, ref.span, {
        ...base,
        reason: 'not-generated',
        ...(suggestion ? { suggestion } : {}),
      });
    } else if (decls.source === 'python' && !decls.starImport && !decls.boundNames?.has(ref.name)) {
      push('coverage.unknown-model', `"${ref.name}" is not imported in this module, so ${d.operationId ?? 'this declaration'} would fail with NameError at import time.`, ref.span, { ...base, reason: 'not-imported' });
    }
  }
  for (const [id, d] of typedIds) {
    const op = byId.get(id)![0].op;
    const anchor = d.responsesSpan ?? d.idEntry?.span ?? d.span;
    for (const r of op.responses) {
      if (!/^2(\d\d|XX)$/i.test(r.status)) continue;
      const expected = jsonModel(r.media);
      if (!expected) continue;
      const declared = d.responsesByStatus ? (d.responses.find((x) => x.status === r.status) ?? d.responses.find((x) => x.status?.toUpperCase() === '2XX') ?? d.responses.find((x) => x.status === 'default')) : undefined;
      // A model that does not exist is reported as such; comparing it with the spec would say it twice.
      const unknown = (name: string) => models.from !== 'none' && !models.names.has(name);
      if (declared ? unknown(declared.name) : d.responses.some((x) => unknown(x.name))) continue;
      let covered: boolean;
      if (d.responsesByStatus) covered = declared !== undefined && (expected.model === undefined || declared.name === expected.model);
      else covered = expected.model === undefined ? d.responses.length > 0 : d.responses.some((x) => x.name === expected.model);
      if (covered) continue;
      const what = expected.model ? `"${expected.model}"` : 'an inline schema';
      push(
        'coverage.uncovered-response',
        declared
          ? `The ${r.status} response of ${id} is ${what}, but the declaration says "${declared.name}".`
          : `The ${r.status} JSON response of ${id} (${what}) has no response model in its typed declaration.`,
        declared ? declared.span : anchor,
        { operationId: id, status: r.status, ...(expected.model ? { model: expected.model } : {}), ...(declared ? { declared: declared.name } : {}) },
        [{ span: r.span, message: `${r.status} response documented here` }],
      );
    }
    const body = op.requestBody ? jsonModel(op.requestBody.media) : undefined;
    const reqAnchor = d.requestSpan ?? d.idEntry?.span ?? d.span;
    if (d.request && !op.requestBody) {
      push('coverage.request-mismatch', `${id} has no request body in the spec, but the declaration names the request model "${d.request.name}".`, d.request.span, { operationId: id, declared: d.request.name }, opRelated(id, 'the operation'));
    } else if (d.request && body?.model && body.model !== d.request.name && (models.from === 'none' || models.names.has(d.request.name))) {
      push('coverage.request-mismatch', `The request body of ${id} is "${body.model}", but the declaration says "${d.request.name}".`, d.request.span, { operationId: id, declared: d.request.name, expected: body.model }, [
        { span: op.requestBody!.span, message: 'request body documented here' },
      ]);
    } else if (!d.request && body?.model) {
      push('coverage.request-mismatch', `${id} takes a "${body.model}" JSON body, but its typed declaration has no request model.`, reqAnchor, { operationId: id, expected: body.model }, [{ span: op.requestBody!.span, message: 'request body documented here' }]);
    }
  }

  // The partition, operation by operation.
  const operations: OperationCoverage[] = ops.map(({ op, spec }) => {
    const id = op.operationId;
    const base = { method: op.method, path: op.path, operationId: id, tags: op.tags, spec, span: op.methodSpan, idSpan: op.operationIdSpan, responses: [] as OperationCoverage['responses'], strict: false, documented: documentedModels(op) };
    const d = id !== undefined ? typedIds.get(id) : undefined;
    if (d) {
      const strict = strictIds.has(id!);
      return {
        ...base,
        state: 'typed',
        key: d.key,
        request: d.request?.name,
        responses: d.responses.map((r) => (r.status ? { status: r.status, model: r.name } : { model: r.name })),
        strict,
        mode: strict ? 'strict' : mode,
        declaration: d.idEntry?.span ?? d.span,
      };
    }
    if (id !== undefined && rawIds.has(id)) return { ...base, state: 'raw', declaration: rawIds.get(id) };
    return { ...base, state: 'undeclared' };
  });

  const targets: DeclarationTarget[] = [];
  const target = (kind: DeclarationTarget['kind'], value: string, span: Span, id: string | undefined) => {
    const o = id !== undefined ? byId.get(id)?.[0]?.op : undefined;
    targets.push({ kind, value, span, ...(o ? { operation: { method: o.method, path: o.path, operationId: id!, span: o.operationIdSpan ?? o.methodSpan } } : {}) });
  };
  for (const d of decls.typed) if (d.operationId !== undefined) target('typed', d.operationId, d.span, byId.has(d.operationId) ? d.operationId : undefined);
  for (const list of [decls.all, decls.raw, decls.strict]) {
    if (!list) continue;
    for (const e of list.entries) target(list.kind, e.value, e.span, list.kind === 'all' ? (byId.has(e.value) ? e.value : undefined) : resolveId(e.value));
  }

  const totals = { operations: operations.length, typed: 0, raw: 0, undeclared: 0, strict: 0 };
  for (const o of operations) {
    totals[o.state]++;
    if (o.strict) totals.strict++;
  }
  return { source: decls.source, file, mode, modelsFrom: models.from, models: [...models.names].sort(), operations, targets, totals, findings, declarations: decls, specs: ctx.specs.map((s) => s.root) };
}

/** The models an operation documents: its JSON request body and its 2XX JSON responses. */
export function documentedModels(op: Operation): OperationCoverage['documented'] {
  const out: OperationCoverage['documented'] = { responses: [] };
  const body = op.requestBody ? jsonModel(op.requestBody.media) : undefined;
  if (body?.model) out.request = body.model;
  for (const r of op.responses) {
    if (!/^2(\d\d|XX)$/i.test(r.status)) continue;
    const m = jsonModel(r.media);
    if (m) out.responses.push(m.model ? { status: r.status, model: m.model } : { status: r.status });
  }
  return out;
}

/** The model a JSON body or response is: the `$ref`'d schema's name (or its array items'), or an inline schema. */
export function jsonModel(media: MediaInfo[]): { model?: string } | undefined {
  const m = media.find((x) => /^application\/(.+\+)?json$/i.test(x.mediaType.split(';')[0].trim()) && x.schema);
  if (!m || !m.schema) return undefined;
  if (m.schemaRef) return { model: refName(m.schemaRef) };
  const node = m.schema.node;
  if (node.kind === 'object') {
    const type = node.map.get('type')?.value;
    const items = node.map.get('items')?.value;
    const itemsRef = items?.kind === 'object' ? items.map.get('$ref')?.value : undefined;
    if (type?.kind === 'scalar' && type.value === 'array' && itemsRef?.kind === 'scalar' && typeof itemsRef.value === 'string') return { model: refName(itemsRef.value) };
  }
  return {};
}


/** The `coverage` key of the config, and whether it names a file. */
function configCoverageKey(ctx: ProjectContext): { span: Span; hasFile: boolean } | undefined {
  const configFile = ctx.config.configFile;
  if (!configFile) return undefined;
  const doc = ctx.document(configFile);
  const root = doc?.root;
  const prop = root?.kind === 'object' ? root.map.get('coverage') : undefined;
  if (!prop) return undefined;
  const hasFile = prop.value.kind === 'object' && prop.value.map.has('file');
  return { span: { file: configFile, start: prop.keyStart, end: prop.keyEnd }, hasFile };
}

function emptyResult(ctx: ProjectContext, source: 'python' | 'yaml', file: string, mode: ValidationMode, findings: Finding[]): CoverageResult {
  const operations: OperationCoverage[] = ctx.specs.flatMap((s) =>
    s.index.operations.map((op) => ({ method: op.method, path: op.path, operationId: op.operationId, tags: op.tags, spec: s.root, span: op.methodSpan, idSpan: op.operationIdSpan, state: 'undeclared' as const, responses: [], strict: false, documented: documentedModels(op) })),
  );
  return {
    source,
    file,
    mode,
    modelsFrom: 'none',
    operations,
    targets: [],
    totals: { operations: operations.length, typed: 0, raw: 0, undeclared: operations.length, strict: 0 },
    findings,
    declarations: { source, file, text: '', typed: [], rawDerived: false, problems: [], editor: nullEditor },
    specs: ctx.specs.map((s) => s.root),
  };
}

/** Edits nothing: for a project whose declarations file does not exist yet. */
const nullEditor: DeclarationsEditor = {
  insertTyped: () => [],
  removeTyped: () => [],
  insertEntry: () => [],
  removeEntry: () => [],
  addResponse: () => [],
  setRequest: () => [],
  replaceModel: () => [],
  ensureModels: () => [],
};
