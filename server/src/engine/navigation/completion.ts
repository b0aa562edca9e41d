import * as path from 'node:path';
import type { CheckResult } from '../engine';
import type { AstNode } from '../parse/ast';
import { stringValue } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import { indentUnit, toJson, toYaml, type Plain } from '../edits';
import { httpMethods, templateParameters } from '../spec/operations';
import { guessKind, isComponentKind, isDefinitionsFile, kindLabel, referenceTarget, type ComponentKind } from '../spec/components';
import { isInside } from '../paths';
import { escapeSegment } from '../spec/pointer';
import { suggestOperationId } from '../checks/structure';
import { suggestKey } from '../coverage/fixes';
import { className } from '../generate/names';
import type { SyntaxNode } from '../source/treesitter';
import { cursorContext, nodeAtPath, type CursorContext, type Segment } from './locate';
import { typeText } from './hover';
import type { NavigationView, NavSpec } from './view';

export type CompletionKind = 'reference' | 'file' | 'operation' | 'key' | 'model' | 'status' | 'snippet';

/**
 * One completion proposal as plain data: `insertText` replaces `replace` (offsets in the file's
 * current text); with `snippet`, it has `${1:placeholder}` tab stops and its lines after the first
 * are indented relative to the cursor's line.
 */
export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText: string;
  snippet?: boolean;
  replace: { start: number; end: number };
  /** What the editor matches the typed text against (the insert text, quotes included). */
  filterText?: string;
  sortText?: string;
}

/**
 * Completion in a spec (`$ref` values by the kind the place expects, files, status codes, snippets
 * for a new operation, path or component) and in the typed-coverage declarations (operationIds,
 * SDK keys and model names; the YAML file, and the string arguments of the Python contracts module).
 */
export function completionsAt(view: NavigationView, offset: number): CompletionEntry[] {
  for (const result of view.results) {
    const coverage = result.coverage;
    if (!coverage || coverage.file !== view.file) continue;
    if (coverage.source === 'yaml' && view.doc) return declarationsYaml(view, result, view.doc, offset);
    if (coverage.source === 'python') return declarationsPython(view, result, offset);
  }
  const doc = view.doc;
  if (!doc || view.specs.length === 0) return [];
  const ctx = cursorContext(doc, offset);
  if (!ctx) return [];
  const spec = view.specs[0];
  const last = ctx.path[ctx.path.length - 1];
  if (ctx.at === 'value' && last === '$ref') return refCompletions(view, spec, doc, ctx, refKindOf(ctx.path.slice(0, -1)), ctx.path.slice(0, -1));
  if (ctx.at === 'value' && last === 'operationId') return operationIdCompletion(view, spec, doc, ctx);
  if (ctx.at !== 'key') return [];
  const isRoot = doc.path === spec.root;
  const p = ctx.path;
  if (isRoot && p.length === 1 && p[0] === 'paths') return [pathSnippet(view, doc, ctx)];
  const pathItem = isRoot ? (p.length === 2 && p[0] === 'paths' ? String(p[1]) : undefined) : p.length === 0 ? pathOfItemFile(spec, doc.path) : undefined;
  if (pathItem !== undefined) return operationSnippets(view, doc, ctx, pathItem);
  const responsesAt = isRoot ? p.length === 4 && p[0] === 'paths' && p[3] === 'responses' && isMethod(p[2]) : p.length === 2 && p[1] === 'responses' && isMethod(p[0]);
  if (responsesAt || (p.length >= 2 && p[p.length - 1] === 'responses' && isMethod(p[p.length - 2]))) return statusCompletions(doc, ctx, offset);
  if (p.length === 2 && p[0] === 'components' && isComponentKind(String(p[1]))) return [componentSnippet(doc, ctx, p[1] as ComponentKind, offset)];
  return [];
}

function isMethod(s: Segment | undefined): boolean {
  return typeof s === 'string' && (httpMethods as readonly string[]).includes(s);
}

