/**
 * The Python typed facade target (`target: python-facade`): what the reference SDK writes by hand
 * next to its models, generated from the spec and the typed-coverage declarations, so that
 * declaring an operation typed is the only hand-written step.
 *
 * Three modules in the output package:
 * - `contracts.py`: `CONTRACTS` (SDK operation key → operationId, method, path, request model,
 *   response models, strict flag) and the typed / raw / all / strict operation sets;
 * - `_facade.py`: the sync `TypedClient` and the `AsyncTypedClient`, one class per namespace of
 *   the operation keys (`sessions.create` → `client.typed.sessions.create(...)`), the validation
 *   modes with a per-call override, `ContractValidationError` and `parse()`. Works with pydantic
 *   v1 and v2 models (a small shim picks `model_validate`/`parse_obj`, `model_dump`/`json`);
 * - `__init__.py`: re-exports both.
 *
 * The facade calls a request function the SDK supplies, with the signature of the reference SDK's
 * own wrapper: `(operation_key, method, path, *, params=None, json_body=None)`, the path relative to
 * the base path with path parameters filled in. Everything here is a pure function of a
 * {@link FacadePlan}, and the plan (with the spec digest) is what the inputs hash covers.
 */
import * as path from 'node:path';
import type { ValidationMode } from '../config/config';
import type { GenerateConfig, ProjectConfig } from '../config/config';
import type { SpecResult } from '../context';
import type { Declarations } from '../coverage/model';
import { refName } from '../spec/pointer';
import type { Operation } from '../spec/operations';
import pkg from '../../../../package.json';
import type { ProjectContext } from '../context';
import { finding, type Finding, type Span } from '../findings';
import { relativePath } from '../paths';
import { readDeclarations } from '../coverage/declarations';
import { inputsHash, isEdited, parseHeader, renderHeader } from './header';
import type { GeneratedFile, GenerateResult } from './index';
import { docstring, pyString } from './emit';
import { className, fieldName, isIdentifier, NameScope, pythonKeywords } from './names';
import { assignment, atom, call, dict, importFrom, kw, list, lineLength, sub, width } from './pyformat';

/** The files of a generated facade package, by role. */
export const facadeFiles = { contracts: 'contracts.py', facade: '_facade.py', init: '__init__.py' } as const;
export type FacadeRole = keyof typeof facadeFiles;

/** One typed operation as the facade needs it: what the declarations say, resolved against the spec. */
export interface FacadeTyped {
  key: string;
  operationId: string;
  request?: string;
  responses: { status?: string; model: string }[];
  strict: boolean;
}

/** The declarations a facade is generated from (read from a declarations file, or synthesized by the corpus sweep). */
export interface FacadeDeclarations {
  mode: ValidationMode;
  typed: FacadeTyped[];
}

export interface FacadeOperation {
  key: string;
  operationId: string;
  method: string;
  /** The spec path. */
  specPath: string;
  /** The path the request function gets: the spec path without the base path. */
  path: string;
  pathParams: string[];
  queryParams: { name: string; required: boolean }[];
  /** True when the spec documents a request body (with or without a model). */
  hasBody: boolean;
  request?: string;
  /** Declared response models in declared order, each with the status the spec gives it (when a `$ref` of it names the model). */
  responses: { status?: string; model: string }[];
  strict: boolean;
}

/** Everything the facade's text depends on besides the generator version; hashed into the header. */
export interface FacadePlan {
  mode: ValidationMode;
  /** Where the models are imported from (`..models`, or an absolute module). */
  modelsModule: string;
  operations: FacadeOperation[];
  /** Every operationId of the spec, sorted. */
  allIds: string[];
}

/** The declarations of a coverage check as facade input: typed entries with a key and an operationId, first of each kept. */
export function facadeDeclarations(decls: Declarations, mode: ValidationMode): FacadeDeclarations {
  const typed: FacadeTyped[] = [];
  const keys = new Set<string>();
  const ids = new Set<string>();
  // The strict set may name operationIds or SDK operation keys.
  const strictSet = new Set((decls.strict?.entries ?? []).map((e) => e.value));
  for (const d of decls.typed) {
    if (d.key === undefined || d.operationId === undefined || keys.has(d.key) || ids.has(d.operationId)) continue;
    keys.add(d.key);
    ids.add(d.operationId);
    const strict = d.strict || strictSet.has(d.operationId) || strictSet.has(d.key);
    typed.push({ key: d.key, operationId: d.operationId, request: d.request?.name, responses: d.responses.map((r) => ({ status: r.status, model: r.name })), strict });
  }
  return { mode: decls.mode ?? mode, typed };
}

