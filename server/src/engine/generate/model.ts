/**
 * From an OpenAPI document to a target-neutral model of Python types: named classes, enums and
 * aliases, each field with its wire name, Python name, type, required/nullable, constraints,
 * default and description, and each operation with its request and response types. Every target
 * prints this model; the type mapping (and every lossy mapping, reported at its spec location) is
 * decided once, here.
 */
import * as path from 'node:path';
import type { AstNode, ObjectNode } from '../parse/ast';
import { stringValue, toValue } from '../parse/ast';
import type { Span } from '../findings';
import type { SpecGraph } from '../spec/graph';
import type { Operation, OperationIndex } from '../spec/operations';
import { decodeFragment, parsePointer, resolvePointer } from '../spec/pointer';
import { className, fieldName, NameScope, pascal } from './names';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Constraints {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  /** Where the constraints were written (for findings about the ones a target cannot keep). */
  at?: Span;
}

export type Format = 'datetime' | 'date' | 'time' | 'uuid' | 'duration' | 'binary';

export type TypeRef =
  | { k: 'any' }
  | { k: 'none' }
  | { k: 'prim'; t: 'str' | 'int' | 'float' | 'bool'; c?: Constraints }
  | { k: 'fmt'; t: Format }
  | { k: 'lit'; values: (string | number | boolean)[] }
  | { k: 'list'; item: TypeRef; c?: Constraints }
  | { k: 'dict'; value: TypeRef }
  | { k: 'ref'; decl: Decl }
  | { k: 'union'; items: TypeRef[]; discriminator?: string };

export interface FieldDecl {
  wire: string;
  py: string;
  type: TypeRef;
  required: boolean;
  default?: { value: Json };
  description?: string;
  deprecated: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  span: Span;
}

export interface ClassDecl {
  kind: 'class';
  name: string;
  description?: string;
  deprecated: boolean;
  base?: ClassDecl;
  fields: FieldDecl[];
  /** additionalProperties: allow (absent or true), forbid (false), or a schema for the extra values. */
  extra: 'allow' | 'forbid' | TypeRef;
  span: Span;
  /** Discriminator tags this class answers to, by discriminator property. */
  tags: Map<string, (string | number | boolean)[]>;
  /** The request variant (without readOnly fields) when the class has readOnly/writeOnly fields. */
  requestOf?: ClassDecl;
  /** References to this class accept null too (3.0 `nullable`, 3.1 `type: [object, "null"]`). */
  nullable?: boolean;
}

export interface EnumDecl {
  kind: 'enum';
  name: string;
  description?: string;
  values: (string | number | boolean)[];
  span: Span;
  /** The enum lists null: references to it accept null too. */
  nullable?: boolean;
}

export interface AliasDecl {
  kind: 'alias';
  name: string;
  description?: string;
  type: TypeRef;
  span: Span;
}

export type Decl = ClassDecl | EnumDecl | AliasDecl;

export interface OperationModels {
  operationId: string;
  method: string;
  path: string;
  request?: TypeRef;
  responses: { status: string; type?: TypeRef }[];
  /** Path, query, header and cookie parameters; only when the builder was asked for them (the TypeScript client). */
  parameters?: ParameterModel[];
}

/** One parameter of an operation (operation-level ones override path-level ones of the same name and location). */
export interface ParameterModel {
  name: string;
  in: string;
  required: boolean;
  type: TypeRef;
  description?: string;
  deprecated: boolean;
  /** `style` and `explode` as written (absent: the defaults of the location). */
  style?: string;
  explode?: boolean;
  /** The media type when the parameter is described by `content` instead of `schema`. */
  content?: string;
  span: Span;
}

export interface ModelOptions {
  /**
   * Also type every operation's parameters. Their inline schemas are declared after everything
   * else, so the names the Python targets see do not change; only the TypeScript client asks.
   */
  parameters?: boolean;
}

/** A place where the spec says more than the models can express; each becomes a finding. */
export interface LossyNote {
  span: Span;
  message: string;
  /** The targets that lose it; all when absent. */
  targets?: string[];
}

export interface ModelSet {
  decls: Decl[];
  operations: OperationModels[];
  lossy: LossyNote[];
}

const jsonMedia = (m: string) => /^application\/(.+\+)?json\b/i.test(m) || m === '*/*';

interface Pending {
  decl: Decl;
  file: string;
  node: AstNode;
}

/** Builds the model of one spec. Never throws on odd input: what cannot be typed becomes `Any` and a note. */
export class ModelBuilder {
  private readonly byNode = new Map<AstNode, Decl>();
  private readonly names = new NameScope();
  private readonly decls: Decl[] = [];
  private readonly lossy: LossyNote[] = [];
  private readonly lossySeen = new Set<string>();
  private readonly queue: Pending[] = [];
  private readonly pending = new Map<Decl, Pending>();
  private readonly defining = new Set<AstNode>();
  private readonly sources = new Map<OperationModels, Operation>();

