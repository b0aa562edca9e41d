/**
 * The `typescript-client` target: TypeScript types for every schema and operation of a spec, and a
 * small typed client over `fetch`. It prints the same language-neutral model as the Python targets
 * (model.ts), so schemas and inline schemas get the same names; the builder is asked to type the
 * operations' parameters too (declared after everything else, so no Python name moves).
 *
 * Three files, by role (the roles the Python packages use, so stale and edited checks are shared):
 * - `models.ts` (models): one `export type`/`export interface` per declaration; types only.
 * - `client.ts` (operations): per operation a `…Params` type (path, query, header, body) and a
 *   `…Result` discriminated union by status, `ApiError`, `ClientOptions` and `ApiClient`.
 * - `index.ts` (init): re-exports both.
 *
 * The client returns every *declared* status as a result (`{ status, ok, data, response }`) and
 * throws `ApiError` for a status the operation does not declare (no `default`, no `4XX` range...).
 * The generated code uses only erasable TypeScript (no enums, namespaces or parameter
 * properties), so per-file transpilers (esbuild, swc, Babel) need no type information for it.
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import pkg from '../../../../package.json';
import type { SpecResult } from '../context';
import type { GenerateConfig } from '../config/config';
import { finding, type Finding, type Span } from '../findings';
import type { AstNode } from '../parse/ast';
import { relativePath } from '../paths';
import { templateParameters, type MediaInfo, type Operation } from '../spec/operations';
import { inputsHash, renderHeader } from './header';
import { ModelBuilder, type ClassDecl, type Decl, type FieldDecl, type ModelSet, type OperationModels, type ParameterModel, type TypeRef } from './model';
import { className, NameScope } from './names';
import type { GeneratedFile, GenerateResult } from './index';

export const typescriptTarget = 'typescript-client' as const;

/** The files of the TypeScript client, by role (`models` carries the stale check, like `_generated.py`). */
export const typescriptFiles = { models: 'models.ts', init: 'index.ts', operations: 'client.ts' } as const;

/** The names `client.ts` always exports; a schema that takes one of them pushes it to `ApiClient2`... */
const fixedNames = ['ApiClient', 'ApiError', 'ClientOptions'] as const;

/** Globals the client refers to: no generated name may shadow them in `client.ts`. */
const clientGlobals = [
  'Array', 'Blob', 'Error', 'FormData', 'Headers', 'JSON', 'NonNullable', 'Object', 'Promise', 'RequestInit', 'Response', 'String', 'TypeError',
  'URLSearchParams', 'Uint8Array',
];

/** Method names that would break the client object: its constructor, and `then` (an object with `then` is awaited as a promise). */
const reservedMethods = ['constructor', 'then'];

/** The model for this target: the shared one, plus typed parameters. */
export function buildTypeScriptModel(spec: SpecResult): ModelSet {
  return new ModelBuilder(spec.graph, spec.index, { parameters: true }).build();
}

/**
 * The inputs hash of the client: what the models hash covers, plus what only the client reads
 * (parameters, summaries, deprecation).
 */
export function typescriptInputsHash(spec: SpecResult, root: string): string {
  const h = createHash('sha256');
  h.update(inputsHash(spec, root, typescriptTarget, {}));
  // Other files are hashed whole by the models hash already; the root's extra parts are added here.
  const doc = spec.graph.documents.get(spec.root);
  if (!doc) return h.digest('hex');
  const get = (n: AstNode | undefined, k: string) => (n?.kind === 'object' ? n.map.get(k)?.value : undefined);
  const slice = (label: string, node: AstNode | undefined) => {
    h.update(`\n${label}=`);
    if (node) h.update(doc.text.slice(node.start, node.end).replace(/\r\n?/g, '\n'));
  };
  slice('parameters', get(get(doc.root, 'components'), 'parameters'));
  slice('pathItems', get(get(doc.root, 'components'), 'pathItems'));
  const paths = get(doc.root, 'paths');
  if (paths?.kind === 'object') {
    for (const p of paths.properties) {
      if (p.value.kind !== 'object') continue;
      h.update(`\npath ${JSON.stringify(p.key)}`);
      slice('parameters', p.value.map.get('parameters')?.value);
      for (const m of p.value.properties) {
        if (m.value.kind !== 'object' || m.key === 'parameters') continue;
        h.update(`\n${m.key}`);
        for (const k of ['parameters', 'summary', 'deprecated']) slice(k, m.value.map.get(k)?.value);
      }
    }
  }
  return h.digest('hex');
}