const schemaKeys = new Set(['schema', 'items', 'not', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties']);
const schemaMaps = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const schemaLists = new Set(['allOf', 'oneOf', 'anyOf', 'prefixItems']);

/** What a `$ref` in the object at `path` may point at, from where that object sits. */
export function refKindOf(path: readonly Segment[]): ComponentKind | undefined {
  const last = path[path.length - 1];
  const prev = path[path.length - 2];
  if (path.length === 2 && path[0] === 'paths') return 'pathItems';
  if (path.length === 3 && path[0] === 'components' && isComponentKind(String(path[1]))) return path[1] as ComponentKind;
  if (typeof last === 'string' && schemaKeys.has(last)) return 'schemas';
  if (typeof prev === 'string' && schemaMaps.has(prev)) return 'schemas';
  if (typeof last === 'number' && typeof prev === 'string' && schemaLists.has(prev)) return 'schemas';
  if (typeof last === 'number' && prev === 'parameters') return 'parameters';
  if (last === 'requestBody') return 'requestBodies';
  if (prev === 'responses') return 'responses';
  if (prev === 'headers') return 'headers';
  if (prev === 'examples') return 'examples';
  if (prev === 'links') return 'links';
  if (prev === 'callbacks') return 'callbacks';
  return undefined;
}

/** A path from one spec file to another as a `$ref` writes it: `./components/schemas.yaml`. */
function relativeRef(from: string, to: string): string {
  const rel = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** What the editor compares the typed text with: the value, after the quote when one was typed. */
function filterFor(ctx: CursorContext, value: string): string {
  return ctx.quote ? `${ctx.quote}${value}` : value;
}

/** The value as a complete token for the place: quoted as it was opened, or quoted as the format needs. */
function token(doc: ParsedDocument, ctx: CursorContext, value: string, needsQuotes: boolean): string {
  const q = ctx.quote ?? (doc.format === 'json' ? '"' : needsQuotes ? "'" : undefined);
  if (!q) return value;
  if (q === '"') return JSON.stringify(value);
  return `'${value.replace(/'/g, "''")}'`;
}

function refCompletions(view: NavigationView, spec: NavSpec, doc: ParsedDocument, ctx: CursorContext, kind: ComponentKind | undefined, holder: Segment[]): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  // A component that is itself a $ref (`Alias: {$ref: ...}`) cannot point at itself.
  const self = holder.length === 3 && holder[0] === 'components' ? `#/components/${holder[1]}/${escapeSegment(String(holder[2]))}` : undefined;
  const seen = new Set<string>(self ? [self] : []);
  const add = (value: string, entryKind: CompletionKind, detail: string, node: AstNode | undefined, sort: string) => {
    if (seen.has(value)) return;
    seen.add(value);
    const insertText = token(doc, ctx, value, true);
    const documentation = node && (entryKind === 'reference' ? `\`${typeText(node)}\`` : undefined);
    out.push({ label: value, kind: entryKind, detail, documentation, insertText, replace: ctx.replace, filterText: filterFor(ctx, value), sortText: `${sort}${value}` });
  };
  const documents = [...spec.graph.documents.values()];
  // The file being edited first, then the others in graph order.
  documents.sort((a, b) => (a.path === doc.path ? -1 : b.path === doc.path ? 1 : 0));
  // A file typed before the "#" that the spec does not reach yet: offer what it defines, too.
  const hash = ctx.prefix.indexOf('#');
  const typedFile = hash > 0 ? ctx.prefix.slice(0, hash) : undefined;
  const typedTarget = typedFile !== undefined ? referenceTarget(doc.path, typedFile) : undefined;
  if (typedTarget && !spec.graph.documents.has(typedTarget.file) && isInside(spec.result.project.root, typedTarget.file)) {
    const d = view.document(typedTarget.file);
    if (d) documents.push(d);
  }
  for (const d of documents) {
    const root = d.root;
    if (root?.kind !== 'object') continue;
    const file = typedTarget?.file === d.path ? typedFile! : relativeRef(doc.path, d.path);
    const prefix = d.path === doc.path ? '#' : `${file}#`;
    const local = d.path === doc.path ? '0' : '1';
    const components = root.map.get('components')?.value;
    if (components?.kind === 'object') {
      for (const section of components.properties) {
        if (!isComponentKind(section.key) || section.value.kind !== 'object') continue;
        if (kind && section.key !== kind) continue;
        for (const p of section.value.properties) add(`${prefix}/components/${section.key}/${escapeSegment(p.key)}`, 'reference', `${kindLabel[section.key]}${d.path !== doc.path ? ` · ${path.basename(d.path)}` : ''}`, p.value, local);
      }
    } else if (!view.rootFiles.has(d.path) && isDefinitionsFile(d)) {
      for (const p of (root as { properties: { key: string; value: AstNode }[] }).properties) {
        const guessed = guessKind(p.value);
        if (kind && guessed && guessed !== kind) continue;
        add(`${prefix}/${escapeSegment(p.key)}`, 'reference', `${guessed ? kindLabel[guessed] : 'definition'}${d.path !== doc.path ? ` · ${path.basename(d.path)}` : ''}`, p.value, local);
      }
    }
    // A path item in a file of its own is referenced as a whole.
    if ((kind === 'pathItems' || !kind) && d.path !== doc.path && !view.rootFiles.has(d.path) && root.properties.some((p) => isMethod(p.key))) {
      add(relativeRef(doc.path, d.path), 'file', 'path item file', undefined, '2');
    }
  }
  if (!ctx.prefix.includes('#')) {
    // Files not yet referenced, next to this one: the start of a reference to a new file.
    const dir = path.dirname(doc.path);
    const files = view.fs.glob(['*.yaml', '*.yml', '*.json', '*/*.yaml', '*/*.yml', '*/*.json'], dir, ['**/node_modules/**', '**/package*.json', '**/tsconfig*.json', '**/contract-lens*.yaml']);
    for (const f of files.slice(0, 200)) {
      if (f === doc.path || spec.graph.documents.has(f)) continue;
      add(relativeRef(doc.path, f), 'file', 'file', undefined, '3');
    }
  }
  return out;
}

function operationIdCompletion(view: NavigationView, spec: NavSpec, doc: ParsedDocument, ctx: CursorContext): CompletionEntry[] {
  const p = ctx.path;
  const method = p[p.length - 2];
  if (!isMethod(method)) return [];
  const template = doc.path === spec.root ? (p.length === 4 && p[0] === 'paths' ? String(p[1]) : undefined) : p.length === 2 ? pathOfItemFile(spec, doc.path) : undefined;
  if (template === undefined) return [];
  const taken = new Set(view.specs.flatMap((s) => [...s.index.byOperationId.keys()]));
  const id = suggestOperationId(String(method), template, taken);
  const insertText = token(doc, ctx, id, false);
  return [{ label: id, kind: 'operation', detail: `operationId for ${String(method).toUpperCase()} ${template}`, insertText, replace: ctx.replace, filterText: filterFor(ctx, id) }];
}

/** The path template whose path item is this file (`/owners/{ownerId}: {$ref: ./paths/owners.yaml}`). */
function pathOfItemFile(spec: NavSpec, file: string): string | undefined {
  return spec.index.pathItems.find((i) => i.file === file)?.path;
}

// ---- snippets ----

const open = '\uE000';
const mid = '\uE001';
const close = '\uE002';

/** A placeholder inside a Plain value; becomes `${n:text}` in the snippet. */
function ph(n: number, text: string): string {
  return `${open}${n}${mid}${text}${close}`;
}

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Writes a Plain value in the file's format (first line at the cursor, later lines relative to it) as a snippet. */
function snippetOf(doc: ParsedDocument, key: string, value: Plain): string {
  const unit = indentUnit(doc.text);
  const text = doc.format === 'json' ? `${JSON.stringify(key)}: ${toJson(value, '', unit)}` : toYaml({ [key]: value }, '', unit).replace(/\n$/, '');
  const parts = text.split(new RegExp(`${open}(\\d+)${mid}([^${close}]*)${close}`));
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 3 === 0) out += escapeSnippet(parts[i]);
    else if (i % 3 === 1) out += `\${${parts[i]}:${escapeSnippet(parts[i + 1])}}`;
  }
  return out;
}