  constructor(
    private readonly graph: SpecGraph,
    private readonly index: OperationIndex,
    private readonly options: ModelOptions = {},
  ) {}

  build(): ModelSet {
    const root = this.graph.documents.get(this.graph.root)?.root;
    const schemas = child(child(root, 'components'), 'schemas') ?? child(root, 'definitions');
    const entries = schemas?.kind === 'object' ? [...schemas.properties].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) : [];
    // Component names are claimed first, in sorted order, so that they never depend on what
    // inline schema happened to be seen first.
    for (const p of entries) this.declare(p.value, this.graph.root, className(p.key));
    this.drain();
    const operations = this.operations();
    this.drain();
    if (this.options.parameters) {
      this.parameters(operations);
      this.drain();
    }
    return { decls: this.decls, operations, lossy: this.lossy };
  }

  private drain(): void {
    for (let i = 0; i < this.queue.length; i++) {
      const next = this.queue[i];
      if (!this.pending.has(next.decl)) continue;
      this.pending.delete(next.decl);
      this.define(next);
    }
    this.queue.length = 0;
  }

  private span(file: string, node: { start: number; end: number }): Span {
    return { file, start: node.start, end: node.end };
  }

  private keySpan(file: string, node: AstNode, key: string): Span {
    const p = node.kind === 'object' ? node.map.get(key) : undefined;
    return p ? { file, start: p.keyStart, end: p.keyEnd } : this.span(file, node);
  }

  note(span: Span, message: string, targets?: string[]): void {
    const key = `${span.file}|${span.start}|${message}|${targets?.join(',') ?? ''}`;
    if (this.lossySeen.has(key)) return;
    this.lossySeen.add(key);
    this.lossy.push({ span, message, ...(targets ? { targets } : {}) });
  }

  /** Reserves a declaration for a schema node; its content is worked out later (recursion-safe). */
  private declare(node: AstNode, file: string, base: string): Decl {
    const existing = this.byNode.get(node);
    if (existing) return existing;
    const resolved = this.graph.deref(file, node);
    const name = this.names.claim(base);
    const span = this.span(file, node);
    const decl: Decl = { kind: 'alias', name, type: { k: 'any' }, span };
    this.byNode.set(node, decl);
    this.decls.push(decl);
    if (resolved) {
      const p = { decl, file: resolved.file, node: resolved.node };
      this.queue.push(p);
      this.pending.set(decl, p);
    }
    else if (node.kind === 'object' && node.map.has('$ref')) {
      // Unresolved: ref.unresolved already reports it; the alias stays Any.
    }
    return decl;
  }

  /** Fills in a reserved declaration from its schema. */
  private define({ decl, file, node }: Pending): void {
    if (node.kind !== 'object') {
      if (node.kind === 'scalar' && node.value === false) this.note(this.span(file, node), 'The schema `false` (no value is valid) has no Python type; it became `Any`.');
      return;
    }
    this.defining.add(node);
    const shape = this.shapeOf(file, node, decl.name);
    this.defining.delete(node);
    Object.assign(decl, shape);
    if (shape.kind === 'class' || shape.kind === 'enum') delete (decl as Partial<AliasDecl>).type;
  }

  /** What a named schema becomes: a class, an enum, or an alias of a type expression. */
  private shapeOf(file: string, node: ObjectNode, name: string): Omit<ClassDecl, 'name'> | Omit<EnumDecl, 'name'> | Omit<AliasDecl, 'name'> {
    const description = stringValue(child(node, 'description'));
    const span = this.span(file, node);
    const enumNode = child(node, 'enum');
    if (enumNode?.kind === 'array' && !node.map.has('properties')) {
      const values = this.enumValues(file, node);
      if (values && values.length > 0 && values.every((v) => typeof v !== 'number' || Number.isInteger(v))) {
        const withNull = (toValue(enumNode) as unknown[]).includes(null) || typeList(node).includes('null') || bool(child(node, 'nullable'));
        return { kind: 'enum', values, description, span, ...(withNull ? { nullable: true } : {}) };
      }
    }
    if (this.isObjectSchema(node, file)) {
      const cls = this.classOf(file, node, name);
      if (cls) {
        if (bool(child(node, 'nullable')) || typeList(node).includes('null')) cls.nullable = true;
        return cls;
      }
    }
    const type = this.typeOf(file, node, name, true);
    return { kind: 'alias', type, description, span };
  }

  private enumValues(file: string, node: ObjectNode): (string | number | boolean)[] | undefined {
    const raw = toValue(child(node, 'enum')!) as unknown[];
    const out: (string | number | boolean)[] = [];
    for (const v of raw) {
      if (v === null) continue;
      if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
        if (!out.some((o) => o === v)) out.push(v);
      } else {
        this.note(this.keySpan(file, node, 'enum'), 'An enum value that is an object or an array cannot be a Python literal; the enum became `Any`.');
        return undefined;
      }
    }
    return out;
  }

  private isObjectSchema(node: ObjectNode, file: string): boolean {
    const types = typeList(node);
    if (node.map.has('properties')) return true;
    if (node.map.has('allOf') && !node.map.has('oneOf') && !node.map.has('anyOf')) {
      // allOf is a class when at least one part is an object schema; an intersection of
      // strings and numbers is not.
      const parts = child(node, 'allOf');
      if (parts?.kind === 'array') {
        for (const part of parts.items) {
          const r = part.kind === 'object' && part.map.has('$ref') ? this.refTarget(file, part) : { node: part };
          if (r?.node.kind === 'object' && this.isPlainObject(r.node)) return true;
        }
      }
      return false;
    }
    return types.includes('object') && types.filter((t) => t !== 'null').length === 1 && child(node, 'additionalProperties')?.kind === 'scalar' && (child(node, 'additionalProperties') as { value: unknown }).value === false;
  }

  /** An object schema (with properties or allOf) as a class, or undefined when it is not one after all. */
  private classOf(file: string, node: ObjectNode, name: string): Omit<ClassDecl, 'name'> | undefined {
    const span = this.span(file, node);
    const parts: { file: string; node: ObjectNode }[] = [];
    let base: ClassDecl | undefined;
    const deprecated = bool(child(node, 'deprecated'));
    const description = stringValue(child(node, 'description'));
    const allOf = child(node, 'allOf');
    if (allOf?.kind === 'array') {
      for (const item of allOf.items) {
        const isRef = item.kind === 'object' && item.map.has('$ref');
        const resolved = this.graph.deref(file, item);
        if (!resolved || resolved.node.kind !== 'object') continue;
        if (isRef && !base) {
          const decl = this.refDecl(file, item);
          const target = decl && this.ensureDefined(decl);
          if (target?.kind === 'class') {
            base = target;
            continue;
          }
        }
        if (isRef || this.isPlainObject(resolved.node)) {
          // Later $refs and inline parts are merged into the class (one base keeps the MRO simple).
          this.collectParts(resolved.file, resolved.node, parts, new Set());
          continue;
        }
        this.note(this.span(resolved.file, resolved.node), 'An `allOf` part that is not an object schema was dropped from the class.');
      }
    }
    parts.push({ file, node });
    const fields: FieldDecl[] = [];
    const required = new Set<string>();
    let extra: ClassDecl['extra'] = 'allow';
    const inherited = new Map<string, FieldDecl>();
    for (let b: ClassDecl | undefined = base; b; b = b.base) for (const f of b.fields) if (!inherited.has(f.wire)) inherited.set(f.wire, f);
    for (const part of parts) {
      const req = child(part.node, 'required');
      if (req?.kind === 'array') for (const r of req.items) if (r.kind === 'scalar' && typeof r.value === 'string') required.add(r.value);
      const ap = child(part.node, 'additionalProperties');
      if (ap?.kind === 'scalar' && ap.value === false) extra = 'forbid';
      else if (ap?.kind === 'object' && ap.properties.length > 0) extra = this.typeOf(part.file, ap, `${name}Value`);
      for (const k of ['patternProperties', 'unevaluatedProperties', 'propertyNames', 'dependentRequired', 'dependentSchemas', 'minProperties', 'maxProperties', 'not', 'if']) {
        if (part.node.map.has(k)) this.note(this.keySpan(part.file, part.node, k), `\`${k}\` is not expressed by the generated class (it is not validated).`);
      }
    }
    const scope = new NameScope();
    for (const f of inherited.values()) scope.claim(f.py);
    const seen = new Set<string>();
    for (const part of parts) {
      const props = child(part.node, 'properties');
      if (props?.kind !== 'object') continue;
      for (const p of props.properties) {
        if (seen.has(p.key)) {
          const idx = fields.findIndex((f) => f.wire === p.key);
          if (idx >= 0) fields.splice(idx, 1);
        }
        seen.add(p.key);
        const base = inherited.get(p.key);
        const f = this.fieldOf(part.file, p.value, p.key, name, required.has(p.key), { start: p.keyStart, end: p.keyEnd }, base ? base.py : scope.claim(fieldName(p.key)));
        fields.push(f);
      }
    }
    // A required list can make an inherited optional field required: redeclare it in the subclass.
    for (const r of required) {
      if (seen.has(r)) continue;
      const b = inherited.get(r);
      if (b && !b.required) fields.push({ ...b, required: true, default: undefined });
    }
    return { kind: 'class', description, deprecated, base, fields, extra, span, tags: new Map() };
  }

  private isPlainObject(node: ObjectNode): boolean {
    return node.map.has('properties') || node.map.has('required') || node.map.has('allOf') || typeList(node).includes('object') || node.map.has('additionalProperties');
  }

  /** Flattens an object schema (and its own allOf) into parts whose properties are merged. */
  private collectParts(file: string, node: ObjectNode, out: { file: string; node: ObjectNode }[], seen: Set<AstNode>): void {
    if (seen.has(node)) return;
    seen.add(node);
    const allOf = child(node, 'allOf');
    if (allOf?.kind === 'array') {
      for (const item of allOf.items) {
        const r = this.graph.deref(file, item);
        if (r && r.node.kind === 'object') this.collectParts(r.file, r.node, out, seen);
      }
    }
    out.push({ file, node });
  }

  private fieldOf(file: string, schema: AstNode, wire: string, parent: string, required: boolean, keySpan: { start: number; end: number }, py: string): FieldDecl {
    const resolved = this.graph.deref(file, schema);
    const own = schema.kind === 'object' ? schema : undefined;
    const target = resolved?.node.kind === 'object' ? resolved.node : undefined;
    const pick = (k: string) => (own && own.map.has(k) ? own.map.get(k)!.value : target?.map.get(k)?.value);
    const type = this.typeOf(file, schema, parent + pascal(wire));
    const def = pick('default');
    const f: FieldDecl = {
      wire,
      py,
      type,
      required,
      description: stringValue(own?.map.get('description')?.value) ?? (own?.map.has('$ref') ? undefined : stringValue(target?.map.get('description')?.value)),
      deprecated: bool(pick('deprecated')),
      readOnly: bool(pick('readOnly')),
      writeOnly: bool(pick('writeOnly')),
      span: { file, ...keySpan },
    };
    if (def !== undefined && !required) f.default = { value: toValue(def) as Json };
    return f;
  }

  private refDecl(file: string, node: AstNode): Decl | undefined {
    const target = this.refTarget(file, node);
    if (!target) return undefined;
    const existing = this.byNode.get(target.node);
    if (existing) return existing;
    // A $ref to something that is not a component schema: name it after its pointer or file.
    const segments = parsePointer(target.pointer);
    const last = segments[segments.length - 1] ?? path.basename(target.file).replace(/\.(ya?ml|json)$/i, '');
    return this.declare(target.node, target.file, className(last));
  }

  /**
   * Where a `$ref` points. The graph resolves every reference it collected; a local reference in
   * a place the graph reads as data (a response keyed `default`) is resolved here directly.
   */
  private refTarget(file: string, node: AstNode): { file: string; node: AstNode; pointer: string } | undefined {
    const site = this.graph.refAt(node);
    if (site) return site.target;
    const ref = stringValue(child(node, '$ref'));
    const root = this.graph.documents.get(file)?.root;
    if (!ref?.startsWith('#') || !root) return undefined;
    const pointer = decodeFragment(ref.slice(1));
    const r = resolvePointer(root, parsePointer(pointer));
    return r.ok ? { file, node: r.node, pointer } : undefined;
  }

  private ensureDefined(decl: Decl): Decl {
    const p = this.pending.get(decl);
    if (p) {
      this.pending.delete(decl);
      this.define(p);
    }
    return decl;
  }

  /**
   * The type of a schema used somewhere (a property, an item, an operation body). `hint` names
   * whatever has to become a declaration (an inline object or enum): `Task` + `Status`.
   */
  typeOf(file: string, node: AstNode, hint: string, isDecl = false): TypeRef {
    if (node.kind === 'scalar') {
      if (node.value === false) this.note(this.span(file, node), 'The schema `false` (no value is valid) has no Python type; it became `Any`.');
      return { k: 'any' };
    }
    if (node.kind !== 'object') return { k: 'any' };
    if (node.map.has('$ref')) {
      const decl = this.refDecl(file, node);
      if (!decl) return { k: 'any' }; // unresolved or remote: reported by the $ref checks
      const target = this.ensureDefined(decl);
      const t: TypeRef = { k: 'ref', decl };
      return bool(child(node, 'nullable')) || (target.kind !== 'alias' && target.nullable) ? nullable(t) : t;
    }
    // Inline object and enum schemas become declarations named after their parent.
    if (!isDecl) {
      const enumNode = child(node, 'enum');
      const types = typeList(node);
      if (enumNode?.kind === 'array' && !node.map.has('properties')) {
        const values = this.enumValues(file, node);
        if (!values) return { k: 'any' };
        const withNull = (toValue(enumNode) as unknown[]).includes(null) || types.includes('null') || bool(child(node, 'nullable'));
        if (values.length === 0) return { k: 'none' };
        if (values.some((v) => typeof v === 'number' && !Number.isInteger(v))) {
          this.note(this.keySpan(file, node, 'enum'), 'An enum of non-integer numbers cannot be a `Literal`; it became `float` and the allowed values are not checked.');
          return withNull ? nullable({ k: 'prim', t: 'float' }) : { k: 'prim', t: 'float' };
        }
        const decl = this.declare(node, file, hint);
        return withNull ? nullable({ k: 'ref', decl }) : { k: 'ref', decl };
      }
      if (this.isObjectSchema(node, file)) {
        const decl = this.declare(node, file, hint);
        const t: TypeRef = { k: 'ref', decl };
        return types.includes('null') || bool(child(node, 'nullable')) ? nullable(t) : t;
      }
    }
    const isNullable = bool(child(node, 'nullable'));
    const t = this.structural(file, node, hint);
    return isNullable ? nullable(t) : t;
  }

  /** Types that need no declaration of their own: primitives, arrays, maps, unions, constants. */
  private structural(file: string, node: ObjectNode, hint: string): TypeRef {
    for (const k of ['not', 'if', 'patternProperties', 'contains', 'prefixItems', 'unevaluatedItems']) {
      if (node.map.has(k)) this.note(this.keySpan(file, node, k), `\`${k}\` has no Python type equivalent; it is not validated.`);
    }
    const constNode = child(node, 'const');
    if (constNode) {
      const v = toValue(constNode);
      if (v === null) return { k: 'none' };
      if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) return { k: 'lit', values: [v] };
      this.note(this.keySpan(file, node, 'const'), 'A `const` that is not a string, integer or boolean cannot be a `Literal`; it became `Any`.');
      return { k: 'any' };
    }
    const enumNode = child(node, 'enum');
    if (enumNode?.kind === 'array') {
      const values = this.enumValues(file, node);
      if (!values) return { k: 'any' };
      if (values.some((v) => typeof v === 'number' && !Number.isInteger(v))) {
        this.note(this.keySpan(file, node, 'enum'), 'An enum of non-integer numbers cannot be a `Literal`; it became `float` and the allowed values are not checked.');
        return { k: 'prim', t: 'float' };
      }
      const withNull = (toValue(enumNode) as unknown[]).includes(null);
      const lit: TypeRef = values.length ? { k: 'lit', values } : { k: 'none' };
      return withNull && values.length ? nullable(lit) : lit;
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const list = child(node, key);
      if (list?.kind === 'array' && list.items.length > 0) return this.unionOf(file, node, list.items, hint, key);
    }
    const allOf = child(node, 'allOf');
    if (allOf?.kind === 'array' && allOf.items.length > 0) {
      if (allOf.items.length === 1) return this.typeOf(file, allOf.items[0], hint);
      // Several non-object parts: intersections have no Python type.
      this.note(this.keySpan(file, node, 'allOf'), 'An `allOf` of non-object schemas has no Python type; it became `Any`.');
      return { k: 'any' };
    }
    const types = typeList(node);
    const concrete = types.filter((t) => t !== 'null');
    const withNull = types.includes('null');
    if (concrete.length === 0 && types.includes('null')) return { k: 'none' };
    if (concrete.length > 1) {
      const items = concrete.map((t) => this.primitive(file, node, t, hint));
      if (withNull) items.push({ k: 'none' });
      return flattenUnion(items);
    }
    if (concrete.length === 0) {
      if (node.map.has('items')) return this.primitive(file, node, 'array', hint);
      if (node.map.has('additionalProperties')) return this.primitive(file, node, 'object', hint);
      return { k: 'any' };
    }
    const t = this.primitive(file, node, concrete[0], hint);
    return withNull ? nullable(t) : t;
  }

  private primitive(file: string, node: ObjectNode, type: string, hint: string): TypeRef {
    const num = (k: string) => {
      const v = child(node, k);
      return v?.kind === 'scalar' && typeof v.value === 'number' ? v.value : undefined;
    };
    const at = this.span(file, node);
    switch (type) {
      case 'string': {
        const format = stringValue(child(node, 'format'));
        const fmt = formatOf(format);
        if (fmt) return { k: 'fmt', t: fmt };
        const c: Constraints = { minLength: num('minLength'), maxLength: num('maxLength'), pattern: stringValue(child(node, 'pattern')), at };
        return { k: 'prim', t: 'str', c: clean(c) };
      }
      case 'integer':
      case 'number': {
        let exclusiveMinimum = num('exclusiveMinimum');
        let exclusiveMaximum = num('exclusiveMaximum');
        let minimum = num('minimum');
        let maximum = num('maximum');
        // OpenAPI 3.0: exclusiveMinimum is a boolean that turns minimum exclusive.
        if (bool(child(node, 'exclusiveMinimum')) && minimum !== undefined) [exclusiveMinimum, minimum] = [minimum, undefined];
        if (bool(child(node, 'exclusiveMaximum')) && maximum !== undefined) [exclusiveMaximum, maximum] = [maximum, undefined];
        const c: Constraints = { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf: num('multipleOf'), at };
        return { k: 'prim', t: type === 'integer' ? 'int' : 'float', c: clean(c) };
      }
      case 'boolean':
        return { k: 'prim', t: 'bool' };
      case 'null':
        return { k: 'none' };
      case 'array': {
        const items = child(node, 'items');
        const item = items ? this.typeOf(file, items, hint + 'Item') : { k: 'any' as const };
        const c: Constraints = { minItems: num('minItems'), maxItems: num('maxItems'), uniqueItems: bool(child(node, 'uniqueItems')) || undefined, at };
        return { k: 'list', item, c: clean(c) };
      }
      case 'object': {
        const ap = child(node, 'additionalProperties');
        if (ap?.kind === 'object') return { k: 'dict', value: this.typeOf(file, ap, hint + 'Value') };
        return { k: 'dict', value: { k: 'any' } };
      }
      default:
        this.note(this.keySpan(file, node, 'type'), `\`type: ${type}\` is not a JSON Schema type; it became \`Any\`.`);
        return { k: 'any' };
    }
  }

  private unionOf(file: string, node: ObjectNode, variants: AstNode[], hint: string, key: 'oneOf' | 'anyOf'): TypeRef {
    const disc = child(node, 'discriminator');
    const propertyName = stringValue(child(disc, 'propertyName'));
    const mapping = child(disc, 'mapping');
    const items: TypeRef[] = [];
    const classes: { decl: ClassDecl | undefined; variant: AstNode }[] = [];
    variants.forEach((v, i) => {
      let t: TypeRef;
      const isRef = v.kind === 'object' && v.map.has('$ref');
      if (!isRef && v.kind === 'object' && this.isObjectSchema(v, file)) {
        const title = stringValue(child(v, 'title'));
        const tag = propertyName ? constOf(child(child(v, 'properties'), propertyName)) : undefined;
        const name = title ? className(title) : tag !== undefined ? hint + pascal(String(tag)) : `${hint}Option${i + 1}`;
        t = { k: 'ref', decl: this.declare(v, file, name) };
      } else t = this.typeOf(file, v, `${hint}Option${i + 1}`);
      items.push(t);
      if (propertyName) {
        const decl = t.k === 'ref' ? this.ensureDefined(t.decl) : undefined;
        classes.push({ decl: decl?.kind === 'class' ? decl : undefined, variant: v });
      }
    });
    if (propertyName) {
      const ok = classes.every((c) => c.decl) && this.applyDiscriminator(propertyName, mapping, classes as { decl: ClassDecl; variant: AstNode }[]);
      if (ok) {
        const union = flattenUnion(items);
        if (union.k === 'union') return { ...union, discriminator: propertyName };
      } else {
        this.note(this.keySpan(file, node, 'discriminator'), `The discriminator "${propertyName}" could not be applied (every variant must be an object schema with that property); the ${key} is validated as a plain union.`);
      }
    }
    return flattenUnion(items);
  }

  /** Gives each variant class the tag values that select it; false when a variant lacks the property. */
  private applyDiscriminator(prop: string, mapping: AstNode | undefined, classes: { decl: ClassDecl; variant: AstNode }[]): boolean {
    const tags = new Map<ClassDecl, (string | number | boolean)[]>();
    if (mapping?.kind === 'object') {
      for (const p of mapping.properties) {
        const ref = stringValue(p.value);
        if (!ref) continue;
        const target = classes.find((c) => {
          const site = this.graph.refAt(c.variant);
          if (!site) return false;
          return site.ref === ref || ref === site.ref.split('/').pop() || (!ref.includes('/') && site.ref.endsWith('/' + ref));
        });
        if (target) tags.set(target.decl, [...(tags.get(target.decl) ?? []), p.key]);
      }
    }
    for (const c of classes) {
      if (tags.has(c.decl)) continue;
      const own = this.fieldIn(c.decl, prop);
      const fromConst = own?.type.k === 'lit' ? own.type.values : own?.type.k === 'ref' && own.type.decl.kind === 'enum' ? own.type.decl.values : undefined;
      if (fromConst) tags.set(c.decl, fromConst);
      else {
        const site = this.graph.refAt(c.variant);
        if (!site) return false;
        tags.set(c.decl, [site.ref.split('/').pop()!]);
      }
    }
    for (const c of classes) if (!this.fieldIn(c.decl, prop)) return false;
    for (const [decl, values] of tags) {
      const prev = decl.tags.get(prop) ?? [];
      decl.tags.set(prop, [...prev, ...values.filter((v) => !prev.includes(v))]);
    }
    return true;
  }

  private fieldIn(decl: ClassDecl, wire: string): FieldDecl | undefined {
    for (let d: ClassDecl | undefined = decl; d; d = d.base) {
      const f = d.fields.find((x) => x.wire === wire);
      if (f) return f;
    }
    return undefined;
  }

  private operations(): OperationModels[] {
    const taken = new Set<string>();
    for (const op of this.index.operations) if (op.operationId) taken.add(op.operationId);
    const ops = this.index.operations
      .map((op) => ({ op, id: op.operationId ?? suggestId(op, taken) }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.op.path < b.op.path ? -1 : a.op.path > b.op.path ? 1 : a.op.method < b.op.method ? -1 : 1));
    const out: OperationModels[] = [];
    const seen = new Set<string>();
    for (const { op, id } of ops) {
      if (seen.has(id)) continue; // duplicate operationIds: the first one is mapped; spec.duplicate-operation-id reports the rest
      seen.add(id);
      const base = className(id);
      const result: OperationModels = { operationId: id, method: op.method.toUpperCase(), path: op.path, responses: [] };
      const body = pickMedia(op.requestBody?.media ?? []);
      if (body?.schema) result.request = this.requestType(this.typeOf(body.schema.file, body.schema.node, `${base}Request`));
      const statuses = op.responses.map((r) => r.status);
      const firstSuccess = statuses.filter((s) => /^2/.test(s)).sort()[0];
      for (const r of [...op.responses].sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))) {
        const media = pickMedia(r.media);
        const suffix = r.status === firstSuccess ? '' : pascal(r.status === 'default' ? 'Default' : r.status);
        const type = media?.schema ? this.typeOf(media.schema.file, media.schema.node, `${base}Response${suffix}`) : undefined;
        result.responses.push({ status: r.status, type });
      }
      out.push(result);
      this.sources.set(result, op);
    }
    return out;
  }

  /** Types the parameters of every operation (after all other declarations have their names). */
  private parameters(operations: OperationModels[]): void {
    const items = new Map<Operation, { file: string; node: ObjectNode }>();
    for (const pi of this.index.pathItems) for (const op of pi.operations) items.set(op, { file: pi.file, node: pi.node });
    for (const om of operations) {
      const op = this.sources.get(om);
      if (!op) continue;
      const item = items.get(op);
      const own = this.parameterNodes(op.file, child(op.node, 'parameters'));
      const inherited = item ? this.parameterNodes(item.file, child(item.node, 'parameters')) : [];
      const merged = [...inherited.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const base = className(om.operationId);
      om.parameters = merged.map((p) => {
        const node = p.node;
        const schemaNode = child(node, 'schema');
        const content = child(node, 'content');
        const media = content?.kind === 'object' ? content.properties.find((m) => jsonMedia(m.key)) ?? content.properties[0] : undefined;
        const mediaSchema = child(media?.value, 'schema');
        // Swagger 2.0 parameters carry their type themselves.
        const schema = schemaNode ?? mediaSchema ?? (node.map.has('type') ? node : undefined);
        const hint = base + pascal(p.name);
        const type = schema ? this.typeOf(p.file, schema, hint) : { k: 'any' as const };
        const style = stringValue(child(node, 'style'));
        const explode = child(node, 'explode');
        return {
          name: p.name,
          in: p.in,
          required: p.in === 'path' || bool(child(node, 'required')),
          type,
          description: stringValue(child(node, 'description')),
          deprecated: bool(child(node, 'deprecated')),
          ...(style !== undefined ? { style } : {}),
          ...(explode?.kind === 'scalar' && typeof explode.value === 'boolean' ? { explode: explode.value } : {}),
          ...(media ? { content: media.key } : {}),
          span: p.span,
        };
      });
    }
  }

  private parameterNodes(file: string, list: AstNode | undefined): { name: string; in: string; file: string; node: ObjectNode; span: Span }[] {
    if (list?.kind !== 'array') return [];
    const out: { name: string; in: string; file: string; node: ObjectNode; span: Span }[] = [];
    for (const item of list.items) {
      const r = this.graph.deref(file, item);
      if (!r || r.node.kind !== 'object') continue;
      const name = stringValue(child(r.node, 'name'));
      const where = stringValue(child(r.node, 'in'));
      if (name === undefined || where === undefined) continue;
      out.push({ name, in: where, file: r.file, node: r.node, span: this.span(file, item) });
    }
    return out;
  }

  /** Request bodies never carry readOnly fields: classes that have them get a request variant. */
  private requestType(t: TypeRef): TypeRef {
    this.drain();
    const memo = new Map<TypeRef, TypeRef>();
    const map = (x: TypeRef): TypeRef => {
      if (memo.has(x)) return memo.get(x)!;
      switch (x.k) {
        case 'ref':
          if (x.decl.kind === 'class' && this.hasReadOnly(x.decl, new Set())) return { k: 'ref', decl: this.requestVariant(x.decl) };
          return x;
        case 'list':
          return { ...x, item: map(x.item) };
        case 'dict':
          return { ...x, value: map(x.value) };
        case 'union':
          return { ...x, items: x.items.map(map) };
        default:
          return x;
      }
    };
    return map(t);
  }

  private hasReadOnly(decl: ClassDecl, seen: Set<ClassDecl>): boolean {
    if (seen.has(decl)) return false;
    seen.add(decl);
    for (let d: ClassDecl | undefined = decl; d; d = d.base) {
      for (const f of d.fields) {
        if (f.readOnly) return true;
        if (refsClassWith(f.type, (c) => this.hasReadOnly(c, seen))) return true;
      }
    }
    return false;
  }

  private requestVariant(decl: ClassDecl): ClassDecl {
    if (decl.requestOf) return decl.requestOf;
    const variant: ClassDecl = { ...decl, name: this.names.claim(`${decl.name}Request`), base: undefined, fields: [], tags: decl.tags };
    decl.requestOf = variant;
    this.decls.push(variant);
    const all: FieldDecl[] = [];
    const chain: ClassDecl[] = [];
    for (let d: ClassDecl | undefined = decl; d; d = d.base) chain.unshift(d);
    for (const d of chain) for (const f of d.fields) {
      const i = all.findIndex((x) => x.wire === f.wire);
      if (i >= 0) all.splice(i, 1);
      all.push(f);
    }
    variant.fields = all.filter((f) => !f.readOnly).map((f) => ({ ...f, type: this.requestType(f.type) }));
    variant.description = decl.description ? `${decl.description}\n\nRequest variant: without the read-only fields.` : 'Request variant: without the read-only fields.';
    return variant;
  }
}