/** The models module a facade imports: option `modelsModule`, else relative to option `models` or the first pydantic target of the project. */
export function facadeModelsModule(config: ProjectConfig, gen: GenerateConfig): string {
  if (typeof gen.options.modelsModule === 'string' && gen.options.modelsModule) return gen.options.modelsModule;
  const models =
    typeof gen.options.models === 'string'
      ? path.resolve(config.root, gen.options.models)
      : (config.generate.find((g) => g.target === 'pydantic-v2' || g.target === 'pydantic-v1') ?? config.generate.find((g) => g.target === 'dataclasses' || g.target === 'typeddict'))?.output;
  if (!models) return '.models';
  const rel = path.relative(gen.output, models.replace(/\.py$/, '')).split(path.sep).filter((p) => p !== '');
  const ups = rel.filter((p) => p === '..').length;
  const rest = rel.filter((p) => p !== '..');
  if (rest.length === 0 || rest.some((p) => !isIdentifier(p))) return '.models';
  return '.'.repeat(ups + 1) + rest.join('.');
}

/** The base path the request function's paths are relative to: option `basePath`, else the first Python client's. */
export function facadeBasePath(config: ProjectConfig, gen: GenerateConfig): string {
  if (typeof gen.options.basePath === 'string') return gen.options.basePath.replace(/\/$/, '');
  const client = config.clients.find((c) => c.language === 'python');
  return (client?.callSite.basePath ?? '').replace(/\/$/, '');
}

/** Resolves declarations against a spec: typed entries whose operationId the spec lacks are left out (the coverage check reports them). */
export function facadePlan(spec: SpecResult, decls: FacadeDeclarations, modelsModule: string, basePath: string): FacadePlan {
  const byId = new Map<string, Operation>();
  for (const op of spec.index.operations) if (op.operationId !== undefined && !byId.has(op.operationId)) byId.set(op.operationId, op);
  const operations: FacadeOperation[] = [];
  for (const t of decls.typed) {
    const op = byId.get(t.operationId);
    if (!op) continue;
    const params = op.parameters;
    const pathParams = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const seen = new Set<string>();
    const queryParams: { name: string; required: boolean }[] = [];
    // Operation-level parameters override path-item ones of the same name and location.
    for (const p of [...params.filter((x) => x.level === 'operation'), ...params.filter((x) => x.level === 'path-item')]) {
      if (p.in !== 'query' || seen.has(p.name)) continue;
      seen.add(p.name);
      queryParams.push({ name: p.name, required: p.required });
    }
    const statusOf = (model: string) => {
      for (const r of op.responses) for (const m of r.media) if (m.schemaRef && (refName(m.schemaRef) === model || className(refName(m.schemaRef) ?? '') === model)) return r.status;
      return undefined;
    };
    const rel = basePath && (op.path === basePath || op.path.startsWith(basePath + '/')) ? op.path.slice(basePath.length) : op.path;
    operations.push({
      key: t.key,
      operationId: t.operationId,
      method: op.method.toUpperCase(),
      specPath: op.path,
      path: rel,
      pathParams,
      queryParams,
      hasBody: op.requestBody !== undefined,
      request: t.request,
      responses: t.responses.map((r) => ({ status: r.status ?? statusOf(r.model), model: r.model })),
      strict: t.strict,
    });
  }
  operations.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const allIds = [...new Set(spec.index.operations.map((o) => o.operationId).filter((x): x is string => x !== undefined))].sort();
  return { mode: decls.mode, modelsModule, operations, allIds };
}

/**
 * The facade input of a project: its declarations; without coverage configured, none (an empty
 * facade: every operation raw). Undefined when coverage is configured but its declarations cannot
 * be read now: nothing is generated rather than a facade that forgets every typed operation.
 */
export function projectFacadeDeclarations(ctx: ProjectContext): FacadeDeclarations | undefined {
  const mode = ctx.config.coverage?.mode ?? 'typed-only';
  if (!ctx.config.coverage) return { mode, typed: [] };
  const decls = readDeclarations(ctx);
  return decls ? facadeDeclarations(decls, mode) : undefined;
}