function snippetEntry(doc: ParsedDocument, ctx: CursorContext, label: string, detail: string, key: string, value: Plain, sort: string): CompletionEntry {
  return { label, kind: 'snippet', detail, insertText: snippetOf(doc, key, value), snippet: true, replace: ctx.replace, filterText: label, sortText: sort };
}

function responseStub(n: number): Plain {
  return { '200': { description: ph(n, 'OK') } } as Plain;
}

function operationSnippets(view: NavigationView, doc: ParsedDocument, ctx: CursorContext, template: string): CompletionEntry[] {
  const item = nodeAtPath(doc.root, ctx.path, ctx.replace.start);
  const existing = new Set(item?.kind === 'object' ? item.properties.map((p) => p.key) : []);
  const taken = new Set(view.specs.flatMap((s) => [...s.index.byOperationId.keys()]));
  const hasPathParameters = item?.kind === 'object' && item.map.has('parameters');
  const out: CompletionEntry[] = [];
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    if (existing.has(method)) continue;
    const id = suggestOperationId(method, template, taken);
    const op: { [k: string]: Plain } = { operationId: ph(1, id), summary: ph(2, `${method.toUpperCase()} ${template}`) };
    const params = hasPathParameters ? [] : templateParameters(template);
    if (params.length) op.parameters = params.map((t) => ({ name: t.name, in: 'path', required: true, schema: { type: 'string' } }));
    if (method === 'post' || method === 'put' || method === 'patch') op.requestBody = { required: true, content: { 'application/json': { schema: { $ref: ph(3, '#/components/schemas/') } } } };
    op.responses = responseStub(4);
    out.push(snippetEntry(doc, ctx, `${method}`, `new ${method.toUpperCase()} operation on ${template}`, method, op, `0${httpMethods.indexOf(method)}`));
  }
  return out;
}