function refsClassWith(t: TypeRef, pred: (c: ClassDecl) => boolean): boolean {
  switch (t.k) {
    case 'ref':
      return t.decl.kind === 'class' ? pred(t.decl) : t.decl.kind === 'alias' ? refsClassWith(t.decl.type, pred) : false;
    case 'list':
      return refsClassWith(t.item, pred);
    case 'dict':
      return refsClassWith(t.value, pred);
    case 'union':
      return t.items.some((i) => refsClassWith(i, pred));
    default:
      return false;
  }
}

function suggestId(op: Operation, taken: Set<string>): string {
  const parts = op.path.split('/').filter(Boolean).map((s) => s.replace(/[{}]/g, ''));
  const base = op.method + parts.map((p) => pascal(p)).join('');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
  taken.add(id);
  return id;
}

function pickMedia<T extends { mediaType: string; schema?: unknown }>(media: T[]): T | undefined {
  return media.find((m) => jsonMedia(m.mediaType) && m.schema) ?? media.find((m) => m.schema);
}

function child(node: AstNode | undefined, key: string): AstNode | undefined {
  return node?.kind === 'object' ? node.map.get(key)?.value : undefined;
}

function bool(node: AstNode | undefined): boolean {
  return node?.kind === 'scalar' && node.value === true;
}