function planFor(spec: SpecResult, gen: GenerateConfig, config: ProjectConfig, decls: FacadeDeclarations): { plan: FacadePlan; inputs: string } {
  const plan = facadePlan(spec, decls, facadeModelsModule(config, gen), facadeBasePath(config, gen));
  // The plan holds everything of the declarations and of the spec's parameters the text depends
  // on; the spec digest the schemas, operationIds, bodies and responses.
  return { plan, inputs: inputsHash(spec, config.root, gen.target, { plan: plan as unknown as Record<string, unknown> }) };
}

/** Generates one python-facade target. */
export function generateFacade(spec: SpecResult, gen: GenerateConfig, config: ProjectConfig, decls: FacadeDeclarations): GenerateResult {
  const { plan, inputs } = planFor(spec, gen, config, decls);
  const bodies = emitFacade(plan);
  const specName = relativePath(config.root, spec.root);
  const outputs = (Object.keys(facadeFiles) as FacadeRole[]).map((role): GeneratedFile => {
    const body = bodies[role];
    const text = renderHeader({ toolVersion: pkg.version, target: gen.target, spec: specName, inputs, body: '\n' + body }) + '\n' + body;
    return { file: path.join(gen.output, facadeFiles[role]), text, role, target: 'python-facade', output: gen.output };
  });
  return { outputs, findings: [] };
}

/**
 * Stale, edited, foreign and missing facade files (the checks the model targets get). The facade
 * depends on the declarations too, so a stale facade is reported at its contracts module and at
 * the declarations, not at the spec.
 */
export function checkFacade(ctx: ProjectContext, spec: SpecResult, gen: GenerateConfig): Finding[] {
  const findings: Finding[] = [];
  const root = ctx.config.root;
  const outRel = relativePath(root, gen.output);
  const decls = readDeclarations(ctx);
  if (ctx.config.coverage && !decls) return findings; // not readable now (the coverage check says why): no verdict on staleness
  const input = decls ? facadeDeclarations(decls, ctx.config.coverage?.mode ?? 'typed-only') : { mode: ctx.config.coverage?.mode ?? 'typed-only', typed: [] };
  const { inputs: expected } = planFor(spec, gen, ctx.config, input);
  for (const role of Object.keys(facadeFiles) as FacadeRole[]) {
    const file = path.join(gen.output, facadeFiles[role]);
    const fileRel = relativePath(root, file);
    const text = ctx.readText(file);
    if (text === undefined) {
      if (role === 'contracts') findings.push(finding('generate.missing-output', `The typed facade has not been generated yet: run \`contract-lens generate\` to write ${outRel}/.`, specSpanOf(spec), { data: { target: gen.target, output: outRel, file: fileRel } }));
      continue;
    }
    const header = parseHeader(text);
    if (!header) {
      findings.push(finding('generate.output-not-generated', `${fileRel} was not written by Contract Lens (it has no generated-file header), so \`contract-lens generate\` will not overwrite it: move it away or delete it.`, { file, start: 0, end: Math.max(0, text.indexOf('\n')) }, { data: { target: gen.target, output: outRel, file: fileRel } }));
      continue;
    }
    const lines = text.split('\n');
    const inputsLine = lines[0].length + lines[1].length + 2;
    if (role === 'contracts' && header.inputs !== expected) {
      const data = { target: gen.target, output: outRel, spec: relativePath(root, spec.root) };
      const why = decls ? ` or of ${path.basename(decls.file)}` : '';
      findings.push(finding('generate.stale-models', `The typed facade in ${outRel}/ was generated from a different version of ${path.basename(spec.root)}${why}: regenerate it.`, { file, start: inputsLine, end: inputsLine + lines[2].length }, { data }));
      if (decls) {
        const at: Span = decls.typedName?.span ?? { file: decls.file, start: 0, end: 0 };
        findings.push(finding('generate.stale-models', `The typed facade in ${outRel}/ no longer matches these declarations or the spec: regenerate it.`, at, { data }));
      }
    }
    if (isEdited(text, header)) {
      const at = inputsLine + lines[2].length + 1;
      findings.push(finding('generate.edited-output', `${fileRel} was edited by hand after it was generated; regenerating would lose the edits (move them out of the generated package).`, { file, start: at, end: at + lines[3].length }, { data: { target: gen.target, output: outRel, file: fileRel } }));
    }
  }
  return findings;
}

function specSpanOf(spec: SpecResult): Span {
  const root = spec.graph.documents.get(spec.root)?.root;
  const p = root?.kind === 'object' ? root.map.get('openapi') : undefined;
  return p ? { file: spec.root, start: p.keyStart, end: p.keyEnd } : { file: spec.root, start: 0, end: 0 };
}