function pathSnippet(view: NavigationView, doc: ParsedDocument, ctx: CursorContext): CompletionEntry {
  const taken = new Set(view.specs.flatMap((s) => [...s.index.byOperationId.keys()]));
  return snippetEntry(doc, ctx, '/path', 'new path with a GET operation', ph(1, '/resources'), { get: { operationId: ph(2, suggestOperationId('get', '/resources', taken)), summary: ph(3, 'List the resources'), responses: responseStub(4) } }, '0');
}

const componentTemplates: Record<ComponentKind, { name: string; value: Plain }> = {
  schemas: { name: 'NewSchema', value: { type: 'object', required: [ph(2, 'id')], properties: { id: { type: ph(3, 'string') } } } as Plain },
  parameters: { name: 'NewParameter', value: { name: ph(2, 'name'), in: ph(3, 'query'), required: false, schema: { type: 'string' } } as Plain },
  responses: { name: 'NewResponse', value: { description: ph(2, 'What the response means'), content: { 'application/json': { schema: { $ref: ph(3, '#/components/schemas/') } } } } as Plain },
  requestBodies: { name: 'NewRequestBody', value: { required: true, content: { 'application/json': { schema: { $ref: ph(2, '#/components/schemas/') } } } } as Plain },
  headers: { name: 'NewHeader', value: { description: ph(2, 'What the header carries'), schema: { type: 'string' } } as Plain },
  examples: { name: 'NewExample', value: { summary: ph(2, 'An example'), value: {} } as Plain },
  securitySchemes: { name: 'bearerAuth', value: { type: 'http', scheme: 'bearer' } as Plain },
  links: { name: 'NewLink', value: { operationId: ph(2, 'operationId'), parameters: {} } as Plain },
  callbacks: { name: 'NewCallback', value: {} as Plain },
  pathItems: { name: 'NewPathItem', value: { get: { responses: { '200': { description: 'OK' } } } } as Plain },
};

