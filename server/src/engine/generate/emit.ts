/**
 * Prints the model for one target. The four targets share the type mapping (model.ts) and differ
 * in syntax and in how much they can enforce:
 *
 * | field                  | pydantic-v2 / v1                         | dataclasses            | typeddict                |
 * | required               | `x: T`                                   | `x: T`                 | `x: T`                   |
 * | required, nullable     | `x: T \| None` (v1: `= Field(...)`)      | `x: T \| None`         | `x: T \| None`           |
 * | optional               | `x: T \| None = None`, null rejected     | `x: T \| Unset = UNSET`| `x: NotRequired[T]`      |
 * | optional, nullable     | `x: T \| None = None`                    | `x: T \| None \| Unset`| `x: NotRequired[T\|None]`|
 */
import type { Span } from '../findings';
import { assignment, atom, call, classLine, dict, expressionStatement, flat, importFrom, kw, list, sub, union, type Expr } from './pyformat';
import { isIdentifier, memberName, moduleNames, NameScope } from './names';
import { isNullable, withoutNone, type ClassDecl, type Constraints, type Decl, type FieldDecl, type Json, type ModelSet, type TypeRef } from './model';

export const targets = ['pydantic-v2', 'pydantic-v1', 'dataclasses', 'typeddict'] as const;
export type Target = (typeof targets)[number];

export interface TargetOptions {
  /** Enums as `Literal[...]` aliases (default) or as `Enum` classes (not for typeddict). */
  enums: 'literal' | 'enum';
}

export type NoteSink = (span: Span, message: string) => void;

const isPydantic = (t: Target) => t === 'pydantic-v2' || t === 'pydantic-v1';