/** Generates the three files of the client into `gen.output`. Never throws on odd specs. */
export function generateTypeScriptClient(spec: SpecResult, gen: GenerateConfig, root: string, model: ModelSet = buildTypeScriptModel(spec)): GenerateResult {
  const notes: { span: Span; message: string }[] = [];
  const printed = printClient(model, spec, (span, message) => notes.push({ span, message }));
  const inputs = typescriptInputsHash(spec, root);
  const specName = relativePath(root, spec.root);
  const file = (role: keyof typeof typescriptFiles, body: string): GeneratedFile => ({
    file: path.join(gen.output, typescriptFiles[role]),
    text: renderHeader({ toolVersion: pkg.version, target: typescriptTarget, spec: specName, inputs, body: '\n' + body, comment: '//' }) + '\n' + body,
    role,
    target: typescriptTarget,
    output: gen.output,
  });
  return {
    outputs: [file('models', printed.models), file('init', printed.index), file('operations', printed.client)],
    findings: toFindings(model, notes, gen, root),
  };
}

/** The lossy findings of the target (what `engine.check` reports on every edit). */
export function typescriptClientLossy(spec: SpecResult, gen: GenerateConfig, root: string): Finding[] {
  const model = buildTypeScriptModel(spec);
  const notes: { span: Span; message: string }[] = [];
  printClient(model, spec, (span, message) => notes.push({ span, message }));
  return toFindings(model, notes, gen, root);
}

function toFindings(model: ModelSet, notes: { span: Span; message: string }[], gen: GenerateConfig, root: string): Finding[] {
  const all = [...model.lossy.filter((n) => !n.targets || n.targets.includes(typescriptTarget)), ...notes];
  return all.map((n) => finding('generate.lossy-mapping', `${n.message} (target ${typescriptTarget})`, n.span, { data: { target: typescriptTarget, output: relativePath(root, gen.output) } }));
}

type Sink = (span: Span, message: string) => void;

// ------------------------------------------------------------------------------------------------
// Types

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key: bare when it is an identifier, else a string literal. */
function propKey(name: string): string {
  return identifier.test(name) ? name : JSON.stringify(name);
}