function componentSnippet(doc: ParsedDocument, ctx: CursorContext, kind: ComponentKind, offset: number): CompletionEntry {
  const section = nodeAtPath(doc.root, ctx.path, offset);
  const names = new Set(section?.kind === 'object' ? section.properties.map((p) => p.key) : []);
  const t = componentTemplates[kind];
  let name = t.name;
  for (let n = 2; names.has(name); n++) name = `${t.name}${n}`;
  return snippetEntry(doc, ctx, name, `new ${kindLabel[kind]}`, ph(1, name), t.value, '0');
}

const statuses: [string, string][] = [
  ['200', 'OK'], ['201', 'Created'], ['202', 'Accepted'], ['204', 'No Content'], ['301', 'Moved Permanently'], ['302', 'Found'], ['304', 'Not Modified'],
  ['400', 'Bad Request'], ['401', 'Unauthorized'], ['403', 'Forbidden'], ['404', 'Not Found'], ['405', 'Method Not Allowed'], ['409', 'Conflict'],
  ['410', 'Gone'], ['412', 'Precondition Failed'], ['415', 'Unsupported Media Type'], ['422', 'Unprocessable Content'], ['429', 'Too Many Requests'],
  ['500', 'Internal Server Error'], ['501', 'Not Implemented'], ['502', 'Bad Gateway'], ['503', 'Service Unavailable'], ['504', 'Gateway Timeout'],
  ['2XX', 'Any success'], ['4XX', 'Any client error'], ['5XX', 'Any server error'], ['default', 'Any other status'],
];

function statusCompletions(doc: ParsedDocument, ctx: CursorContext, offset: number): CompletionEntry[] {
  const responses = nodeAtPath(doc.root, ctx.path, offset);
  const existing = new Set(responses?.kind === 'object' ? responses.properties.map((p) => p.key) : []);
  const unit = indentUnit(doc.text);
  return statuses
    .filter(([code]) => !existing.has(code))
    .map(([code, reason], i) => {
      const q = ctx.quote ?? (doc.format === 'json' ? '"' : code === 'default' ? '' : "'");
      const key = `${q}${code}${q}`;
      const insertText = doc.format === 'json' ? `${key}: {\n${unit}"description": "\${1:${reason}}"\n}` : `${key}:\n${unit}description: \${1:${reason}}`;
      return { label: code, kind: 'status' as const, detail: reason, insertText, snippet: true, replace: ctx.replace, filterText: filterFor(ctx, code), sortText: String(i).padStart(2, '0') };
    });
}

// ---- declarations ----

interface DeclarationSlot {
  kind: 'operationId' | 'key' | 'model';
  /** The operationId of the declaration the slot belongs to, when it names one. */
  operationId?: string;
}