/** The bodies (below the header) of the facade package's modules. */
export function emitFacade(plan: FacadePlan): Record<FacadeRole, string> {
  return { contracts: contractsModule(plan), facade: facadeModule(plan), init: initModule() };
}

const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();

function modelNames(plan: FacadePlan): string[] {
  return sortedUnique(plan.operations.flatMap((o) => [...(o.request ? [o.request] : []), ...o.responses.map((r) => r.model)]).filter(isIdentifier));
}

const s = (x: string) => atom(pyString(x));

/** A model name as written in generated code: a name the models module can export, else `Any`. */
const modelAtom = (name: string) => atom(isIdentifier(name) ? name : 'Any');

function contractsModule(plan: FacadePlan): string {
  const names = modelNames(plan);
  const exported = ['ALL_OPERATION_IDS', 'CONTRACTS', 'DEFAULT_VALIDATION', 'RAW_OPERATION_IDS', 'STRICT_OPERATION_IDS', 'TYPED_OPERATION_IDS', 'TypedOperationContract', 'VALIDATION_MODES', 'ValidationMode'];
  const imports = [[importFrom('dataclasses', ['dataclass', 'field']), importFrom('typing', ['Any', 'Literal', 'TypeAlias'])].join('\n')];
  if (names.length) imports.push(importFrom(plan.modelsModule, names));
  const entries = plan.operations.map((o): [ReturnType<typeof atom>, ReturnType<typeof atom>] => {
    const statuses = o.responses.filter((r) => r.status !== undefined).map((r): [ReturnType<typeof atom>, ReturnType<typeof atom>] => [s(r.status!), modelAtom(r.model)]);
    return [
      s(o.key),
      call('TypedOperationContract', [
        kw('operation_key', s(o.key)),
        kw('operation_id', s(o.operationId)),
        kw('method', s(o.method)),
        kw('path', s(o.path)),
        kw('request_model', o.request ? modelAtom(o.request) : atom('None')),
        kw('response_models', list(o.responses.map((r) => modelAtom(r.model)))),
        kw('statuses', dict(statuses)),
        kw('strict', atom(o.strict ? 'True' : 'False')),
      ]),
    ];
  });
  const set = (name: string, ids: string[]) => assignment(name, sub('frozenset', [atom('str')]), call('frozenset', [list(ids.map(s))]), 0);
  const typedIds = sortedUnique(plan.operations.map((o) => o.operationId));
  const cls = [
    '@dataclass(frozen=True)',
    'class TypedOperationContract:',
    '    """One typed operation: its SDK key, its operationId, how it is called, its models.',
    '',
    '    `path` is relative to the base path the request function adds; `statuses` maps each',
    '    documented status to its response model; a `strict` operation is validated even when',
    '    validation is `off`.',
    '    """',
    '',
    '    operation_key: str',
    '    operation_id: str',
    '    method: str',
    '    path: str',
    '    request_model: Any = None',
    '    response_models: list[Any] = field(default_factory=list)',
    '    statuses: dict[str, Any] = field(default_factory=dict)',
    '    strict: bool = False',
  ].join('\n');
  const head = [
    '"""The typed operations of the SDK and the operation sets, from the spec and the declarations."""',
    'from __future__ import annotations',
    ...imports,
    assignment('__all__', undefined, list(exported.map(s)), 0),
    assignment('ValidationMode', atom('TypeAlias'), sub('Literal', [s('typed-only'), s('off'), s('strict')]), 0),
    assignment('VALIDATION_MODES', sub('tuple', [atom('ValidationMode'), atom('...')]), atom('("typed-only", "off", "strict")'), 0),
    assignment('DEFAULT_VALIDATION', atom('ValidationMode'), s(plan.mode), 0),
  ].join('\n\n');
  const tail = [
    assignment('CONTRACTS', sub('dict', [atom('str'), atom('TypedOperationContract')]), dict(entries), 0),
    set('TYPED_OPERATION_IDS', typedIds),
    set('ALL_OPERATION_IDS', plan.allIds),
    assignment('RAW_OPERATION_IDS', sub('frozenset', [atom('str')]), atom('ALL_OPERATION_IDS - TYPED_OPERATION_IDS'), 0),
    set('STRICT_OPERATION_IDS', sortedUnique(plan.operations.filter((o) => o.strict).map((o) => o.operationId))),
  ].join('\n\n');
  return `${head}\n\n\n${cls}\n\n\n${tail}\n`;
}