/** A JSDoc block (or nothing), indented. `*\/` in the text cannot end the comment. */
function jsdoc(lines: (string | undefined)[], indent: string): string {
  const text = lines.filter((l): l is string => l !== undefined && l.trim() !== '').join('\n\n');
  if (!text) return '';
  const body = text
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((l) => l.replace(/[\s\u2028\u2029]+$/u, '').replace(/[\u2028\u2029]/g, ' '));
  while (body.length && body[body.length - 1] === '') body.pop();
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

function literal(v: string | number | boolean): string {
  return JSON.stringify(v);
}

/** Prints type expressions; `prefix` qualifies declared names (`models.` in client.ts). */
class TypePrinter {
  constructor(
    private readonly prefix: string,
    private readonly blob: string,
  ) {}

  type(t: TypeRef): string {
    switch (t.k) {
      case 'any':
        return 'unknown';
      case 'none':
        return 'null';
      case 'prim':
        return t.t === 'str' ? 'string' : t.t === 'bool' ? 'boolean' : 'number';
      case 'fmt':
        return t.t === 'binary' ? this.blob : 'string';
      case 'lit':
        return t.values.map(literal).join(' | ');
      case 'list': {
        const inner = this.type(t.item);
        return needsParens(t.item) ? `(${inner})[]` : `${inner}[]`;
      }
      case 'dict':
        return `{ [key: string]: ${this.type(t.value)} }`;
      case 'ref':
        return this.prefix + t.decl.name;
      case 'union':
        return t.items.map((i) => this.type(i)).join(' | ');
    }
  }
}

function needsParens(t: TypeRef): boolean {
  return t.k === 'union' || (t.k === 'lit' && t.values.length > 1);
}

/** Aliases that reach themselves without passing through an object or array (TypeScript rejects those). */
function circularAliases(decls: Decl[]): Set<Decl> {
  const out = new Set<Decl>();
  const immediate = (t: TypeRef, acc: Decl[]) => {
    if (t.k === 'ref' && t.decl.kind === 'alias') acc.push(t.decl);
    if (t.k === 'union') for (const i of t.items) immediate(i, acc);
    return acc;
  };
  for (const d of decls) {
    if (d.kind !== 'alias') continue;
    const seen = new Set<Decl>();
    const stack = immediate(d.type, []);
    while (stack.length) {
      const x = stack.pop()!;
      if (x === d) {
        out.add(d);
        break;
      }
      if (seen.has(x) || x.kind !== 'alias') continue;
      seen.add(x);
      immediate(x.type, stack);
    }
  }
  return out;
}

/** Every field of a class, inherited ones first, a redeclared field in its subclass's place. */
function allFields(decl: ClassDecl): FieldDecl[] {
  const chain: ClassDecl[] = [];
  const seen = new Set<ClassDecl>();
  for (let d: ClassDecl | undefined = decl; d && !seen.has(d); d = d.base) {
    seen.add(d);
    chain.unshift(d);
  }
  const out: FieldDecl[] = [];
  for (const d of chain)
    for (const f of d.fields) {
      const i = out.findIndex((x) => x.wire === f.wire);
      if (i >= 0) out.splice(i, 1);
      out.push(f);
    }
  return out;
}

function printModels(model: ModelSet, note: Sink): string {
  const names = new Set(model.decls.map((d) => d.name));
  const types = new TypePrinter('', names.has('Blob') ? 'globalThis.Blob' : 'Blob');
  const circular = circularAliases(model.decls);
  const decls = [...model.decls].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const blocks: string[] = [];
  for (const d of decls) {
    switch (d.kind) {
      case 'enum':
        blocks.push(`${jsdoc([d.description], '')}export type ${d.name} = ${d.values.map(literal).join(' | ')};`);
        break;
      case 'alias': {
        let value = types.type(d.type);
        if (circular.has(d)) {
          note(d.span, 'A schema that is a union containing itself has no TypeScript type; it became `unknown`.');
          value = 'unknown';
        }
        blocks.push(`${jsdoc([d.description], '')}export type ${d.name} = ${value};`);
        break;
      }
      case 'class':
        blocks.push(printInterface(d, types, note));
        break;
    }
  }
  if (!blocks.length) return 'export {};\n';
  return blocks.join('\n\n') + '\n';
}

function printInterface(d: ClassDecl, types: TypePrinter, note: Sink): string {
  const lines: string[] = [];
  const fields = allFields(d);
  for (const f of fields) {
    const tags = d.tags.get(f.wire);
    // A discriminator property holds exactly the tags of its class: that is what lets TypeScript narrow the union.
    const type = tags && tags.length ? tags.map(literal).join(' | ') : types.type(f.type);
    lines.push(`${jsdoc([f.description, f.deprecated ? '@deprecated' : undefined], '  ')}  ${propKey(f.wire)}${f.required ? '' : '?'}: ${type};`);
  }
  if (typeof d.extra === 'object') {
    if (fields.length === 0) lines.push(`  [key: string]: ${types.type(d.extra)};`);
    else {
      note(d.span, 'The schema of `additionalProperties` cannot be typed next to named properties in TypeScript; extra values are `unknown`.');
      lines.push('  [key: string]: unknown;');
    }
  } else if (fields.length === 0) lines.push(d.extra === 'forbid' ? '  [key: string]: never;' : '  [key: string]: unknown;');
  return `${jsdoc([d.description, d.deprecated ? '@deprecated' : undefined], '')}export interface ${d.name} {\n${lines.join('\n')}\n}`;
}

// ------------------------------------------------------------------------------------------------
// Operations and the client

const jsonMedia = (m: string) => /^application\/(.+\+)?json\b/i.test(m) || m === '*/*';

function pickMedia(media: MediaInfo[]): MediaInfo | undefined {
  return media.find((m) => jsonMedia(m.mediaType) && m.schema) ?? media.find((m) => m.schema) ?? media.find((m) => jsonMedia(m.mediaType)) ?? media[0];
}

type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'raw';
type ResponseKind = 'json' | 'text' | 'blob' | 'none';

function bodyKind(mediaType: string): BodyKind {
  const m = mediaType.toLowerCase();
  if (jsonMedia(m)) return 'json';
  if (m.startsWith('application/x-www-form-urlencoded')) return 'form';
  if (m.startsWith('multipart/')) return 'multipart';
  if (m.startsWith('text/')) return 'text';
  return 'raw';
}

function responseKind(media: MediaInfo | undefined): ResponseKind {
  if (!media) return 'none';
  const m = media.mediaType.toLowerCase();
  if (jsonMedia(m)) return 'json';
  if (m.startsWith('text/') || /[/+]xml\b/.test(m) || m.startsWith('application/x-www-form-urlencoded')) return 'text';
  return 'blob';
}

function isStringish(t: TypeRef | undefined): boolean {
  if (!t) return false;
  if (t.k === 'prim') return t.t === 'str';
  if (t.k === 'fmt') return t.t !== 'binary';
  if (t.k === 'lit') return t.values.every((v) => typeof v === 'string');
  if (t.k === 'ref') return t.decl.kind === 'enum' ? t.decl.values.every((v) => typeof v === 'string') : t.decl.kind === 'alias' && isStringish(t.decl.type);
  return false;
}

function isBinary(t: TypeRef | undefined): boolean {
  return t?.k === 'fmt' && t.t === 'binary';
}

/** `listPets` from `listPets`, `repos/get-content` → `reposGetContent`, `GET_USERS` → `getUSERS`. */
export function methodName(operationId: string): string {
  const ascii = operationId.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  const words = ascii
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return 'operation';
  const first = words[0] === words[0].toUpperCase() ? words[0].toLowerCase() : words[0][0].toLowerCase() + words[0].slice(1);
  const name = first + words.slice(1).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(name) ? 'op' + name[0].toUpperCase() + name.slice(1) : name;
}

/** A template literal's text part: backquotes, `${` and backslashes escaped. */
function templateText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

const pathStyles = new Set(['simple', 'label', 'matrix']);
const queryStyles = new Set(['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);

interface PrintedClient {
  models: string;
  client: string;
  index: string;
}

function printClient(model: ModelSet, spec: SpecResult, note: Sink): PrintedClient {
  const modelsText = printModels(model, note);
  const scope = new NameScope([...model.decls.map((d) => d.name), ...clientGlobals]);
  const fixed = Object.fromEntries(fixedNames.map((n) => [n, scope.claim(n)])) as Record<(typeof fixedNames)[number], string>;
  const types = new TypePrinter('models.', 'Blob');
  const methods = new NameScope(reservedMethods);
  const byRoute = new Map<string, Operation>();
  for (const op of spec.index.operations) byRoute.set(`${op.method.toUpperCase()} ${op.path}`, op);
  let usesModels = false;
  const typeOf = (t: TypeRef) => {
    const s = types.type(t);
    if (s.includes('models.')) usesModels = true;
    return s;
  };
  const opTypes: string[] = [];
  const opMethods: string[] = [];
  for (const om of model.operations) {
    const op = byRoute.get(`${om.method} ${om.path}`);
    if (!op) continue;
    const base = className(om.operationId);
    const paramsName = scope.claim(`${base}Params`);
    const resultName = scope.claim(`${base}Result`);
    const method = methods.claim(methodName(om.operationId));
    const printed = printOperation(om, op, typeOf, note);
    opTypes.push(printed.params ? `export interface ${paramsName} ${printed.params}` : '', `export type ${resultName} =\n${printed.result};`);
    const doc = jsdoc([op.summary, `\`${om.method} ${om.path}\` (operationId \`${om.operationId}\`)`, op.deprecated ? '@deprecated' : undefined], '  ');
    const signature = printed.params ? `params: ${paramsName}${printed.paramsOptional ? ' = {}' : ''}, init?: RequestInit` : 'init?: RequestInit';
    const call = [
      `operationId: ${JSON.stringify(om.operationId)}`,
      `method: ${JSON.stringify(om.method)}`,
      `path: \`${printed.path}\``,
      ...printed.callParts,
      `responses: ${printed.responses}`,
    ];
    opMethods.push(`${doc}  ${propKey(method)}(${signature}): Promise<${resultName}> {\n    return this.#send({\n${call.map((c) => `      ${c},`).join('\n')}\n    }, init) as Promise<${resultName}>;\n  }`);
  }
  const header = usesModels ? `import type * as models from './models.js';\n\n` : '';
  const usesPath = model.operations.some((om) => templateParameters(om.path).length > 0);
  const client = header + runtime(fixed, usesPath, opMethods.length > 0) + (opTypes.filter(Boolean).length ? '\n' + opTypes.filter(Boolean).join('\n\n') + '\n' : '') + clientClass(fixed, opMethods);
  const index = `export * from './models.js';\nexport * from './client.js';\n`;
  return { models: modelsText, client, index };
}

interface PrintedOperation {
  /** The `{ path, query, header, body }` type body, or undefined when the operation takes none. */
  params?: string;
  paramsOptional: boolean;
  path: string;
  callParts: string[];
  result: string;
  responses: string;
}

function printOperation(om: OperationModels, op: Operation, typeOf: (t: TypeRef) => string, note: Sink): PrintedOperation {
  const groups: Record<'path' | 'query' | 'header', { name: string; text: string; required: boolean }[]> = { path: [], query: [], header: [] };
  const styles: string[] = [];
  const parameters = om.parameters ?? [];
  for (const p of parameters) {
    if (p.in === 'cookie') {
      note(p.span, `The cookie parameter "${p.name}" is not sent by the TypeScript client (browsers do not let scripts set Cookie); send it through \`init.headers\` where the runtime allows.`);
      continue;
    }
    if (p.in !== 'path' && p.in !== 'query' && p.in !== 'header') {
      note(p.span, `The ${JSON.stringify(p.in)} parameter "${p.name}" (Swagger 2.0 style) is not part of the TypeScript client's parameters.`);
      continue;
    }
    const style = parameterStyle(p, note);
    if (style) styles.push(`${JSON.stringify(p.name)}: [${JSON.stringify(style[0])}, ${style[1]}]`);
    const doc = jsdoc([p.description, p.deprecated ? '@deprecated' : undefined], '    ');
    groups[p.in].push({ name: p.name, required: p.required, text: `${doc}    ${propKey(p.name)}${p.required ? '' : '?'}: ${typeOf(p.type)};` });
  }
  // A `{name}` in the path with no parameter declared for it still has to be filled in.
  for (const t of templateParameters(om.path)) {
    if (groups.path.some((p) => p.name === t.name)) continue;
    note(op.pathSpan, `The path parameter "${t.name}" is not declared; the TypeScript client types it as \`string | number\`.`);
    groups.path.push({ name: t.name, required: true, text: `    ${propKey(t.name)}: string | number;` });
  }
  const pathStyle = new Map(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p]));
  let pathText = '';
  let last = 0;
  for (const t of templateParameters(om.path)) {
    pathText += templateText(om.path.slice(last, t.from));
    const p = pathStyle.get(t.name);
    const style = p?.content ? 'content' : p?.style && pathStyles.has(p.style) ? p.style : 'simple';
    pathText += `\${_path(${JSON.stringify(t.name)}, params.path[${JSON.stringify(t.name)}], ${JSON.stringify(style)}, ${p?.explode ?? false})}`;
    last = t.to;
  }
  pathText += templateText(om.path.slice(last));

  const members: string[] = [];
  const callParts: string[] = [];
  let optional = true;
  for (const g of ['path', 'query', 'header'] as const) {
    const list = groups[g].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!list.length) continue;
    const req = list.some((p) => p.required);
    if (req) optional = false;
    members.push(`  ${g}${req ? '' : '?'}: {\n${list.map((p) => p.text).join('\n')}\n  };`);
    if (g !== 'path') callParts.push(`${g}: params.${g}`);
  }
  if (styles.length) callParts.push(`styles: { ${styles.join(', ')} }`);
  const body = op.requestBody ? pickMedia(op.requestBody.media) : undefined;
  if (op.requestBody && body) {
    const kind = bodyKind(body.mediaType);
    let type: string;
    if (om.request && (kind !== 'raw' || isBinary(om.request) || isStringish(om.request))) type = typeOf(om.request);
    else if (kind === 'raw') type = 'NonNullable<RequestInit["body"]>';
    else type = 'unknown';
    const required = op.requestBody.required;
    if (required) optional = false;
    members.push(`  body${required ? '' : '?'}: ${type};`);
    callParts.push('body: params.body', `bodyKind: ${JSON.stringify(kind)}`, `mediaType: ${JSON.stringify(body.mediaType === '*/*' ? 'application/json' : body.mediaType)}`);
  }

  // Responses: the kind of each declared status, and the result union.
  const kinds: string[] = [];
  const variants: string[] = [];
  const byStatus = new Map(op.responses.map((r) => [r.status, r]));
  const responses = om.responses.length ? om.responses : [{ status: 'default', type: undefined }];
  for (const r of responses) {
    const media = pickMedia(byStatus.get(r.status)?.media ?? []);
    let kind = responseKind(media);
    let data: string;
    if (kind === 'none') data = 'undefined';
    else if (kind === 'json') data = r.type ? typeOf(r.type) : 'unknown';
    else if (kind === 'text') data = r.type && isStringish(r.type) ? typeOf(r.type) : 'string';
    else if (r.type && isStringish(r.type)) {
      kind = 'text';
      data = typeOf(r.type);
    } else data = 'Blob';
    if (!om.responses.length) data = 'unknown';
    kinds.push(`${JSON.stringify(r.status)}: ${JSON.stringify(om.responses.length ? kind : 'json')}`);
    const exact = /^[1-5][0-9][0-9]$/.test(r.status);
    const range = /^[1-5]XX$/i.test(r.status);
    const status = exact ? r.status : 'number';
    const ok = exact ? String(r.status.startsWith('2')) : range ? String(r.status.startsWith('2')) : 'boolean';
    variants.push(`  | { status: ${status}; ok: ${ok}; data: ${data}; response: Response }`);
  }
  return {
    params: members.length ? `{\n${members.join('\n')}\n}` : undefined,
    paramsOptional: optional,
    path: pathText,
    callParts,
    result: variants.join('\n'),
    responses: `{ ${kinds.join(', ')} }`,
  };
}