function declarationsYaml(view: NavigationView, result: CheckResult, doc: ParsedDocument, offset: number): CompletionEntry[] {
  const ctx = cursorContext(doc, offset);
  if (!ctx || ctx.at === 'key') return [];
  const p = ctx.path;
  const list = p[0];
  const entry = typeof p[1] === 'number' ? nodeAtPath(doc.root, p.slice(0, 2), offset) : undefined;
  const entryId = entry?.kind === 'object' ? stringValue(entry.map.get('operationId')?.value) : undefined;
  let slot: DeclarationSlot | undefined;
  if ((list === 'raw' || list === 'strict') && p.length === 2 && ctx.at === 'item') slot = { kind: 'operationId' };
  else if ((list === 'typed' || list === 'raw' || list === 'strict') && p.length === 3 && p[2] === 'operationId') slot = { kind: 'operationId' };
  else if ((list === 'typed' || list === 'raw') && p.length === 3 && p[2] === 'key') slot = { kind: 'key', operationId: entryId };
  else if (list === 'typed' && ((p.length === 3 && p[2] === 'request') || (p.length === 4 && p[2] === 'responses'))) slot = { kind: 'model', operationId: entryId };
  if (!slot) return [];
  return slotCompletions(view, result, slot, ctx.replace, (v) => token(doc, ctx, v, false), (v) => filterFor(ctx, v));
}

function declarationsPython(view: NavigationView, result: CheckResult, offset: number): CompletionEntry[] {
  const names = result.project.coverage?.python;
  if (!names) return [];
  return (
    view.source(view.file, (src) => {
      const at = src.tree.rootNode.descendantForIndex(Math.max(0, offset - 1));
      if (!at) return [];
      const str = ancestor(at, (n) => n.type === 'string');
      if (str) {
        const start = str.children.find((c) => c?.type === 'string_start');
        const end = str.children.find((c) => c?.type === 'string_end');
        if (!start || !end || offset < start.endIndex || offset > end.startIndex) return [];
        const slot = pythonStringSlot(str, names);
        if (!slot) return [];
        return slotCompletions(view, result, slot, { start: start.endIndex, end: end.startIndex }, (v) => v, (v) => v);
      }
      if (at.type === 'identifier' || at.type === '(' || at.type === ',' || at.type === '=') {
        const kw = ancestor(at, (n) => n.type === 'keyword_argument' || n.type === 'call');
        const name = kw?.type === 'keyword_argument' ? kw.childForFieldName('name')?.text : undefined;
        if (name !== 'request_model' && name !== 'response_models') return [];
        const range = at.type === 'identifier' ? { start: at.startIndex, end: at.endIndex } : { start: offset, end: offset };
        const call = ancestor(kw!, (n) => n.type === 'call');
        return slotCompletions(view, result, { kind: 'model', operationId: call ? stringArgument(call, 'operation_id') : undefined }, range, (v) => v, (v) => v);
      }
      return [];
    }) ?? []
  );
}

function ancestor(n: SyntaxNode, test: (n: SyntaxNode) => boolean): SyntaxNode | undefined {
  for (let c: SyntaxNode | null = n; c; c = c.parent) if (test(c)) return c;
  return undefined;
}

function stringArgument(call: SyntaxNode, name: string): string | undefined {
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) {
      const v = a.childForFieldName('value');
      const content = v?.namedChildren.find((c) => c?.type === 'string_content');
      return content?.text;
    }
  }
  return undefined;
}

/** What a string of the contracts module declares: an operationId, an SDK key, by where it sits. */
function pythonStringSlot(str: SyntaxNode, names: { contractsVariable: string; allVariable: string; rawVariable: string; strictVariable: string; contractClass: string }): DeclarationSlot | undefined {
  const parent = str.parent;
  if (!parent) return undefined;
  if (parent.type === 'keyword_argument') {
    const name = parent.childForFieldName('name')?.text;
    if (name === 'operation_id') return { kind: 'operationId' };
    if (name === 'operation_key') return { kind: 'key', operationId: parent.parent?.parent ? stringArgument(parent.parent.parent, 'operation_id') : undefined };
    return undefined;
  }
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const fn = call?.childForFieldName('function')?.text ?? '';
    if (fn.split('.').pop() === names.contractClass) {
      const index = parent.namedChildren.filter((c) => c && c.type !== 'keyword_argument' && c.type !== 'comment').findIndex((c) => c?.id === str.id);
      if (index === 0) return { kind: 'key' };
      if (index === 1) return { kind: 'operationId' };
      return undefined;
    }
  }
  if (parent.type === 'pair' && parent.childForFieldName('key')?.id === str.id) {
    const assigned = assignedName(parent);
    if (assigned === names.contractsVariable) return { kind: 'key' };
    return undefined;
  }
  if (parent.type === 'set' || parent.type === 'list' || parent.type === 'tuple') {
    const assigned = assignedName(parent);
    if (assigned === names.allVariable || assigned === names.rawVariable || assigned === names.strictVariable) return { kind: 'operationId' };
  }
  return undefined;
}