/** A Python string literal the way black normalizes it: double quotes unless single quotes need fewer escapes. */
const plainString = /^[^"'\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]*$/;

export function pyString(s: string): string {
  if (plainString.test(s)) return `"${s}"`;
  const dq = (s.match(/"/g) ?? []).length;
  const sq = (s.match(/'/g) ?? []).length;
  const quote = sq < dq ? "'" : '"';
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return quote + out + quote;
}

/** A docstring as black leaves it (indentation fixed, trailing space stripped, quotes padded). */
export function docstring(text: string, depth: number): string {
  const indent = '    '.repeat(depth);
  let body = text.replace(/\r\n?/g, '\n');
  let escaped = '';
  for (const ch of body) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') escaped += '\\\\';
    else if (ch === '\n' || ch === '\t') escaped += ch;
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) escaped += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) escaped += '\\u' + c.toString(16).padStart(4, '0');
    else escaped += ch;
  }
  body = escaped.replace(/"""/g, '""\\"');
  const lines = body.split('\n').map((l) => {
    const lead = /^[ \t]*/.exec(l)![0];
    return expandTabs(lead) + l.slice(lead.length);
  });
  let min = Infinity;
  for (const l of lines.slice(1)) if (l.trim()) min = Math.min(min, l.length - l.trimStart().length);
  const trimmed = [lines[0].trim()];
  for (const l of lines.slice(1)) {
    const s = min === Infinity ? '' : l.slice(min).trimEnd();
    trimmed.push(s ? indent + s : '');
  }
  while (trimmed.length > 1 && trimmed[trimmed.length - 1] === '') trimmed.pop();
  let doc = trimmed.join('\n').trim() === '' ? '' : trimmed.join('\n');
  if (doc.startsWith('"')) doc = ' ' + doc;
  const padded = doc.endsWith('"') ? doc + ' ' : doc;
  if (doc === '') return `${indent}""" """`;
  const last = padded.split('\n');
  const lastLen = [...last[last.length - 1]].length;
  // Closing quotes on their own line need no padding (black drops it on its next pass).
  if (last.length > 1 && lastLen + 3 > 88) return `${indent}"""${doc}\n${indent}"""`;
  return `${indent}"""${padded}"""`;
}

function expandTabs(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}

function pyValue(v: Json): Expr {
  if (v === null) return atom('None');
  if (v === true) return atom('True');
  if (v === false) return atom('False');
  if (typeof v === 'number') return atom(Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : pyFloat(v));
  if (typeof v === 'string') return atom(pyString(v));
  if (Array.isArray(v)) return list(v.map(pyValue));
  return dict(Object.keys(v).map((k) => [atom(pyString(k)), pyValue(v[k])]));
}

function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : v < 0 ? 'float("-inf")' : 'float("nan")';
  const s = String(v);
  return /[.e]/.test(s) ? s.replace('e+', 'e') : s + '.0';
}

interface Imports {
  add(module: string, name: string): void;
}

/** One module being written: its imports and the names it must refer to. */
export class ModuleWriter implements Imports {
  private readonly imports = new Map<string, Set<string>>();
  add(module: string, name: string): void {
    let s = this.imports.get(module);
    if (!s) this.imports.set(module, (s = new Set()));
    s.add(name);
  }
  /** Every module and name imported so far (for another module that writes the same types). */
  entries(): [string, string[]][] {
    return [...this.imports].map(([m, names]) => [m, [...names]]);
  }

  importBlock(): string {
    const stdlib = [...this.imports.keys()].filter((m) => m !== 'pydantic' && !m.startsWith('.')).sort();
    const groups: string[][] = [];
    const std = stdlib.map((m) => importFrom(m, [...this.imports.get(m)!].sort(isortOrder)));
    if (std.length) groups.push(std);
    if (this.imports.has('pydantic')) groups.push([importFrom('pydantic', [...this.imports.get('pydantic')!].sort(isortOrder))]);
    const local = [...this.imports.keys()].filter((m) => m.startsWith('.')).sort();
    if (local.length) groups.push(local.map((m) => importFrom(m, [...this.imports.get(m)!].sort(isortOrder))));
    return groups.map((g) => g.join('\n')).join('\n\n');
  }
}

/** isort's default "force_sort_within_sections=false, case-sensitive" order: CONSTANTS, Classes, functions. */
function isortOrder(a: string, b: string): number {
  const rank = (s: string) => (s === s.toUpperCase() && /[A-Z]/.test(s) ? 0 : /^[A-Z]/.test(s) ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Prints the models module of one target. */
export class ModelsEmitter {
  readonly w = new ModuleWriter();
  private readonly enumClasses: boolean;
  needNotNull = false;
  needUnique = false;
  private needUnset = false;
  private readonly functional = new Set<ClassDecl>();
  private readonly emitted = new Set<Decl>();
  /** pydantic-v1 root models written for recursive aliases (they need update_forward_refs too). */
  private readonly rootClasses: string[] = [];
  private readonly known: Set<Decl>;

  constructor(
    private readonly model: ModelSet,
    readonly target: Target,
    private readonly options: TargetOptions,
    private readonly note: NoteSink,
  ) {
    this.enumClasses = options.enums === 'enum' && target !== 'typeddict';
    this.known = new Set(model.decls);
  }

  emit(): string {
    const decls = this.order(this.model.decls);
    if (this.target === 'typeddict') for (const d of decls) if (d.kind === 'class' && this.needsFunctional(d)) this.functional.add(d);
    const blocks = decls.map((d) => {
      const text = this.decl(d);
      this.emitted.add(d);
      return text;
    });
    const tail: string[] = [];
    if (this.target === 'pydantic-v1') {
      const classes = [...decls.filter((d) => d.kind === 'class').map((d) => d.name), ...this.rootClasses].sort();
      if (classes.length) tail.push(classes.map((n) => expressionStatement(call(`${n}.update_forward_refs`, []))).join('\n'));
    }
    const names = decls.map((d) => d.name).sort();
    const helpers: string[] = [];
    if (this.needNotNull) {
      if (this.target === 'pydantic-v2') {
        this.w.add('pydantic', 'BeforeValidator');
        this.w.add('typing', 'Any');
        helpers.push(`def _reject_null(value: Any) -> Any:\n    if value is None:\n        raise ValueError("null is not allowed here: omit the field instead")\n    return value\n\n\n_NotNull = BeforeValidator(_reject_null)`);
      } else {
        this.w.add('typing', 'Any');
        helpers.push(`def _reject_null(cls: Any, value: Any) -> Any:\n    if value is None:\n        raise ValueError("null is not allowed here: omit the field instead")\n    return value`);
      }
    }
    if (this.needUnique) {
      this.w.add('pydantic', 'AfterValidator');
      this.w.add('typing', 'Any');
      helpers.push(
        `def _unique_items(items: list[Any]) -> list[Any]:\n    seen: list[Any] = []\n    for item in items:\n        if item in seen:\n            raise ValueError("items must be unique (uniqueItems)")\n        seen.append(item)\n    return items\n\n\n_UniqueItems = AfterValidator(_unique_items)`,
      );
    }
    if (this.needUnset) {
      this.w.add('typing', 'Literal');
      helpers.push(
        `class Unset:\n    """The value of a field that was not given (distinct from None, which is null)."""\n\n    def __bool__(self) -> Literal[False]:\n        return False\n\n    def __repr__(self) -> str:\n        return "UNSET"\n\n\nUNSET = Unset()`,
      );
      names.push('UNSET', 'Unset');
      names.sort();
    }
    const all = assignment('__all__', undefined, list(names.map((n) => atom(pyString(n)))), 0);
    // TypedDict needs evaluated annotations to tell required keys from NotRequired ones at run
    // time; its forward references are quoted instead.
    const parts = this.target === 'typeddict' ? [] : ['from __future__ import annotations'];
    const imports = this.w.importBlock();
    if (imports) parts.push(imports);
    parts.push(all);
    let text = parts.join('\n\n') + '\n';
    if (this.target === 'typeddict') text = text.replace(/^\n+/, '');
    // Black wants two blank lines around classes and functions; between simple statements one
    // is enough (and black keeps it).
    let prevCompound = true;
    for (const b of [...helpers, ...blocks, ...tail]) {
      const compound = /^(class |def |@)/m.test(b.split('\n')[0]) || /^(class |def )/m.test(b);
      text += (compound || prevCompound ? '\n\n' : '\n') + b + '\n';
      prevCompound = compound;
    }
    return text;
  }

  /**
   * Reports what `emit()` would report as lossy, without printing anything: the type mapping of
   * every field, alias and operation body. This is what `engine.check` runs on every edit.
   */
  collectNotes(): void {
    for (const d of this.model.decls) {
      if (d.kind === 'alias') this.typeExpr(d.type, true);
      if (d.kind !== 'class') continue;
      if (typeof d.extra === 'object' && this.target === 'pydantic-v1') this.note(d.span, 'The schema of `additionalProperties` is not validated by pydantic v1 models (extra values are allowed as they are).');
      for (const f of this.ownFields(d, false)) {
        const base = withoutNone(f.type);
        this.topType(f.type);
        if (this.target === 'pydantic-v2' || base.k !== 'list') this.constraintArgs(constraintsOf(base), constraintKind(base));
      }
    }
    for (const op of this.model.operations) {
      if (op.request) this.typeExpr(op.request, true);
      for (const r of op.responses) if (r.type) this.typeExpr(r.type, true);
    }
  }

  /** Enums first, then classes and aliases with every runtime dependency before its user; ties by name. */
  private order(decls: Decl[]): Decl[] {
    const byName = (a: Decl, b: Decl) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const sorted = [...decls.filter((d) => d.kind === 'enum').sort(byName), ...decls.filter((d) => d.kind !== 'enum').sort(byName)];
    const deps = new Map<Decl, Set<Decl>>();
    for (const d of sorted) deps.set(d, this.runtimeDeps(d));
    const out: Decl[] = [];
    const done = new Set<Decl>();
    const visiting = new Set<Decl>();
    const visit = (d: Decl) => {
      if (done.has(d) || visiting.has(d)) return;
      visiting.add(d);
      for (const x of [...deps.get(d)!].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(x);
      visiting.delete(d);
      done.add(d);
      out.push(d);
    };
    for (const d of sorted) visit(d);
    return out;
  }

  /** Names a declaration needs to exist when its statement runs (not annotations: those are deferred). */
  private runtimeDeps(d: Decl): Set<Decl> {
    const out = new Set<Decl>();
    const refs = (t: TypeRef) => {
      switch (t.k) {
        case 'ref':
          out.add(t.decl);
          return;
        case 'list':
          return refs(t.item);
        case 'dict':
          return refs(t.value);
        case 'union':
          t.items.forEach(refs);
          return;
      }
    };
    if (d.kind === 'alias') refs(d.type);
    if (d.kind === 'class') {
      if (d.base && !(this.target === 'typeddict' && this.needsFunctional(d))) out.add(d.base);
      if (this.enumClasses) for (const f of d.fields) if (f.default && f.type.k === 'ref' && f.type.decl.kind === 'enum') out.add(f.type.decl);
    }
    for (const x of out) if (!this.known.has(x)) out.delete(x);
    return out;
  }

  private decl(d: Decl): string {
    switch (d.kind) {
      case 'enum':
        return this.enumDecl(d);
      case 'alias':
        return this.alias(d.name, d.type, d.description);
      case 'class':
        return this.classDecl(d);
    }
  }

  private alias(name: string, type: TypeRef, description?: string): string {
    // An alias is evaluated when the module runs: one that refers to itself (or to an alias of its
    // own cycle) cannot be a plain alias. pydantic gets a root model (its annotations are
    // evaluated late); the standard-library targets get a string alias, which type checkers read.
    const recursive = refsOf(type).some((d) => !this.emitted.has(d));
    if (recursive && isPydantic(this.target)) {
      const v2 = this.target === 'pydantic-v2';
      this.w.add('pydantic', v2 ? 'RootModel' : 'BaseModel');
      if (!v2) this.rootClasses.push(name);
      const lines = [classLine(name, [v2 ? 'RootModel' : 'BaseModel'])];
      if (description) lines.push(docstring(description, 1), '');
      lines.push(assignment(v2 ? 'root' : '__root__', this.typeExpr(type, true), undefined, 1));
      return lines.join('\n');
    }
    this.w.add('typing', 'TypeAlias');
    const value = this.typeExpr(type, true);
    const text = assignment(name, atom('TypeAlias'), recursive ? atom(pyString(flat(value))) : value, 0);
    return description ? `${text}\n${docstring(description, 0)}` : text;
  }

  private enumDecl(d: Extract<Decl, { kind: 'enum' }>): string {
    const mixed = new Set(d.values.map((v) => typeof v)).size > 1 || d.values.some((v) => typeof v === 'boolean');
    if (!this.enumClasses || mixed) {
      this.w.add('typing', 'Literal');
      this.w.add('typing', 'TypeAlias');
      let t: Expr = sub('Literal', d.values.map((v) => pyValue(v)));
      if (d.nullable) t = union([t, atom('None')]);
      const text = assignment(d.name, atom('TypeAlias'), t, 0);
      return d.description ? `${text}\n${docstring(d.description, 0)}` : text;
    }
    this.w.add('enum', 'Enum');
    const base = typeof d.values[0] === 'string' ? 'str' : 'int';
    const lines = [classLine(d.name, [base, 'Enum'])];
    if (d.description) lines.push(docstring(d.description, 1), '');
    const scope = new NameScope(['name', 'value', 'mro']);
    for (const v of d.values) lines.push(assignment(scope.claim(memberName(v)), undefined, pyValue(v), 1));
    return lines.join('\n');
  }

  private needsFunctional(d: ClassDecl): boolean {
    for (let c: ClassDecl | undefined = d; c; c = c.base) if (c.fields.some((f) => !isIdentifier(f.wire) || moduleNames.has(f.wire))) return true;
    return false;
  }

  // --------------------------------------------------------------------------------------------
  // Types

  private constrained(e: Expr, c: Constraints | undefined, kind: 'str' | 'int' | 'float' | 'list', item?: Expr): Expr {
    const args = this.constraintArgs(c, kind);
    if (!args.length) return e;
    if (this.target === 'pydantic-v2') {
      this.w.add('typing', 'Annotated');
      this.w.add('pydantic', 'Field');
      return sub('Annotated', [e, call('Field', args)]);
    }
    if (this.target === 'pydantic-v1') {
      const fn = kind === 'str' ? 'constr' : kind === 'int' ? 'conint' : kind === 'float' ? 'confloat' : 'conlist';
      this.w.add('pydantic', fn);
      return call(fn, kind === 'list' ? [item!, ...args] : args);
    }
    return e;
  }

  /** Constraint keyword arguments the target validates; the rest are reported as lossy. */
  private constraintArgs(c: Constraints | undefined, kind: 'str' | 'int' | 'float' | 'list'): Expr[] {
    if (!c || !isPydantic(this.target)) return [];
    const v1 = this.target === 'pydantic-v1';
    const num = (n: number) => atom(Number.isInteger(n) && kind === 'int' ? String(n) : kind === 'int' ? pyFloat(n) : Number.isInteger(n) ? String(n) : pyFloat(n));
    const args: Expr[] = [];
    if (kind === 'str' || kind === 'list') {
      const min = kind === 'str' ? c.minLength : c.minItems;
      const max = kind === 'str' ? c.maxLength : c.maxItems;
      const minName = kind === 'list' && v1 ? 'min_items' : 'min_length';
      const maxName = kind === 'list' && v1 ? 'max_items' : 'max_length';
      if (min !== undefined && min >= 0) args.push(kw(minName, atom(String(Math.floor(min)))));
      if (max !== undefined && max >= 0) args.push(kw(maxName, atom(String(Math.floor(max)))));
    }
    if (kind === 'str' && c.pattern !== undefined) {
      const p = pythonPattern(c.pattern, this.target);
      if (p.ok) args.push(kw(v1 ? 'regex' : 'pattern', atom(pyString(p.pattern))));
      else if (c.at) this.note(c.at, `The pattern ${JSON.stringify(c.pattern)} ${p.why}; it is not validated by the ${this.target} models.`);
    }
    if (kind === 'int' || kind === 'float') {
      if (c.exclusiveMinimum !== undefined) args.push(kw('gt', num(c.exclusiveMinimum)));
      if (c.minimum !== undefined) args.push(kw('ge', num(c.minimum)));
      if (c.exclusiveMaximum !== undefined) args.push(kw('lt', num(c.exclusiveMaximum)));
      if (c.maximum !== undefined) args.push(kw('le', num(c.maximum)));
      if (c.multipleOf !== undefined && c.multipleOf > 0) args.push(kw('multiple_of', num(c.multipleOf)));
    }
    if (kind === 'list' && c.uniqueItems && v1) args.push(kw('unique_items', atom('True')));
    return args;
  }

  /** A type as it appears inside another type (constraints folded in where the target can). */
  typeExpr(t: TypeRef, nested: boolean): Expr {
    switch (t.k) {
      case 'any':
        this.w.add('typing', 'Any');
        return atom('Any');
      case 'none':
        return atom('None');
      case 'prim':
        return nested ? this.constrained(atom(t.t), t.c, t.t === 'bool' ? 'int' : t.t) : atom(t.t);
      case 'fmt':
        return this.formatType(t.t);
      case 'lit':
        this.w.add('typing', 'Literal');
        return sub('Literal', t.values.map(pyValue));
      case 'list': {
        const item = this.typeExpr(t.item, true);
        const e = this.uniqueList(sub('list', [item]), t.c);
        if (e.k === 'sub' && e.base.k === 'atom' && e.base.s === 'Annotated') {
          const args = nested ? this.constraintArgs(t.c, 'list') : [];
          return args.length ? sub('Annotated', [...e.items, call('Field', args)]) : e;
        }
        return nested ? this.constrained(e, t.c, 'list', item) : e;
      }
      case 'dict':
        return sub('dict', [atom('str'), this.typeExpr(t.value, true)]);
      case 'ref':
        return atom(t.decl.name);
      case 'union': {
        const items = t.items.filter((i) => i.k !== 'none').map((i) => this.typeExpr(i, true));
        const hasNone = t.items.some((i) => i.k === 'none');
        let e: Expr = union(items);
        const tag = t.discriminator && isPydantic(this.target) ? this.discriminatorField(t) : undefined;
        if (tag) {
          this.w.add('typing', 'Annotated');
          this.w.add('pydantic', 'Field');
          e = sub('Annotated', [e, call('Field', [kw('discriminator', atom(pyString(tag)))])]);
          return hasNone ? union([e, atom('None')]) : e;
        }
        return union(hasNone ? [...items, atom('None')] : items);
      }
    }
  }

  /** pydantic 2 has no unique-items constraint: a small validator of the module checks it. */
  private uniqueList(e: Expr, c: Constraints | undefined): Expr {
    if (this.target !== 'pydantic-v2' || !c?.uniqueItems) return e;
    this.needUnique = true;
    this.w.add('typing', 'Annotated');
    return sub('Annotated', [e, atom('_UniqueItems')]);
  }

  /** pydantic names the discriminator by the Python field name (the wire name is its alias). */
  private discriminatorField(t: Extract<TypeRef, { k: 'union' }>): string | undefined {
    const names = new Set<string>();
    for (const item of t.items) {
      if (item.k === 'none') continue;
      if (item.k !== 'ref' || item.decl.kind !== 'class') return undefined;
      let f: FieldDecl | undefined;
      for (let c: ClassDecl | undefined = item.decl; c && !f; c = c.base) f = c.fields.find((x) => x.wire === t.discriminator);
      if (!f) return undefined;
      names.add(f.py);
    }
    return names.size === 1 ? [...names][0] : undefined;
  }

  private formatType(f: string): Expr {
    const t = this.target;
    if (t === 'typeddict' && f !== 'binary') return atom('str');
    switch (f) {
      case 'datetime':
        if (t === 'pydantic-v2') {
          this.w.add('pydantic', 'AwareDatetime');
          return atom('AwareDatetime');
        }
        this.w.add('datetime', 'datetime');
        return atom('datetime');
      case 'date':
        this.w.add('datetime', 'date');
        return atom('date');
      case 'time':
        this.w.add('datetime', 'time');
        return atom('time');
      case 'duration':
        this.w.add('datetime', 'timedelta');
        return atom('timedelta');
      case 'uuid':
        this.w.add('uuid', 'UUID');
        return atom('UUID');
      default:
        return atom('bytes');
    }
  }

  // --------------------------------------------------------------------------------------------
  // Classes

  /** The fields a class declares itself: its own, inherited ones it redeclares, and discriminator tags. */
  private ownFields(d: ClassDecl, flatten: boolean): FieldDecl[] {
    const chain: ClassDecl[] = [];
    if (flatten) for (let c: ClassDecl | undefined = d; c; c = c.base) chain.unshift(c);
    else chain.push(d);
    const fields: FieldDecl[] = [];
    for (const c of chain)
      for (const f of c.fields) {
        const i = fields.findIndex((x) => x.wire === f.wire);
        if (i >= 0) fields.splice(i, 1);
        fields.push(f);
      }
    for (const [prop, values] of d.tags) {
      let f = fields.find((x) => x.wire === prop);
      if (!f) {
        for (let c = d.base; c && !f; c = c.base) f = c.fields.find((x) => x.wire === prop);
        if (!f) continue;
        f = { ...f };
        fields.push(f);
      } else {
        const i = fields.indexOf(f);
        f = { ...f };
        fields[i] = f;
      }
      f.type = { k: 'lit', values };
      if (!f.required) f.default = values.length === 1 ? { value: values[0] } : undefined;
      if (!f.required && values.length > 1) f.required = true;
    }
    return fields;
  }

  private classDecl(d: ClassDecl): string {
    switch (this.target) {
      case 'pydantic-v2':
      case 'pydantic-v1':
        return this.pydanticClass(d);
      case 'dataclasses':
        return this.dataclass(d);
      case 'typeddict':
        return this.typedDict(d);
    }
  }

  private docText(d: { description?: string; deprecated?: boolean }): string | undefined {
    const parts = [d.description?.trim(), d.deprecated ? 'Deprecated.' : undefined].filter((x): x is string => !!x);
    return parts.length ? parts.join('\n\n') : undefined;
  }

  private pydanticClass(d: ClassDecl): string {
    const v2 = this.target === 'pydantic-v2';
    this.w.add('pydantic', 'BaseModel');
    const lines = [classLine(d.name, [d.base ? d.base.name : 'BaseModel'])];
    const doc = this.docText(d);
    if (doc) lines.push(docstring(doc, 1), '');
    const extra = d.extra === 'forbid' ? 'forbid' : 'allow';
    if (typeof d.extra === 'object' && !v2) this.note(d.span, 'The schema of `additionalProperties` is not validated by pydantic v1 models (extra values are allowed as they are).');
    if (v2) {
      this.w.add('pydantic', 'ConfigDict');
      lines.push(assignment('model_config', undefined, call('ConfigDict', [kw('populate_by_name', atom('True')), kw('extra', atom(pyString(extra)))]), 1));
    } else {
      this.w.add('pydantic', 'Extra');
      lines.push('    class Config:', '        allow_population_by_field_name = True', `        extra = Extra.${extra}`);
    }
    const fields = this.ownFields(d, false);
    const body: string[] = [];
    if (typeof d.extra === 'object' && v2) {
      this.w.add('pydantic', 'Field');
      body.push(assignment('__pydantic_extra__', sub('dict', [atom('str'), this.typeExpr(d.extra, true)]), call('Field', [kw('init', atom('False'))]), 1));
    }
    const rejectNull: string[] = [];
    for (const f of fields) {
      const { text, notNull } = this.pydanticField(f);
      body.push(text);
      if (notNull) rejectNull.push(f.py);
    }
    if (rejectNull.length && !v2) {
      this.w.add('pydantic', 'validator');
      this.needNotNull = true;
      body.push(
        assignment('_reject_null', undefined, call(call('validator', [...rejectNull.map((n) => atom(pyString(n))), kw('pre', atom('True')), kw('allow_reuse', atom('True'))]), [atom('_reject_null')]), 1),
      );
    }
    if (body.length) lines.push('', ...body);
    return lines.join('\n');
  }

  private pydanticField(f: FieldDecl): { text: string; notNull: boolean } {
    const v2 = this.target === 'pydantic-v2';
    const nullable = isNullable(f.type);
    const base = withoutNone(f.type);
    let ann = this.topType(f.type);
    const args: Expr[] = [];
    let defaultExpr: Expr | undefined;
    let notNull = false;
    const hasDefault = !f.required && f.default !== undefined && f.default.value !== null;
    if (hasDefault) defaultExpr = this.defaultExpr(f.default!.value, f.type);
    else if (!f.required) {
      defaultExpr = atom('None');
      if (!nullable) {
        notNull = true;
        if (v2) {
          this.needNotNull = true;
          this.w.add('typing', 'Annotated');
          ann = sub('Annotated', [union([ann, atom('None')]), atom('_NotNull')]);
        } else ann = union([ann, atom('None')]);
      }
    }
    const aliasNeeded = f.py !== f.wire;
    const cargs = v2 || base.k !== 'list' ? this.constraintArgs(constraintsOf(base), constraintKind(base)) : [];
    const desc = f.description?.trim();
    const extras = aliasNeeded || desc || cargs.length || (f.deprecated && v2);
    if (!v2 && f.required && nullable) {
      args.push(atom('...'));
    } else if (!v2 && f.required && extras) args.push(atom('...'));
    if (defaultExpr && extras) args.push(isMutable(f.default?.value) && v2 ? kw('default_factory', atom(`lambda: ${flat(defaultExpr)}`)) : kw('default', defaultExpr));
    if (aliasNeeded) args.push(kw('alias', atom(pyString(f.wire))));
    if (desc) args.push(kw('description', atom(pyString(desc))));
    args.push(...cargs);
    if (f.deprecated && v2) args.push(kw('deprecated', atom('True')));
    if (args.length) this.w.add('pydantic', 'Field');
    const value = args.length ? call('Field', args) : defaultExpr;
    return { text: assignment(f.py, ann, value, 1), notNull };
  }

  /** A field's annotation: the type with its top-level constraints left for `Field(...)`. */
  private topType(t: TypeRef): Expr {
    const nullable = isNullable(t);
    const base = withoutNone(t);
    let e: Expr;
    if (base.k === 'prim') e = atom(base.t);
    else if (base.k === 'list') {
      const item = this.typeExpr(base.item, true);
      // pydantic 1 drops an item discriminator when the list has Field(min_items=...): conlist keeps it.
      e = this.target === 'pydantic-v1' ? this.constrained(sub('list', [item]), base.c, 'list', item) : this.uniqueList(sub('list', [item]), base.c);
    }
    else e = this.typeExpr(base, true);
    return nullable && base.k !== 'none' ? union([e, atom('None')]) : e;
  }

  private defaultExpr(v: Json, t: TypeRef): Expr {
    const base = withoutNone(t);
    if (this.enumClasses && base.k === 'ref' && base.decl.kind === 'enum' && (typeof v === 'string' || typeof v === 'number')) {
      const d = base.decl;
      const mixed = new Set(d.values.map((x) => typeof x)).size > 1 || d.values.some((x) => typeof x === 'boolean');
      if (!mixed && d.values.includes(v)) {
        const scope = new NameScope(['name', 'value', 'mro']);
        const names = d.values.map((x) => scope.claim(memberName(x)));
        return atom(`${d.name}.${names[d.values.indexOf(v)]}`);
      }
    }
    return pyValue(v);
  }

  private dataclass(d: ClassDecl): string {
    this.w.add('dataclasses', 'dataclass');
    // A field redeclared with a narrower type (a merged `required`, a discriminator tag) would be
    // an incompatible override for type checkers: such classes are written flat.
    const flatten = this.overridesBase(d);
    const lines = ['@dataclass(kw_only=True)', classLine(d.name, d.base && !flatten ? [d.base.name] : [])];
    const doc = this.docText(d);
    const body: string[] = [];
    if (doc) body.push(docstring(doc, 1));
    const fields = this.ownFields(d, flatten);
    if (doc && fields.length) body.push('');
    for (const f of fields) {
      const nullable = isNullable(f.type);
      let ann = this.topType(f.type);
      const meta: [Expr, Expr][] = [];
      if (f.py !== f.wire) meta.push([atom('"alias"'), atom(pyString(f.wire))]);
      let value: Expr | undefined;
      const fieldArgs: Expr[] = [];
      if (!f.required) {
        const hasDefault = f.default !== undefined && !(f.default.value === null && !nullable);
        if (hasDefault) {
          const dv = this.defaultExpr(f.default!.value, f.type);
          if (isMutable(f.default!.value)) fieldArgs.push(kw('default_factory', atom(`lambda: ${flat(dv)}`)));
          else if (meta.length) fieldArgs.push(kw('default', dv));
          else value = dv;
        } else {
          this.needUnset = true;
          ann = union([ann, atom('Unset')]);
          if (meta.length) fieldArgs.push(kw('default', atom('UNSET')));
          else value = atom('UNSET');
        }
      }
      if (meta.length) fieldArgs.push(kw('metadata', dict(meta)));
      if (fieldArgs.length) {
        this.w.add('dataclasses', 'field');
        value = call('field', fieldArgs);
      }
      body.push(assignment(f.py, ann, value, 1));
      const fdoc = this.docText(f);
      if (fdoc) body.push(docstring(fdoc, 1));
    }
    if (!body.length) body.push('    pass');
    return [...lines, ...body].join('\n');
  }

  private typedDict(d: ClassDecl): string {
    this.w.add('typing', 'TypedDict');
    const functional = this.functional.has(d) || (d.base && this.functional.has(d.base)) || this.overridesBase(d);
    const fields = this.ownFields(d, !!functional);
    const annotation = (f: FieldDecl, quoteAll = false) => {
      let t = this.topType(f.type);
      if (quoteAll || refsOf(f.type).some((r) => !this.emitted.has(r))) t = atom(pyString(flat(t)));
      if (f.required) return t;
      this.w.add('typing', 'NotRequired');
      return sub('NotRequired', [t]);
    };
    if (functional) {
      this.functional.add(d);
      const entries: [Expr, Expr][] = fields.map((f) => [atom(pyString(f.wire)), annotation(f, true)]);
      const text = assignment(d.name, undefined, call('TypedDict', [atom(pyString(d.name)), dict(entries)]), 0);
      const doc = this.docText(d);
      return doc ? `${text}\n${docstring(doc, 0)}` : text;
    }
    const lines = [classLine(d.name, [d.base ? d.base.name : 'TypedDict'])];
    const doc = this.docText(d);
    const body: string[] = [];
    if (doc) body.push(docstring(doc, 1));
    if (doc && fields.length) body.push('');
    for (const f of fields) {
      const fdoc = this.docText(f);
      if (fdoc) for (const l of commentLines(fdoc)) body.push(`    # ${l}`.trimEnd());
      body.push(assignment(f.wire, annotation(f), undefined, 1));
    }
    if (!body.length) body.push('    pass');
    return [...lines, ...body].join('\n');
  }

  /** Does a class redeclare a field of a base? (TypedDict forbids it; dataclasses make it an incompatible override.) */
  private overridesBase(d: ClassDecl): boolean {
    if (!d.base) return false;
    const inherited = new Set<string>();
    for (let c: ClassDecl | undefined = d.base; c; c = c.base) for (const f of c.fields) inherited.add(f.wire);
    return d.fields.some((f) => inherited.has(f.wire)) || [...d.tags.keys()].some((k) => inherited.has(k));
  }

}

/** Text as comment lines: every character Python reads as a line break splits, control characters go. */
function commentLines(text: string): string[] {
  return text
    .split(/\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]/)
    .map((l) => l.replace(/[\x00-\x08\x0e-\x1f\x7f]/g, ' ').replace(/\s+$/, ''));
}

function refsOf(t: TypeRef): Decl[] {
  switch (t.k) {
    case 'ref':
      return [t.decl];
    case 'list':
      return refsOf(t.item);
    case 'dict':
      return refsOf(t.value);
    case 'union':
      return t.items.flatMap(refsOf);
    default:
      return [];
  }
}

function constraintsOf(t: TypeRef): Constraints | undefined {
  return t.k === 'prim' || t.k === 'list' ? t.c : undefined;
}

function constraintKind(t: TypeRef): 'str' | 'int' | 'float' | 'list' {
  if (t.k === 'list') return 'list';
  if (t.k === 'prim') return t.t === 'bool' ? 'int' : t.t;
  return 'str';
}

function isMutable(v: Json | undefined): boolean {
  return v !== null && typeof v === 'object';
}

/**
 * Translates an ECMAScript pattern (what JSON Schema uses) to the target's regex engine: Rust's
 * `regex` for pydantic v2, Python's `re` for v1. Patterns using features the engine lacks are
 * reported rather than emitted, because they would fail when the module is imported.
 */
export function pythonPattern(pattern: string, target: Target): { ok: true; pattern: string } | { ok: false; why: string } {
  const normalized = normalizeClasses(pattern.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?P<$1>'), target);
  if (normalized.emptyClass) return { ok: false, why: 'uses an empty class (`[]` or `[^]`), which exists only in ECMAScript' };
  let p = normalized.pattern;
  if (target === 'pydantic-v2') {
    if (/\(\?<?[=!]/.test(p)) return { ok: false, why: 'uses a lookaround, which pydantic 2 regexes do not support' };
    if (/\\[1-9]/.test(p) || /\\k</.test(p)) return { ok: false, why: 'uses a backreference, which pydantic 2 regexes do not support' };
    if (/\\u[0-9a-fA-F]{4}/.test(p)) p = p.replace(/\\u([0-9a-fA-F]{4})/g, '\\x{$1}');
    if (/\\c[A-Za-z]|\\[0-9]/.test(p)) return { ok: false, why: 'uses a construct with no Rust regex equivalent' };
    return { ok: true, pattern: p };
  }
  if (/\\[pP]/.test(p)) return { ok: false, why: 'uses a Unicode property class (\\p{...}), which Python regexes do not support' };
  if (/\\c[A-Za-z]/.test(p)) return { ok: false, why: 'uses a construct with no Python regex equivalent' };
  if (/\(\?[a-zA-Z]+\)/.test(p.slice(1))) return { ok: false, why: 'sets a regex flag in the middle of the pattern' };
  // pydantic v1 matches at the start only; JSON Schema patterns match anywhere.
  if (!p.startsWith('^')) p = `[\\s\\S]*?(?:${p})`;
  return { ok: true, pattern: p };
}

/**
 * What ECMAScript reads literally and Python/Rust do not: a `-` next to a class escape inside
 * `[...]` (`[\\s-_]`), a `[` inside a class (Rust nests classes), a `{` that starts no quantifier
 * and an escaped `/` (Rust rejects both).
 */
function normalizeClasses(p: string, target: Target): { pattern: string; emptyClass: boolean } {
  let out = '';
  let inClass = false;
  let emptyClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const next = p[i + 1] ?? '';
      if (next === '/' && target === 'pydantic-v2') out += '/';
      // ECMAScript reads an unknown letter escape (`\z`) as the letter; Python and Rust reject it.
      else if (/[A-Za-z]/.test(next) && !/[dDwWsSbBnrtvfxucpPk]/.test(next)) out += next;
      // `\x` without two hex digits and `\u` without four are the letters themselves in ECMAScript.
      else if (next === 'x' && !/^[0-9a-fA-F]{2}/.test(p.slice(i + 2))) out += 'x';
      else if (next === 'u' && !/^([0-9a-fA-F]{4}|\{)/.test(p.slice(i + 2))) out += 'u';
      else out += c + next;
      i++;
      // `\p{L}`, `\x{e9}`, `\k<name>`: the braces belong to the escape.
      const open = p[i + 1];
      if (/[pPxuk]/.test(next) && (open === '{' || (next === 'k' && open === '<'))) {
        const end = p.indexOf(open === '{' ? '}' : '>', i + 1);
        if (end > 0) {
          out += p.slice(i + 1, end + 1);
          i = end;
        }
      }
      continue;
    }
    if (inClass) {
      if (c === ']' && !(out.endsWith('[') || out.endsWith('[^'))) inClass = false;
      else if (c === '[') {
        out += '\\[';
        continue;
      } else if (c === '-' && (/\\[dDwWsS]$/.test(out) || /^\\[dDwWsS]/.test(p.slice(i + 1)))) {
        out += '\\-';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // `[]` matches nothing and `[^]` anything, in ECMAScript only.
      if (p[i + 1] === ']' || (p[i + 1] === '^' && p[i + 2] === ']')) emptyClass = true;
    } else if (c === '{' && target === 'pydantic-v2' && !/^\{\d+(,\d*)?\}/.test(p.slice(i))) {
      out += '\\{';
      continue;
    } else if (c === '}' && target === 'pydantic-v2' && !/\{\d+(,\d*)?$/.test(out)) {
      out += '\\}';
      continue;
    }
    out += c;
  }
  return { pattern: out, emptyClass };
}