function initModule(): string {
  const facade = ['AsyncRequestFunction', 'AsyncTypedClient', 'ContractValidationError', 'RequestFunction', 'TypedClient', 'parse'];
  const contracts = ['ALL_OPERATION_IDS', 'CONTRACTS', 'DEFAULT_VALIDATION', 'RAW_OPERATION_IDS', 'STRICT_OPERATION_IDS', 'TYPED_OPERATION_IDS', 'TypedOperationContract', 'VALIDATION_MODES', 'ValidationMode'];
  return [[importFrom('._facade', facade), importFrom('.contracts', contracts)].join('\n'), assignment('__all__', undefined, list([...facade, ...contracts].sort().map(s)), 0)].join('\n\n') + '\n';
}

// ------------------------------------------------------------------------------------------------
// The facade module

/** A namespace of operation keys: its methods and sub-namespaces, with the Python names they get. */
interface Namespace {
  segments: string[];
  className: string;
  asyncClassName: string;
  children: { attr: string; ns: Namespace }[];
  methods: { name: string; op: FacadeOperation }[];
}

function namespaces(plan: FacadePlan): Namespace {
  const classes = new NameScope(['TypedClient', 'AsyncTypedClient', 'ContractValidationError', 'RequestFunction', 'AsyncRequestFunction', '_Facade', '_AsyncFacade']);
  const make = (segments: string[]): Namespace => {
    if (segments.length === 0) return { segments, className: 'TypedClient', asyncClassName: 'AsyncTypedClient', children: [], methods: [] };
    const base = '_' + segments.map((x) => className(x)).join('') + 'Facade';
    return { segments, className: classes.claim(base), asyncClassName: classes.claim('_Async' + base.slice(1)), children: [], methods: [] };
  };
  const root = make([]);
  const scopes = new Map<Namespace, NameScope>();
  const scope = (ns: Namespace) => scopes.get(ns) ?? scopes.set(ns, new NameScope([...reservedAttrs])).get(ns)!;
  // Namespaces first (sorted keys), so a method never takes the name a namespace needs.
  const nodeOf = new Map<string, Namespace>([['', root]]);
  for (const op of plan.operations) {
    const parts = op.key.split('.').filter((p) => p !== '');
    let ns = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const id = parts.slice(0, i + 1).join('.');
      let child = nodeOf.get(id);
      if (!child) {
        child = make(parts.slice(0, i + 1));
        nodeOf.set(id, child);
        ns.children.push({ attr: scope(ns).claim(attrName(parts[i])), ns: child });
      }
      ns = child;
    }
  }
  for (const op of plan.operations) {
    const parts = op.key.split('.').filter((p) => p !== '');
    const ns = nodeOf.get(parts.slice(0, -1).join('.'))!;
    ns.methods.push({ name: scope(ns).claim(attrName(parts[parts.length - 1] ?? op.operationId)), op });
  }
  return root;
}

/** Attributes of the facade base classes a generated name must not shadow. */
const reservedAttrs = ['_call', '_request', '_validation', 'validation'];

function attrName(segment: string): string {
  if (isIdentifier(segment) && !pythonKeywords.has(segment) && !segment.startsWith('_')) return segment;
  return fieldName(segment);
}

function allNamespaces(root: Namespace): Namespace[] {
  const out: Namespace[] = [];
  const walk = (ns: Namespace) => {
    for (const c of ns.children) walk(c.ns);
    out.push(ns);
  };
  walk(root);
  return out;
}

/** A call or def whose arguments always go one per line with a trailing comma (black keeps such a "magic trailing comma" layout). */
function exploded(head: string, items: string[], tail: string, depth: number): string {
  const indent = '    '.repeat(depth);
  return `${indent}${head}(\n${items.map((i) => `${indent}    ${i},`).join('\n')}\n${indent})${tail}`;
}

function paramDict(entries: [string, string][], depth: number): string {
  if (entries.length === 0) return '{}';
  const indent = '    '.repeat(depth);
  return `{\n${entries.map(([k, v]) => `${indent}    ${pyString(k)}: ${v},`).join('\n')}\n${indent}}`;
}