function constOf(node: AstNode | undefined): string | number | boolean | undefined {
  const c = child(node, 'const');
  if (c?.kind === 'scalar' && c.value !== null) return c.value;
  const e = child(node, 'enum');
  if (e?.kind === 'array' && e.items.length === 1 && e.items[0].kind === 'scalar' && e.items[0].value !== null) return e.items[0].value;
  return undefined;
}

function typeList(node: ObjectNode): string[] {
  const t = child(node, 'type');
  if (t?.kind === 'scalar' && typeof t.value === 'string') return [t.value];
  if (t?.kind === 'array') return t.items.flatMap((i) => (i.kind === 'scalar' && typeof i.value === 'string' ? [i.value] : []));
  return [];
}

function formatOf(format: string | undefined): Format | undefined {
  switch (format) {
    case 'date-time':
      return 'datetime';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'uuid':
      return 'uuid';
    case 'duration':
      return 'duration';
    case 'binary':
      return 'binary';
    default:
      return undefined;
  }
}

const constraintKeys = ['minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems'] as const;

/** The constraints that are set (most schemas have none: then undefined). */
function clean(c: Constraints): Constraints | undefined {
  let out: Constraints | undefined;
  for (const k of constraintKeys) {
    const v = c[k];
    if (v === undefined) continue;
    out ??= { at: c.at };
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function nullable(t: TypeRef): TypeRef {
  return flattenUnion([t, { k: 'none' }]);
}

/** Flattens nested unions, drops duplicates, keeps `None` last and `Any` absorbing. */
export function flattenUnion(items: TypeRef[]): TypeRef {
  const flat: TypeRef[] = [];
  let none = false;
  const push = (t: TypeRef) => {
    if (t.k === 'union' && !t.discriminator) t.items.forEach(push);
    else if (t.k === 'none') none = true;
    else if (!flat.some((f) => sameType(f, t))) flat.push(t);
  };
  items.forEach(push);
  if (flat.some((f) => f.k === 'any')) return { k: 'any' };
  if (none) flat.push({ k: 'none' });
  if (flat.length === 1) return flat[0];
  if (flat.length === 0) return { k: 'none' };
  return { k: 'union', items: flat };
}

function sameType(a: TypeRef, b: TypeRef): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'ref') return a.decl === (b as typeof a).decl;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function strip(t: TypeRef): unknown {
  return JSON.parse(JSON.stringify(t, (k, v) => (k === 'at' ? undefined : k === 'decl' ? (v as Decl).name : v)));
}

export function isNullable(t: TypeRef): boolean {
  return t.k === 'none' || (t.k === 'union' && t.items.some((i) => i.k === 'none'));
}

export function withoutNone(t: TypeRef): TypeRef {
  if (t.k !== 'union') return t;
  const items = t.items.filter((i) => i.k !== 'none');
  if (items.length === 1) return items[0];
  return { ...t, items };
}