/** The variable a literal is (part of) the value of: `NAME = {...}`, `NAME: set[str] = frozenset({...})`. */
function assignedName(n: SyntaxNode): string | undefined {
  const a = ancestor(n, (x) => x.type === 'assignment' || x.type === 'function_definition' || x.type === 'class_definition');
  if (a?.type !== 'assignment') return undefined;
  const left = a.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

const stateOrder = { undeclared: '0', raw: '1', typed: '2' } as const;

function slotCompletions(view: NavigationView, result: CheckResult, slot: DeclarationSlot, replace: { start: number; end: number }, write: (v: string) => string, filter: (v: string) => string): CompletionEntry[] {
  const coverage = result.coverage!;
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  const add = (label: string, kind: CompletionKind, detail: string, sort: string, documentation?: string) => {
    if (seen.has(label)) return;
    seen.add(label);
    out.push({ label, kind, detail, documentation, insertText: write(label), replace, filterText: filter(label), sortText: `${sort}${label}` });
  };
  if (slot.kind === 'operationId') {
    for (const o of coverage.operations) {
      if (!o.operationId) continue;
      add(o.operationId, 'operation', `${o.method.toUpperCase()} ${o.path} · ${o.state}`, stateOrder[o.state]);
    }
    return out;
  }
  const op = slot.operationId ? coverage.operations.find((o) => o.operationId === slot.operationId) : undefined;
  if (slot.kind === 'key') {
    // Keys other declarations use (this one's own key does not make the suggestion change).
    const taken = new Set(coverage.declarations.typed.filter((d) => d.operationId !== slot.operationId).map((d) => d.key).filter((k): k is string => !!k));
    if (op) add(suggestKey(op, taken), 'key', `suggested for ${op.operationId}`, '0');
    for (const c of result.parity?.calls ?? []) {
      if (!c.call.key) continue;
      const target = c.operation;
      add(c.call.key, 'key', target ? `SDK call → ${target.method.toUpperCase()} ${target.path}${target.operationId ? ` · ${target.operationId}` : ''}` : 'SDK call', target && op && target.operationId === op.operationId ? '0' : '1');
    }
    for (const d of coverage.declarations.typed) if (d.key) add(d.key, 'key', `declared for ${d.operationId ?? '?'}`, '2');
    return out;
  }
  // Models: the ones the spec documents for this operation first, then every known model.
  if (op?.documented.request) add(op.documented.request, 'model', `request body of ${op.operationId}`, '0');
  for (const r of op?.documented.responses ?? []) if (r.model) add(r.model, 'model', `${r.status} response of ${op!.operationId}`, '0');
  for (const m of coverage.models ?? []) add(m, 'model', coverage.modelsFrom === 'generate' ? 'generated model' : coverage.modelsFrom === 'imports' ? 'imported model' : 'model', '1');
  for (const spec of view.specsOf(result)) {
    const root = spec.graph.documents.get(spec.root)?.root;
    const components = root?.kind === 'object' ? root.map.get('components')?.value : undefined;
    const schemas = components?.kind === 'object' ? components.map.get('schemas')?.value : undefined;
    if (schemas?.kind === 'object') for (const p of schemas.properties) add(className(p.key), 'model', 'spec schema', '2');
  }
  return out;
}