/** The style and explode of a parameter when they are not the defaults of its location; notes styles the client does not know. */
function parameterStyle(p: ParameterModel, note: Sink): [string, boolean] | undefined {
  if (p.content) return p.in === 'query' ? ['content', false] : undefined;
  if (p.in === 'path') {
    if (p.style && !pathStyles.has(p.style)) note(p.span, `The path parameter style "${p.style}" is not known to the TypeScript client; it is sent as \`simple\`.`);
    return undefined; // path styles are printed into the path template
  }
  if (p.in === 'header') {
    if (p.style && p.style !== 'simple') note(p.span, `The header parameter style "${p.style}" is not known to the TypeScript client; it is sent as \`simple\`.`);
    return undefined;
  }
  let style = p.style ?? 'form';
  if (!queryStyles.has(style)) {
    note(p.span, `The query parameter style "${style}" is not known to the TypeScript client; it is sent as \`form\`.`);
    style = 'form';
  }
  const explode = p.explode ?? style === 'form';
  return style === 'form' && explode ? undefined : [style, explode];
}

function runtime(n: Record<(typeof fixedNames)[number], string>, usesPath: boolean, hasOperations: boolean): string {
  const text = `/** How an {@link ${n.ApiClient}} reaches the server. */
export interface ${n.ClientOptions} {
  /** The server's base URL, e.g. \`https://api.example.com/v1\` (a trailing slash is ignored). */
  baseUrl: string;
  /** The fetch to call (default: the global \`fetch\`): inject one for tests, retries or logging. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Headers sent with every request, or a function returning them (called for each request, e.g. for a fresh token). */
  headers?: { [name: string]: string } | (() => { [name: string]: string } | Promise<{ [name: string]: string }>);
}

/** Thrown for a response whose status the operation does not declare (declared statuses are returned, errors included). */
export class ${n.ApiError} extends Error {
  /** The operationId of the call. */
  readonly operationId: string;
  readonly status: number;
  /** The body: parsed JSON when the response says it is JSON, else its text. */
  readonly body: unknown;
  readonly response: Response;

  constructor(operationId: string, status: number, body: unknown, response: Response) {
    super(\`\${operationId}: the server answered \${status}, a status the contract does not declare for this operation\`);
    this.name = '${n.ApiError}';
    this.operationId = operationId;
    this.status = status;
    this.body = body;
    this.response = response;
  }
}

__INTERNAL__interface _Call {
  operationId: string;
  method: string;
  path: string;
  query?: { [name: string]: unknown } | undefined;
  header?: { [name: string]: unknown } | undefined;
  /** Query parameters whose style is not \`form\` with \`explode\`. */
  styles?: { [name: string]: [string, boolean] } | undefined;
  body?: unknown;
  bodyKind?: 'json' | 'form' | 'multipart' | 'text' | 'raw' | undefined;
  mediaType?: string | undefined;
  /** How to read the body of each declared status (\`default\` and \`4XX\`-style ranges included). */
  responses: { [status: string]: 'json' | 'text' | 'blob' | 'none' };
}

function _plain(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

__PATH__/** One path parameter, serialized by its style and percent-encoded. */
function _path(name: string, value: unknown, style: string, explode: boolean): string {
  if (value === undefined || value === null) throw new TypeError(\`the path parameter "\${name}" is required\`);
  const enc = (v: unknown) => encodeURIComponent(_plain(v));
  if (style === 'content') return encodeURIComponent(JSON.stringify(value));
  const prefix = style === 'label' ? '.' : style === 'matrix' ? \`;\${name}=\` : '';
  if (Array.isArray(value)) {
    if (!explode) return prefix + value.map(enc).join(',');
    return prefix + value.map(enc).join(style === 'label' ? '.' : style === 'matrix' ? \`;\${name}=\` : ',');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const sep = style === 'label' && explode ? '.' : style === 'matrix' && explode ? ';' : ',';
    const text = entries.map(([k, v]) => (explode ? \`\${encodeURIComponent(k)}=\${enc(v)}\` : \`\${encodeURIComponent(k)},\${enc(v)}\`)).join(sep);
    return style === 'matrix' && explode ? \`;\${text}\` : prefix + text;
  }
  return prefix + enc(value);
}
__ENDPATH__
/** A query string (without \`?\`): \`form\` and \`explode\` unless \`styles\` says otherwise; undefined values are left out. */
function _query(values: { [name: string]: unknown }, styles: { [name: string]: [string, boolean] }): string {
  const enc = encodeURIComponent;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const [style, explode] = styles[name] ?? ['form', true];
    if (value === null) parts.push(\`\${enc(name)}=\`);
    else if (style === 'content') parts.push(\`\${enc(name)}=\${enc(JSON.stringify(value))}\`);
    else if (Array.isArray(value)) {
      if (style === 'form' && explode) for (const v of value) parts.push(\`\${enc(name)}=\${enc(_plain(v))}\`);
      else {
        const sep = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',';
        parts.push(\`\${enc(name)}=\${value.map((v) => enc(_plain(v))).join(sep)}\`);
      }
    } else if (typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      if (style === 'deepObject') for (const [k, v] of entries) parts.push(\`\${enc(name)}[\${enc(k)}]=\${enc(_plain(v))}\`);
      else if (explode) for (const [k, v] of entries) parts.push(\`\${enc(k)}=\${enc(_plain(v))}\`);
      else parts.push(\`\${enc(name)}=\${entries.map(([k, v]) => \`\${enc(k)},\${enc(_plain(v))}\`).join(',')}\`);
    } else parts.push(\`\${enc(name)}=\${enc(_plain(value))}\`);
  }
  return parts.join('&');
}

function _body(body: unknown, kind: string): NonNullable<RequestInit['body']> {
  switch (kind) {
    case 'json':
      return JSON.stringify(body);
    case 'form':
      return _query(body as { [name: string]: unknown }, {});
    case 'multipart': {
      const form = new FormData();
      for (const [k, v] of Object.entries(body as { [name: string]: unknown })) {
        for (const item of Array.isArray(v) ? v : [v]) {
          if (item === undefined) continue;
          if (item instanceof Blob) form.append(k, item);
          else form.append(k, _plain(item));
        }
      }
      return form;
    }
    case 'text':
      return String(body);
    default:
      return body as NonNullable<RequestInit['body']>;
  }
}

async function _read(response: Response, kind: string | undefined): Promise<unknown> {
  if (kind === 'none') {
    await response.arrayBuffer();
    return undefined;
  }
  if (kind === 'blob') return response.blob();
  const text = await response.text();
  if (kind === 'text') return text;
  if (text === '') return undefined;
  if (kind === 'json') return JSON.parse(text);
  // An undeclared status: JSON when the response says so, else the text.
  if (/[/+]json\\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
__ENDINTERNAL__
`;
  // Helpers no operation uses are left out (a project with noUnusedLocals would reject them).
  return text.replace(/__PATH__([^]*)__ENDPATH__\n/, usesPath ? '$1\n' : '').replace(/\n__INTERNAL__([^]*)__ENDINTERNAL__\n/, hasOperations ? '\n$1' : '');
}