function methodText(name: string, op: FacadeOperation, isAsync: boolean): string {
  const locals = new NameScope(['self', 'body', 'validation', 'fields', ...pythonKeywords]);
  const pathArgs = op.pathParams.map((p) => [p, locals.claim(fieldName(p))] as [string, string]);
  const queryArgs = op.queryParams.map((q) => [q, locals.claim(fieldName(q.name))] as [{ name: string; required: boolean }, string]);
  const params = ['self', ...pathArgs.map(([, n]) => `${n}: str | int`)];
  if (op.request) params.push(`body: ${isIdentifier(op.request) ? op.request : 'Any'} | Mapping[str, Any] | None = None`);
  else if (op.hasBody) params.push('body: Any = None');
  params.push('*');
  for (const [q, n] of queryArgs) params.push(q.required ? `${n}: Any` : `${n}: Any = None`);
  params.push('validation: ValidationMode | None = None');
  if (op.request) params.push('**fields: Any');
  const models = sortedUnique(op.responses.map((r) => (isIdentifier(r.model) ? r.model : 'Any')));
  const returns = models.length === 0 ? 'Any' : models.includes('Any') ? 'Any' : op.responses.map((r) => r.model).filter((m, i, a) => a.indexOf(m) === i).join(' | ');
  const def = exploded(`${isAsync ? 'async ' : ''}def ${name}`, params, ` -> ${returns}:`, 1);
  const statuses = op.responses.filter((r) => r.status).map((r) => `${r.status} ${r.model}`);
  const doc = `${op.operationId}: ${op.method} ${op.specPath}${op.strict ? ' (strict: validated even when validation is off)' : ''}.${statuses.length > 1 ? `\n\nReturns one of: ${statuses.join(', ')}.` : ''}`;
  const args = [pyString(op.key), paramDict(pathArgs, 3), paramDict(queryArgs.map(([q, n]) => [q.name, n]), 3), op.request || op.hasBody ? 'body' : 'None', op.request ? 'fields' : '{}', 'validation'];
  const body = exploded(`return ${isAsync ? 'await ' : ''}self._call`, args, '', 2);
  return `${def}\n${docstring(doc, 2)}\n${body}`;
}

function classText(ns: Namespace, isAsync: boolean): string {
  const name = isAsync ? ns.asyncClassName : ns.className;
  const base = isAsync ? '_AsyncFacade' : '_Facade';
  const key = ns.segments.join('.');
  const doc =
    ns.segments.length === 0
      ? `The ${isAsync ? 'async ' : ''}typed facade: one method per typed operation, grouped by operation key.\n\n${isAsync ? 'AsyncTypedClient' : 'TypedClient'}(request, validation=None): \`request\` is the SDK's ${isAsync ? 'async ' : ''}request function, \`validation\` the default mode ("typed-only", "off" or "strict"; DEFAULT_VALIDATION when None).`
      : `The typed operations under "${key}.".`;
  const parts = [`class ${name}(${base}):\n${docstring(doc, 1)}`];
  if (ns.children.length) {
    const lines = ns.children.map((c) => {
      const cls = isAsync ? c.ns.asyncClassName : c.ns.className;
      const one = `        self.${c.attr} = ${cls}(self._request, self._validation)`;
      return width(one) <= lineLength ? one : `        self.${c.attr} = ${cls}(\n            self._request,\n            self._validation,\n        )`;
    });
    const fn = isAsync ? 'AsyncRequestFunction' : 'RequestFunction';
    parts.push(`${exploded('def __init__', ['self', `request: ${fn}`, 'validation: ValidationMode | None = None'], ' -> None:', 1)}\n        super().__init__(request, validation)\n${lines.join('\n')}`);
  }
  for (const m of ns.methods) parts.push(methodText(m.name, m.op, isAsync));
  return parts.join('\n\n');
}

function facadeModule(plan: FacadePlan): string {
  const root = namespaces(plan);
  const names = modelNames(plan);
  const header = [
    '"""Typed facade of the SDK: validated calls of the typed operations, sync and async."""',
    'from __future__ import annotations',
    [
      'import json',
      'import re',
      importFrom('typing', ['Any', 'Awaitable', 'Literal', 'Mapping', 'Protocol', 'cast']),
      importFrom('urllib.parse', ['quote']),
    ].join('\n'),
    ['import pydantic', importFrom('pydantic', ['BaseModel'])].join('\n'),
    [importFrom('.contracts', ['CONTRACTS', 'DEFAULT_VALIDATION', 'VALIDATION_MODES', 'TypedOperationContract', 'ValidationMode']), ...(names.length ? [importFrom(plan.modelsModule, names)] : [])].join('\n'),
    assignment('__all__', undefined, list(['AsyncRequestFunction', 'AsyncTypedClient', 'ContractValidationError', 'RequestFunction', 'TypedClient', 'parse'].map(s)), 0),
  ].join('\n\n');
  const classes = allNamespaces(root).flatMap((ns) => [classText(ns, false), classText(ns, true)]);
  return `${header}\n\n${runtime}\n\n\n${classes.join('\n\n\n')}\n`;
}