function clientClass(n: Record<(typeof fixedNames)[number], string>, methods: string[]): string {
  if (!methods.length) {
    return `
/** The typed client of a contract without operations. */
export class ${n.ApiClient} {
  readonly options: ${n.ClientOptions};

  constructor(options: ${n.ClientOptions}) {
    this.options = options;
  }
}
`;
  }
  return `
/**
 * The typed client: one method per operation, named after its operationId. A declared status
 * (including \`default\` and ranges like \`4XX\`) resolves to \`{ status, ok, data, response }\`;
 * any other status throws {@link ${n.ApiError}}.
 */
export class ${n.ApiClient} {
  readonly #baseUrl: string;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly #headers: ${n.ClientOptions}['headers'];

  constructor(options: ${n.ClientOptions}) {
    this.#baseUrl = options.baseUrl.replace(/\\/+$/, '');
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#headers = options.headers;
  }

  async #send(call: _Call, init: RequestInit | undefined): Promise<{ status: number; ok: boolean; data: unknown; response: Response }> {
    let url = this.#baseUrl + call.path;
    const query = call.query ? _query(call.query, call.styles ?? {}) : '';
    if (query) url += (url.includes('?') ? '&' : '?') + query;
    const headers = new Headers(typeof this.#headers === 'function' ? await this.#headers() : this.#headers);
    for (const [k, v] of Object.entries(call.header ?? {})) if (v !== undefined && v !== null) headers.set(k, Array.isArray(v) ? v.map(_plain).join(',') : _plain(v));
    const request: RequestInit = { ...init, method: call.method, headers };
    if (call.body !== undefined && call.bodyKind) {
      request.body = _body(call.body, call.bodyKind);
      if (call.bodyKind !== 'multipart' && call.mediaType) headers.set('content-type', call.mediaType);
    }
    if (init?.headers) new Headers(init.headers).forEach((v, k) => headers.set(k, v));
    const response = await this.#fetch(url, request);
    const status = String(response.status);
    const kind = call.responses[status] ?? call.responses[\`\${status[0]}XX\`] ?? call.responses[\`\${status[0]}xx\`] ?? call.responses['default'];
    const data = await _read(response, kind);
    if (kind === undefined) throw new ${n.ApiError}(call.operationId, response.status, data, response);
    return { status: response.status, ok: response.ok, data, response };
  }
${methods.length ? '\n' + methods.join('\n\n') + '\n' : ''}}
`;
}