/** The fixed part of `_facade.py`: the request protocols, the pydantic v1/v2 shim, validation and the base classes. */
const runtime = String.raw`_PYDANTIC_V2 = pydantic.VERSION.startswith("2.")


class RequestFunction(Protocol):
    """What the SDK supplies: sends one call and returns its decoded JSON body.

    'path' is relative to the API's base path, with the path parameters filled in (percent-
    encoded); 'params' holds the query parameters that are set, or is None.
    """

    def __call__(
        self,
        operation_key: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Any:
        """Send the call; return the decoded JSON body (None when there is none)."""
        ...


class AsyncRequestFunction(Protocol):
    """The async form of RequestFunction."""

    def __call__(
        self,
        operation_key: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Awaitable[Any]:
        """Send the call; return the decoded JSON body (None when there is none)."""
        ...


class ContractValidationError(ValueError):
    """A request or response body that does not match its model.

    'operation' is the SDK operation key, 'operation_id' the spec's operationId, 'boundary'
    "request" or "response", 'model' the model's name (the names joined by " | " for a union),
    'errors' the validator's errors (pydantic's errors() format; with a union, each location
    starts with the model's name) and 'payload' the body that was checked.
    """

    def __init__(
        self,
        operation: str,
        operation_id: str,
        boundary: Literal["request", "response"],
        model: str,
        errors: list[dict[str, Any]],
        payload: Any = None,
    ) -> None:
        first = errors[0] if errors else {}
        where = ".".join(str(part) for part in first.get("loc", ())) or "body"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(
            f"{operation}: invalid {boundary} body for {model}: "
            f"{where}: {first.get('msg', 'invalid')}{more}"
        )
        self.operation = operation
        self.operation_id = operation_id
        self.boundary = boundary
        self.model = model
        self.errors = errors
        self.payload = payload


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _name(tp: Any) -> str:
    return str(getattr(tp, "__name__", None) or tp)


def _validate(tp: Any, data: Any) -> Any:
    if _is_model(tp):
        return tp.model_validate(data) if _PYDANTIC_V2 else tp.parse_obj(data)
    if _PYDANTIC_V2:
        return pydantic.TypeAdapter(tp).validate_python(data)
    return pydantic.parse_obj_as(tp, data)


def _dump(value: Any) -> Any:
    """A value as JSON data: models by alias, only the fields that were set."""
    if isinstance(value, BaseModel):
        if _PYDANTIC_V2:
            return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return json.loads(value.json(by_alias=True, exclude_unset=True))
    if isinstance(value, (list, tuple)):
        return [_dump(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _dump(item) for key, item in value.items()}
    return value


def _aliases(tp: Any) -> dict[str, str]:
    """Field name to wire name, for a model class."""
    if not _is_model(tp):
        return {}
    if _PYDANTIC_V2:
        return {name: info.alias or name for name, info in tp.model_fields.items()}
    return {name: info.alias for name, info in tp.__fields__.items()}


def _extras(value: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where a parsed value holds fields its models do not declare."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, BaseModel):
        aliases = _aliases(type(value))
        if _PYDANTIC_V2:
            extra = list(value.model_extra or {})
        else:
            extra = [key for key in value.__dict__ if key not in aliases]
        found.extend((*loc, key) for key in sorted(extra))
        for name, alias in aliases.items():
            found.extend(_extras(getattr(value, name, None), (*loc, alias)))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found.extend(_extras(item, (*loc, index)))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            found.extend(_extras(item, (*loc, key)))
    return found


def _mode(validation: str | None, default: str) -> ValidationMode:
    mode = validation or default
    if mode not in VALIDATION_MODES:
        raise ValueError(
            f"validation must be one of {', '.join(VALIDATION_MODES)}, not {mode!r}"
        )
    return cast(ValidationMode, mode)


def _contract(operation_key: str) -> TypedOperationContract:
    try:
        return CONTRACTS[operation_key]
    except KeyError:
        typed = ", ".join(sorted(CONTRACTS)) or "none"
        raise KeyError(
            f"{operation_key!r} is not a typed operation (typed: {typed})"
        ) from None


def _checks(contract: TypedOperationContract, mode: str) -> bool:
    """typed-only and strict validate every typed operation; off only the strict ones."""
    return mode != "off" or contract.strict


def _parse(
    contract: TypedOperationContract,
    boundary: Literal["request", "response"],
    models: list[Any],
    payload: Any,
    mode: str,
) -> Any:
    """The first model that accepts the payload (strict mode: without undeclared fields)."""
    errors: list[dict[str, Any]] = []
    for model in models:
        prefix = (_name(model),) if len(models) > 1 else ()
        try:
            value = _validate(model, payload)
        except pydantic.ValidationError as error:
            for item in error.errors():
                errors.append({**item, "loc": (*prefix, *item.get("loc", ()))})
            continue
        extra = _extras(value) if mode == "strict" else []
        if not extra:
            return value
        for loc in extra:
            message = "field not declared by the model (validation is strict)"
            errors.append({"loc": (*prefix, *loc), "msg": message, "type": "extra"})
    raise ContractValidationError(
        contract.operation_key,
        contract.operation_id,
        boundary,
        " | ".join(_name(model) for model in models),
        errors,
        payload,
    )


def _request_body(
    contract: TypedOperationContract,
    mode: str,
    body: Any,
    fields: Mapping[str, Any],
) -> Any:
    model = contract.request_model
    if model is None:
        return _dump(body)
    data = _dump(body) if body is not None else {}
    if fields:
        if not isinstance(data, Mapping):
            raise TypeError(f"{contract.operation_key}: fields need a mapping body")
        data = {**data, **fields}
    if not _checks(contract, mode):
        aliases = _aliases(model)
        if isinstance(data, Mapping):
            return {aliases.get(key, key): _dump(item) for key, item in data.items()}
        return data
    return _dump(_parse(contract, "request", [model], data, mode))


def _response(contract: TypedOperationContract, mode: str, payload: Any) -> Any:
    if not contract.response_models or not _checks(contract, mode):
        return payload
    return _parse(contract, "response", contract.response_models, payload, mode)


def _path(contract: TypedOperationContract, values: Mapping[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        return quote(str(values[match.group(1)]), safe="")

    return re.sub(r"\{([^}]+)\}", value, contract.path)


def _query(values: Mapping[str, Any]) -> dict[str, Any] | None:
    params = {key: value for key, value in values.items() if value is not None}
    return params or None


def parse(
    operation_key: str,
    payload: Any,
    *,
    validation: ValidationMode | None = None,
) -> Any:
    """Parse a response body of a typed operation into its response model.

    With several response models the first that accepts the payload wins; a body no model
    accepts raises ContractValidationError. 'validation' works as for the calls.
    """
    contract = _contract(operation_key)
    return _response(contract, _mode(validation, DEFAULT_VALIDATION), payload)


class _Facade:
    """The base of the sync facade classes: the request function and the default mode."""

    def __init__(
        self,
        request: RequestFunction,
        validation: ValidationMode | None = None,
    ) -> None:
        self._request = request
        self._validation: ValidationMode = _mode(validation, DEFAULT_VALIDATION)

    def _call(
        self,
        operation_key: str,
        path_params: Mapping[str, Any],
        query: Mapping[str, Any],
        body: Any,
        fields: Mapping[str, Any],
        validation: str | None,
    ) -> Any:
        contract = _contract(operation_key)
        mode = _mode(validation, self._validation)
        payload = self._request(
            operation_key,
            contract.method,
            _path(contract, path_params),
            params=_query(query),
            json_body=_request_body(contract, mode, body, fields),
        )
        return _response(contract, mode, payload)


class _AsyncFacade:
    """The base of the async facade classes: the request function and the default mode."""

    def __init__(
        self,
        request: AsyncRequestFunction,
        validation: ValidationMode | None = None,
    ) -> None:
        self._request = request
        self._validation: ValidationMode = _mode(validation, DEFAULT_VALIDATION)

    async def _call(
        self,
        operation_key: str,
        path_params: Mapping[str, Any],
        query: Mapping[str, Any],
        body: Any,
        fields: Mapping[str, Any],
        validation: str | None,
    ) -> Any:
        contract = _contract(operation_key)
        mode = _mode(validation, self._validation)
        payload = await self._request(
            operation_key,
            contract.method,
            _path(contract, path_params),
            params=_query(query),
            json_body=_request_body(contract, mode, body, fields),
        )
        return _response(contract, mode, payload)`;
