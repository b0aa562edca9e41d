import * as path from 'node:path';
import type { ProjectContext } from '../../context';
import type { Span } from '../../findings';
import type { SyntaxNode } from '../../source/treesitter';
import { RecoveredSources } from './recover';
import {
  braceFields,
  compact,
  concatParts,
  decodeContent,
  literalOf,
  parsePrefix,
  percentFields,
  type Hole,
  type Part,
} from './strings';

/**
 * A small, conservative abstract interpreter for Python modules: enough to know what a name
 * holds where a route or an HTTP call is registered. It follows imports inside the project
 * (relative, absolute from any ancestor folder of the importing file, star imports, packages and
 * namespace packages), module constants, class attributes and settings-object defaults, function
 * return values (`app = create_app()`), `self.x` attributes, and `for` loops over literal lists.
 * Whatever it cannot know becomes an `unknown` value whose text ends up as an opaque hole: it
 * never guesses.
 *
 * Each file is walked once, statements in order; function bodies are walked once, either when
 * first called at import time or after their module's top level. A `Domain` (routes, SDK calls)
 * receives every call and decorated definition with the scope it sits in.
 */

export type Value =
  | { t: 'str'; v: Part[] }
  | { t: 'num'; text: string }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'list'; items: Value[]; nodes: (SyntaxNode | undefined)[] }
  | { t: 'dict'; entries: Map<string, Value> }
  | { t: 'module'; mod: PyModule }
  | { t: 'external'; name: string }
  | { t: 'class'; cls: PyClass }
  | { t: 'instance'; cls: PyClass; kwargs?: Map<string, Value> }
  | { t: 'func'; fn: PyFunction; bound: boolean }
  | { t: 'view'; cls: PyClass }
  | { t: 'obj'; obj: object }
  | { t: 'param'; fn: PyFunction; index: number; name: string }
  | { t: 'attr'; base: Value; name: string; text: string }
  | { t: 'ref'; mod: PyModule; name: string }
  | { t: 'unknown'; text: string; unbound?: string };

export interface ParamInfo {
  name: string;
  hasDefault: boolean;
  kind: 'normal' | 'kwonly' | 'args' | 'kwargs';
  annotation?: SyntaxNode;
}

export class Scope {
  readonly vars = new Map<string, Value>();
  constructor(
    readonly module: PyModule,
    readonly parent: Scope | undefined,
    readonly kind: 'module' | 'function' | 'class',
  ) {}
}

export class PyModule {
  state: 'new' | 'loading' | 'done' = 'new';
  readonly scope: Scope;
  readonly stars: PyModule[] = [];
  readonly pending: PyFunction[] = [];
  constructor(
    /** The .py file; undefined for a namespace package (a folder without __init__.py). */
    readonly file: string | undefined,
    /** The folder of a package (for submodule lookups); undefined for a plain module. */
    readonly packageDir: string | undefined,
  ) {
    this.scope = new Scope(this, undefined, 'module');
  }
}

export class PyClass {
  readonly instanceAttrs = new Map<string, Value>();
  readonly methods = new Map<string, PyFunction>();
  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly module: PyModule,
    readonly scope: Scope,
    readonly bases: Value[],
  ) {}
}

export class PyFunction {
  state: 'new' | 'running' | 'done' = 'new';
  returns: Value | undefined;
  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly module: PyModule,
    /** The scope the body's free names resolve in (never a class scope). */
    readonly closure: Scope,
    readonly params: ParamInfo[],
    readonly decorators: string[],
    readonly cls?: PyClass,
  ) {}
}

/** Where a statement is being walked. */
export interface Frame {
  scope: Scope;
  module: PyModule;
  /** Under `if`/`elif`/`else`, `except`, `while`, `match`... */
  conditional: boolean;
  fn?: PyFunction;
}

/** What a feature extracts while the program is walked. */
export interface Domain {
  /** A call of something imported from a library (`fastapi.APIRouter`, `httpx.Client`); also
   *  bare unbound names (`APIRouter` in a file whose import line is half-typed). */
  construct?(qualifiedName: string, call: SyntaxNode, frame: Frame): Value | undefined;
  /** An instance of a project class deriving from a library class (`class Api(FastAPI)`). */
  constructSubclass?(base: string, cls: PyClass, call: SyntaxNode, frame: Frame): Value | undefined;
  /** `obj.name` on a domain object. */
  attribute?(obj: object, name: string): Value | undefined;
  /** `obj.name(...)` on a domain object, evaluated for its value. */
  callMethod?(obj: object, name: string, call: SyntaxNode, frame: Frame): Value | undefined;
  /** A parameter annotated with a library type (`client: httpx.AsyncClient`). */
  annotated?(qualifiedName: string): Value | undefined;
  /** What a function body must mention to be worth walking when nothing calls it. */
  interest?: RegExp;
  /** Every call, outermost first, in statement order. */
  onCall?(call: SyntaxNode, frame: Frame): void;
  /** Every decorator of a function or class definition. */
  onDecorator?(decorator: SyntaxNode, definition: SyntaxNode, frame: Frame): void;
}

const maxLoopItems = 64;
const maxDepth = 100;

export class Program {
  private readonly modules = new Map<string, PyModule>();
  private readonly stats = new Map<string, 'file' | 'dir' | undefined>();
  private readonly memo = new Map<string, Value>();
  private readonly functions = new Map<string, PyFunction>();
  private readonly recovered: RecoveredSources;
  /** Every file read, for dependency tracking. */
  readonly files = new Set<string>();
  domain: Domain = {};
  private depth = 0;

  constructor(readonly ctx: ProjectContext) {
    this.recovered = new RecoveredSources(ctx.sources);
  }

  dispose(): void {
    this.recovered.dispose();
  }

  span(node: SyntaxNode, module: PyModule): Span {
    return { file: module.file ?? '', start: node.startIndex, end: node.endIndex };
  }

  // ---------------------------------------------------------------- modules and imports

  /** Loads (walks) a project file as a module. */
  load(file: string): PyModule {
    const mod = this.fileModule(file);
    this.run(mod);
    return mod;
  }

  private fileModule(file: string): PyModule {
    let mod = this.modules.get(file);
    if (!mod) {
      mod = new PyModule(file, path.basename(file) === '__init__.py' ? path.dirname(file) : undefined);
      this.modules.set(file, mod);
    }
    return mod;
  }

  private namespaceModule(dir: string): PyModule {
    const key = dir + path.sep;
    let mod = this.modules.get(key);
    if (!mod) {
      mod = new PyModule(undefined, dir);
      mod.state = 'done';
      this.modules.set(key, mod);
    }
    return mod;
  }

  private run(mod: PyModule): void {
    if (mod.state !== 'new' || !mod.file) return;
    mod.state = 'loading';
    const parsed = this.ctx.source(mod.file);
    this.files.add(mod.file);
    if (parsed) {
      const root = this.recovered.root(parsed);
      const frame: Frame = { scope: mod.scope, module: mod, conditional: false };
      this.guarded(mod.file, () => this.walkBlock(root, frame));
      this.flushPending(mod.pending);
    }
    mod.state = 'done';
  }

  /**
   * Walks the functions nobody called during import, for what they register. A body that does
   * not mention anything the domain looks for is skipped: most handler bodies in a server.
   */
  /** A bug on odd input costs the rest of one module or function, never the whole extraction. */
  private guarded(file: string | undefined, walk: () => void): void {
    try {
      walk();
    } catch (e) {
      this.ctx.host.logger.warn(`Python route/call extraction stopped early in ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private flushPending(pending: PyFunction[]): void {
    const interest = this.domain.interest;
    for (let i = 0; i < pending.length; i++) {
      const fn = pending[i];
      if (interest && fn.state === 'new' && !interest.test(fn.node.childForFieldName('body')?.text ?? '')) continue;
      this.runFunction(fn);
    }
  }

  private stat(p: string): 'file' | 'dir' | undefined {
    if (!this.stats.has(p)) this.stats.set(p, this.ctx.host.fs.stat(p));
    return this.stats.get(p);
  }

  private moduleAt(base: string, parts: string[], allowNamespace: boolean): PyModule | undefined {
    const p = path.join(base, ...parts);
    if (parts.length > 0 && this.stat(p + '.py') === 'file') return this.fileModule(p + '.py');
    const init = path.join(p, '__init__.py');
    if (this.stat(init) === 'file') return this.fileModule(init);
    if (allowNamespace && this.stat(p) === 'dir') return this.namespaceModule(p);
    return undefined;
  }

  /**
   * `a.b.c` from a file: tried under each ancestor folder of the file, nearest first, up to the
   * project root. A folder without `__init__.py` counts as a namespace package only when it holds
   * one of `members` (what the import takes from it): a folder that merely shares its name with a
   * library (`fastapi/` of docs) must not hide the library.
   */
  private resolveAbsolute(dotted: string, fromFile: string, members: string[] = []): PyModule | undefined {
    const parts = dotted.split('.');
    const root = this.ctx.config.root;
    const bases: string[] = [];
    for (let d = path.dirname(fromFile); ; d = path.dirname(d)) {
      bases.push(d);
      const rel = path.relative(root, d);
      if (rel === '' || rel.startsWith('..') || path.dirname(d) === d) break;
    }
    for (const b of bases) {
      const m = this.moduleAt(b, parts, false);
      if (m) return m;
    }
    for (const b of bases) {
      const dir = path.join(b, ...parts);
      if (members.some((n) => this.moduleAt(dir, [n], false) || this.stat(path.join(dir, n)) === 'dir')) return this.namespaceModule(dir);
    }
    return undefined;
  }

  private resolveRelative(level: number, dotted: string, fromFile: string): PyModule | undefined {
    let base = path.dirname(fromFile);
    for (let i = 1; i < level; i++) base = path.dirname(base);
    return this.moduleAt(base, dotted ? dotted.split('.') : [], true);
  }

  /** A submodule of a package (`from app.api import routes` where routes is a file). */
  private submodule(mod: PyModule, name: string): PyModule | undefined {
    if (!mod.packageDir) return undefined;
    return this.moduleAt(mod.packageDir, [name], true);
  }

  /** A name of a module as seen from outside. */
  private moduleAttr(mod: PyModule, name: string): Value | undefined {
    this.run(mod);
    const v = mod.scope.vars.get(name);
    if (v) return this.deref(v);
    for (const star of mod.stars) {
      const s = star.scope.vars.get(name);
      if (s) return this.deref(s);
    }
    const sub = this.submodule(mod, name);
    if (sub) {
      this.run(sub);
      return { t: 'module', mod: sub };
    }
    return undefined;
  }

  private deref(v: Value): Value {
    for (let i = 0; v.t === 'ref' && i < 20; i++) {
      const mod: PyModule = v.mod;
      const name: string = v.name;
      const next = mod.scope.vars.get(name) ?? mod.stars.map((s) => s.scope.vars.get(name)).find((x) => x);
      if (next) {
        v = next;
        continue;
      }
      const sub = this.submodule(mod, name);
      if (sub) {
        this.run(sub);
        return { t: 'module', mod: sub };
      }
      return { t: 'unknown', text: name };
    }
    return v.t === 'ref' ? { t: 'unknown', text: v.name } : v;
  }

  private walkImport(node: SyntaxNode, frame: Frame): void {
    const file = frame.module.file;
    if (!file) return;
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        if (!name) continue;
        const dotted = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined;
        if (!dotted) continue;
        const target = this.resolveAbsolute(dotted, file);
        if (target) this.run(target);
        if (alias) {
          frame.scope.vars.set(alias, target ? { t: 'module', mod: target } : { t: 'external', name: dotted });
        } else {
          const head = dotted.split('.')[0];
          const headMod = target ? this.resolveAbsolute(head, file, [dotted.split('.')[1]].filter((x) => x)) : undefined;
          frame.scope.vars.set(head, headMod ? { t: 'module', mod: headMod } : { t: 'external', name: head });
        }
      }
      return;
    }
    // import_from_statement
    const moduleName = node.childForFieldName('module_name');
    if (!moduleName) return;
    let target: PyModule | undefined;
    let qualified: string;
    if (moduleName.type === 'relative_import') {
      const prefix = moduleName.children.find((c) => c?.type === 'import_prefix')?.text ?? '.';
      const dotted = moduleName.children.find((c) => c?.type === 'dotted_name')?.text ?? '';
      target = this.resolveRelative(prefix.length, dotted, file);
      qualified = prefix + dotted;
    } else {
      qualified = moduleName.text;
      const members = node.childrenForFieldName('name').map((n) => (n?.type === 'aliased_import' ? n.childForFieldName('name')?.text : n?.text) ?? '');
      target = this.resolveAbsolute(qualified, file, members.filter((m) => m));
    }
    if (target) this.run(target);
    if (node.children.some((c) => c?.type === 'wildcard_import')) {
      if (target && frame.scope.kind === 'module') frame.module.stars.push(target);
      return;
    }
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      const imported = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : imported;
      if (!imported || !alias) continue;
      if (!target) {
        frame.scope.vars.set(alias, { t: 'external', name: `${qualified}.${imported}` });
        continue;
      }
      const bound = target.scope.vars.has(imported) || target.stars.some((s) => s.scope.vars.has(imported));
      const sub = bound ? undefined : this.submodule(target, imported);
      if (sub) {
        this.run(sub);
        frame.scope.vars.set(alias, { t: 'module', mod: sub });
      } else {
        frame.scope.vars.set(alias, { t: 'ref', mod: target, name: imported });
      }
    }
  }

  // ---------------------------------------------------------------- statements

  private walkBlock(block: SyntaxNode, frame: Frame): void {
    for (const stmt of block.namedChildren) if (stmt) this.walkStatement(stmt, frame);
  }

  private walkStatement(node: SyntaxNode, frame: Frame): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        this.walkImport(node, frame);
        return;
      case 'future_import_statement':
      case 'comment':
      case 'pass_statement':
      case 'global_statement':
      case 'nonlocal_statement':
        return;
      case 'expression_statement':
        for (const e of node.namedChildren) if (e) this.walkExpressionStatement(e, frame);
        return;
      case 'decorated_definition':
        this.walkDecorated(node, frame);
        return;
      case 'function_definition':
        this.defineFunction(node, frame, []);
        return;
      case 'class_definition':
        this.defineClass(node, frame);
        return;
      case 'if_statement': {
        this.scan(node.childForFieldName('condition'), frame);
        const inner = { ...frame, conditional: true };
        const consequence = node.childForFieldName('consequence');
        if (consequence) this.walkBlock(consequence, inner);
        for (const alt of node.childrenForFieldName('alternative')) {
          if (!alt) continue;
          this.scan(alt.childForFieldName('condition'), frame);
          const body = alt.childForFieldName('consequence') ?? alt.childForFieldName('body');
          if (body) this.walkBlock(body, inner);
        }
        return;
      }
      case 'for_statement':
        this.walkFor(node, frame);
        return;
      case 'while_statement': {
        this.scan(node.childForFieldName('condition'), frame);
        const body = node.childForFieldName('body');
        if (body) this.walkBlock(body, { ...frame, conditional: true });
        const alt = node.childForFieldName('alternative')?.childForFieldName('body');
        if (alt) this.walkBlock(alt, { ...frame, conditional: true });
        return;
      }
      case 'try_statement':
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'block') this.walkBlock(c, frame);
          else if (c.type === 'except_clause' || c.type === 'except_group_clause') {
            const body = c.namedChildren.find((x) => x?.type === 'block');
            if (body) this.walkBlock(body, { ...frame, conditional: true });
          } else {
            const body = c.childForFieldName('body') ?? c.namedChildren.find((x) => x?.type === 'block');
            if (body) this.walkBlock(body, frame);
          }
        }
        return;
      case 'with_statement': {
        const clause = node.namedChildren.find((c) => c?.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          const value = item?.type === 'with_item' ? item.childForFieldName('value') : undefined;
          if (!value) continue;
          if (value.type === 'as_pattern') {
            const expr = value.namedChildren[0];
            const target = value.childForFieldName('alias')?.namedChildren[0];
            this.scan(expr, frame);
            if (expr && target) this.assign(target, this.evaluate(expr, frame), frame);
          } else this.scan(value, frame);
        }
        const body = node.childForFieldName('body');
        if (body) this.walkBlock(body, frame);
        return;
      }
      case 'match_statement': {
        this.scan(node.childForFieldName('subject'), frame);
        for (const clause of node.childForFieldName('body')?.namedChildren ?? []) {
          const body = clause?.type === 'case_clause' ? clause.childForFieldName('consequence') : undefined;
          if (body) this.walkBlock(body, { ...frame, conditional: true });
        }
        return;
      }
      case 'return_statement': {
        const expr = node.namedChildren[0];
        this.scan(expr, frame);
        if (frame.fn && expr) {
          const v = this.evaluate(expr, frame);
          if (!frame.fn.returns || (frame.fn.returns.t === 'unknown' && v.t !== 'unknown')) frame.fn.returns = v;
        }
        return;
      }
      case 'block':
      case 'ERROR':
      case 'module':
        // Inside a parse error, whatever still looks like a statement is walked as one.
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (/statement$|definition$|^ERROR$|^block$/.test(c.type)) this.walkStatement(c, frame);
          else this.walkExpressionStatement(c, frame);
        }
        return;
      default:
        this.scan(node, frame);
    }
  }

  private walkExpressionStatement(expr: SyntaxNode, frame: Frame): void {
    if (expr.type === 'assignment') {
      this.scan(expr.childForFieldName('right'), frame);
      this.walkAssignment(expr, frame);
      return;
    }
    if (expr.type === 'augmented_assignment') {
      const left = expr.childForFieldName('left');
      const right = expr.childForFieldName('right');
      this.scan(right, frame);
      const op = expr.childForFieldName('operator')?.text;
      if (left && right && left.type === 'identifier') {
        const before = this.evaluate(left, frame);
        const after = op === '+=' ? this.add(before, left, this.evaluate(right, frame), right) : this.unknown(expr);
        frame.scope.vars.set(left.text, after);
      }
      return;
    }
    this.scan(expr, frame);
  }

  /** `a = b = value`: every target gets the value of the rightmost expression. */
  private walkAssignment(node: SyntaxNode, frame: Frame): void {
    const targets: SyntaxNode[] = [];
    let cur: SyntaxNode | null = node;
    while (cur && cur.type === 'assignment') {
      const left = cur.childForFieldName('left');
      if (left) targets.push(left);
      const right: SyntaxNode | null = cur.childForFieldName('right');
      if (!right) return; // a bare annotation: `x: int`
      if (right.type !== 'assignment') {
        const value = this.evaluate(right, frame);
        for (const t of targets) this.assign(t, value, frame, right);
        return;
      }
      cur = right;
    }
  }

  private assign(target: SyntaxNode, value: Value, frame: Frame, valueNode?: SyntaxNode): void {
    switch (target.type) {
      case 'identifier':
        frame.scope.vars.set(target.text, value);
        return;
      case 'attribute': {
        const obj = target.childForFieldName('object');
        const name = target.childForFieldName('attribute')?.text;
        if (!obj || !name) return;
        const base = this.evaluate(obj, frame);
        if (base.t === 'instance') base.cls.instanceAttrs.set(name, value);
        else if (base.t === 'class') base.cls.scope.vars.set(name, value);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list': {
        const targets = target.namedChildren.filter((c): c is SyntaxNode => !!c);
        const items = value.t === 'list' && value.items.length === targets.length ? value.items : undefined;
        targets.forEach((t, i) => this.assign(t, items ? items[i] : this.unknown(valueNode ?? t), frame));
        return;
      }
      case 'parenthesized_expression': {
        const inner = target.namedChildren[0];
        if (inner) this.assign(inner, value, frame, valueNode);
        return;
      }
      default:
        return;
    }
  }

  /** A `for` over a literal list or tuple runs its body once per item; any other loop once, with unknown targets. */
  private walkFor(node: SyntaxNode, frame: Frame): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const body = node.childForFieldName('body');
    this.scan(right, frame);
    const iterable = right ? this.evaluate(right, frame) : undefined;
    if (left && body && iterable?.t === 'list' && iterable.items.length > 0 && iterable.items.length <= maxLoopItems) {
      for (const item of iterable.items) {
        this.assign(left, item, frame, right ?? undefined);
        this.walkBlock(body, frame);
      }
    } else if (body) {
      if (left) this.assign(left, this.unknown(left), frame);
      this.walkBlock(body, { ...frame, conditional: true });
    }
    const alt = node.childForFieldName('alternative')?.childForFieldName('body');
    if (alt) this.walkBlock(alt, frame);
  }

  private walkDecorated(node: SyntaxNode, frame: Frame): void {
    const definition = node.childForFieldName('definition');
    const decorators = node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'decorator');
    for (const d of decorators) {
      const expr = d.namedChildren[0];
      if (expr?.type === 'call') this.scan(expr.childForFieldName('arguments'), frame);
    }
    if (!definition) return;
    const names = decorators.map((d) => d.namedChildren[0]?.text ?? '');
    if (definition.type === 'function_definition') this.defineFunction(definition, frame, names);
    else if (definition.type === 'class_definition') this.defineClass(definition, frame);
    for (const d of decorators) this.domain.onDecorator?.(d, definition, frame);
  }

  private defineFunction(node: SyntaxNode, frame: Frame, decorators: string[]): PyFunction | undefined {
    const name = node.childForFieldName('name')?.text;
    if (!name) return undefined;
    const key = `${frame.module.file}:${node.startIndex}`;
    let fn = this.functions.get(key);
    if (!fn) {
      const closure = frame.scope.kind === 'class' ? (frame.scope.parent ?? frame.module.scope) : frame.scope;
      const cls = frame.scope.kind === 'class' ? this.classOfScope(frame.scope) : undefined;
      fn = new PyFunction(name, node, frame.module, closure, parametersOf(node.childForFieldName('parameters')), decorators, cls);
      this.functions.set(key, fn);
      if (cls) cls.methods.set(name, fn);
      (frame.fn ? this.nestedPending(frame.fn) : frame.module.pending).push(fn);
    }
    frame.scope.vars.set(name, { t: 'func', fn, bound: false });
    return fn;
  }

  private readonly nested = new Map<PyFunction, PyFunction[]>();
  private nestedPending(fn: PyFunction): PyFunction[] {
    let list = this.nested.get(fn);
    if (!list) this.nested.set(fn, (list = []));
    return list;
  }

  private readonly classScopes = new Map<Scope, PyClass>();
  private classOfScope(scope: Scope): PyClass | undefined {
    return this.classScopes.get(scope);
  }

  private defineClass(node: SyntaxNode, frame: Frame): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const bases: Value[] = [];
    const superclasses = node.childForFieldName('superclasses');
    for (const b of superclasses?.namedChildren ?? []) {
      if (b && b.type !== 'keyword_argument') bases.push(this.evaluate(b, frame));
    }
    const scope = new Scope(frame.module, frame.scope, 'class');
    const cls = new PyClass(name, node, frame.module, scope, bases);
    this.classScopes.set(scope, cls);
    frame.scope.vars.set(name, { t: 'class', cls });
    const body = node.childForFieldName('body');
    if (body) this.walkBlock(body, { scope, module: frame.module, conditional: frame.conditional, fn: frame.fn });
  }

  /** Walks a function body once; returns what it returns. */
  runFunction(fn: PyFunction): Value | undefined {
    if (fn.state !== 'new') return fn.returns;
    fn.state = 'running';
    const scope = new Scope(fn.module, fn.closure, 'function');
    const isStatic = fn.decorators.includes('staticmethod');
    const isClassMethod = fn.decorators.includes('classmethod');
    fn.params.forEach((p, i) => {
      let v: Value = { t: 'param', fn, index: i, name: p.name };
      if (i === 0 && fn.cls && !isStatic && p.kind === 'normal') v = isClassMethod ? { t: 'class', cls: fn.cls } : { t: 'instance', cls: fn.cls };
      else if (p.annotation && this.domain.annotated) {
        const frame: Frame = { scope: fn.closure, module: fn.module, conditional: false };
        for (const t of annotationTypes(p.annotation)) {
          const q = qualifiedName(this.evaluate(t, frame));
          const typed = q ? this.domain.annotated(q) : undefined;
          if (typed) {
            v = typed;
            break;
          }
        }
      }
      scope.vars.set(p.name, v);
    });
    const body = fn.node.childForFieldName('body');
    const frame: Frame = { scope, module: fn.module, conditional: false, fn };
    if (body) this.guarded(fn.module.file, () => this.walkBlock(body, frame));
    fn.state = 'done';
    const nested = this.nested.get(fn);
    if (nested) this.flushPending(nested);
    return fn.returns;
  }

  // ---------------------------------------------------------------- calls seen in order

  /** Reports every call inside an expression to the domain, outermost first (lambdas and comprehensions included). */
  scan(node: SyntaxNode | null | undefined, frame: Frame): void {
    if (!node || !this.domain.onCall) return;
    // descendantsOfType runs inside tree-sitter: far cheaper than visiting every node from JS.
    for (const call of node.descendantsOfType('call')) if (call) this.domain.onCall(call, frame);
  }

  // ---------------------------------------------------------------- values

  unknown(node: SyntaxNode): Value {
    return { t: 'unknown', text: compact(node.text) };
  }

  lookup(name: string, frame: Frame): Value | undefined {
    for (let s: Scope | undefined = frame.scope; s; s = s.parent) {
      if (s.kind === 'class' && s !== frame.scope) continue;
      const v = s.vars.get(name);
      if (v) return this.deref(v);
    }
    for (const star of frame.module.stars) {
      const v = this.moduleAttr(star, name);
      if (v) return v;
    }
    return undefined;
  }

  evaluate(node: SyntaxNode, frame: Frame): Value {
    if (this.depth > maxDepth) return this.unknown(node);
    this.depth++;
    try {
      return this.evaluateInner(node, frame);
    } finally {
      this.depth--;
    }
  }

  private evaluateInner(node: SyntaxNode, frame: Frame): Value {
    switch (node.type) {
      case 'string':
        return { t: 'str', v: this.stringParts(node, frame) };
      case 'concatenated_string':
        return { t: 'str', v: concatParts(...node.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => this.stringParts(c, frame))) };
      case 'integer':
      case 'float':
        return { t: 'num', text: node.text };
      case 'true':
        return { t: 'bool', v: true };
      case 'false':
        return { t: 'bool', v: false };
      case 'none':
        return { t: 'none' };
      case 'identifier': {
        const v = this.lookup(node.text, frame);
        return v ?? { t: 'unknown', text: node.text, unbound: node.text };
      }
      case 'attribute': {
        const obj = node.childForFieldName('object');
        const name = node.childForFieldName('attribute')?.text;
        if (!obj || !name) return this.unknown(node);
        return this.attribute(this.evaluate(obj, frame), name, node);
      }
      case 'call':
        return this.evaluateCall(node, frame);
      case 'parenthesized_expression':
      case 'await':
      case 'type': {
        const inner = node.namedChildren.find((c) => c?.type !== 'comment');
        return inner ? this.evaluate(inner, frame) : this.unknown(node);
      }
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        if (!left || !right) return this.unknown(node);
        if (op === '+') return this.add(this.evaluate(left, frame), left, this.evaluate(right, frame), right, node);
        if (op === '%') return this.percent(left, right, frame, node);
        return this.unknown(node);
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        const nodes = node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
        if (nodes.some((c) => c.type === 'list_splat')) return this.unknown(node);
        return { t: 'list', items: nodes.map((c) => this.evaluate(c, frame)), nodes };
      }
      case 'dictionary': {
        const entries = new Map<string, Value>();
        for (const pair of node.namedChildren) {
          if (pair?.type !== 'pair') continue;
          const k = pair.childForFieldName('key');
          const v = pair.childForFieldName('value');
          if (!k || !v) continue;
          const key = this.literal(this.evaluate(k, frame));
          if (key !== undefined) entries.set(key, this.evaluate(v, frame));
        }
        return { t: 'dict', entries };
      }
      case 'subscript': {
        const base = node.childForFieldName('value');
        const index = node.childForFieldName('subscript');
        if (!base || !index) return this.unknown(node);
        const b = this.evaluate(base, frame);
        const i = this.evaluate(index, frame);
        if (b.t === 'dict') {
          const key = this.literal(i);
          const v = key !== undefined ? b.entries.get(key) : undefined;
          if (v) return v;
        }
        if (b.t === 'list' && i.t === 'num' && /^-?\d+$/.test(i.text)) {
          const n = Number(i.text);
          const v = b.items[n < 0 ? b.items.length + n : n];
          if (v) return v;
        }
        return this.unknown(node);
      }
      default:
        return this.unknown(node);
    }
  }

  attribute(base: Value, name: string, node: SyntaxNode): Value {
    const text = compact(node.text);
    switch (base.t) {
      case 'module':
        return this.moduleAttr(base.mod, name) ?? { t: 'unknown', text };
      case 'external':
        return { t: 'external', name: `${base.name}.${name}` };
      case 'class': {
        const v = this.classAttr(base.cls, name);
        if (v) return v.t === 'func' ? { ...v, bound: false } : v;
        break;
      }
      case 'instance': {
        const v = base.kwargs?.get(name) ?? base.cls.instanceAttrs.get(name) ?? this.classAttr(base.cls, name);
        if (v) return v.t === 'func' ? { ...v, bound: true } : v;
        const inherited = this.instanceAttrFromBases(base.cls, name);
        if (inherited) return inherited;
        break;
      }
      case 'str':
        // Enum members used as strings: `Paths.ITEMS.value`.
        if (name === 'value') return base;
        break;
      case 'obj': {
        const v = this.domain.attribute?.(base.obj, name);
        if (v) return v;
        break;
      }
      default:
        break;
    }
    return { t: 'attr', base, name, text };
  }

  /** A class attribute or method, through project base classes. */
  classAttr(cls: PyClass, name: string, seen = new Set<PyClass>()): Value | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const own = cls.scope.vars.get(name);
    if (own) return this.deref(own);
    for (const b of cls.bases) {
      if (b.t === 'class') {
        const v = this.classAttr(b.cls, name, seen);
        if (v) return v;
      }
    }
    return undefined;
  }

  private instanceAttrFromBases(cls: PyClass, name: string, seen = new Set<PyClass>()): Value | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    for (const b of cls.bases) {
      if (b.t !== 'class') continue;
      const v = b.cls.instanceAttrs.get(name) ?? this.instanceAttrFromBases(b.cls, name, seen);
      if (v) return v;
    }
    return undefined;
  }

  /** The library classes a project class derives from (`fastapi.FastAPI`, `flask.views.MethodView`). */
  externalBases(cls: PyClass, seen = new Set<PyClass>()): string[] {
    if (seen.has(cls)) return [];
    seen.add(cls);
    const out: string[] = [];
    for (const b of cls.bases) {
      if (b.t === 'class') out.push(...this.externalBases(b.cls, seen));
      else {
        const q = qualifiedName(b);
        if (q) out.push(q);
      }
    }
    return out;
  }

  private evaluateCall(node: SyntaxNode, frame: Frame): Value {
    const key = `${frame.module.file}:${node.startIndex}:${node.endIndex}`;
    const memo = this.memo.get(key);
    if (memo) return memo;
    const fnNode = node.childForFieldName('function');
    if (!fnNode) return this.unknown(node);
    const callee = this.evaluate(fnNode, frame);
    let result: Value | undefined;
    const q = qualifiedName(callee);
    if (q) {
      result = this.domain.construct?.(q, node, frame) ?? this.libraryCall(q, node, frame);
    } else if (callee.t === 'class') {
      for (const base of this.externalBases(callee.cls)) {
        result = this.domain.constructSubclass?.(base, callee.cls, node, frame);
        if (result) break;
      }
      if (!result) {
        result = { t: 'instance', cls: callee.cls, kwargs: this.keywordValues(node, frame) };
        // Constructing runs __init__: its `self.x = ...` are then known to whoever reads them next.
        const init = this.classAttr(callee.cls, '__init__');
        if (init?.t === 'func') this.runFunction(init.fn);
      }
    } else if (callee.t === 'func') {
      const r = this.runFunction(callee.fn);
      result = r && r.t !== 'param' ? r : undefined;
    } else if (callee.t === 'attr') {
      result = this.methodCall(callee.base, callee.name, node, frame);
    }
    result ??= this.unknown(node);
    if (result.t === 'obj' || result.t === 'instance' || result.t === 'view') this.memo.set(key, result);
    return result;
  }

  private keywordValues(call: SyntaxNode, frame: Frame): Map<string, Value> | undefined {
    const args = call.childForFieldName('arguments');
    let out: Map<string, Value> | undefined;
    for (const a of args?.namedChildren ?? []) {
      if (a?.type !== 'keyword_argument') continue;
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) (out ??= new Map()).set(name, this.evaluate(value, frame));
    }
    return out;
  }

  /** Builtins and library calls whose value is known (`str(x)`, `pydantic.Field("/api")`). */
  private libraryCall(q: string, call: SyntaxNode, frame: Frame): Value | undefined {
    const args = callArguments(call);
    if (q === 'str' && args.positional.length === 1) {
      const v = this.evaluate(args.positional[0], frame);
      const parts = this.fold(v, args.positional[0]);
      return { t: 'str', v: parts };
    }
    if (/(^|\.)Field$/.test(q) && /^(pydantic|pydantic_settings|sqlmodel)\b|^Field$/.test(q)) {
      const d = args.positional[0] ?? args.keyword.get('default');
      return d ? this.evaluate(d, frame) : undefined;
    }
    return undefined;
  }

  private methodCall(base: Value, name: string, call: SyntaxNode, frame: Frame): Value | undefined {
    if (base.t === 'obj') return this.domain.callMethod?.(base.obj, name, call, frame);
    if (base.t === 'class' && name === 'as_view') return { t: 'view', cls: base.cls };
    if (base.t === 'str') {
      const fmt = literalOf(base.v);
      const args = callArguments(call);
      if (name === 'format' && fmt !== undefined) return this.braceFormat(fmt, args, frame, call);
      if (name === 'join' && fmt !== undefined && args.positional.length === 1) {
        const seq = this.evaluate(args.positional[0], frame);
        if (seq.t !== 'list') return undefined;
        const parts: Part[][] = [];
        seq.items.forEach((item, i) => {
          if (i > 0) parts.push([fmt]);
          parts.push(this.fold(item, seq.nodes[i] ?? args.positional[0]));
        });
        return { t: 'str', v: concatParts(...parts) };
      }
      const lit = literalOf(base.v);
      if (lit !== undefined && args.positional.length === 0) {
        if (name === 'lower') return { t: 'str', v: [lit.toLowerCase()] };
        if (name === 'upper') return { t: 'str', v: [lit.toUpperCase()] };
        if (name === 'rstrip' || name === 'lstrip' || name === 'strip') {
          const l = name === 'rstrip' ? lit.replace(/\s+$/, '') : name === 'lstrip' ? lit.replace(/^\s+/, '') : lit.trim();
          return { t: 'str', v: [l] };
        }
      }
      if (lit !== undefined && (name === 'rstrip' || name === 'lstrip' || name === 'strip') && args.positional.length === 1) {
        const chars = this.literal(this.evaluate(args.positional[0], frame));
        if (chars !== undefined) {
          let l = lit;
          const has = (c: string) => chars.includes(c);
          if (name !== 'lstrip') while (l && has(l[l.length - 1])) l = l.slice(0, -1);
          if (name !== 'rstrip') while (l && has(l[0])) l = l.slice(1);
          return { t: 'str', v: [l] };
        }
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- strings

  /** A value as string parts; what is not a known string becomes one hole with the source text. */
  fold(value: Value, node: SyntaxNode | undefined): Part[] {
    switch (value.t) {
      case 'str':
        return value.v;
      case 'num':
        return [value.text];
      case 'bool':
        return [value.v ? 'True' : 'False'];
      case 'none':
        return ['None'];
      default:
        return [this.hole(value, node)];
    }
  }

  /** The value as a literal string, when it is one with no holes. */
  literal(value: Value): string | undefined {
    if (value.t === 'str') return literalOf(value.v);
    if (value.t === 'num') return value.text;
    return undefined;
  }

  private hole(value: Value, node: SyntaxNode | undefined): Hole {
    const text = node ? compact(node.text) : value.t === 'unknown' || value.t === 'attr' ? value.text : value.t === 'param' ? value.name : '?';
    const ref = node ? refName(node) : undefined;
    return ref ? { opaque: text, ref } : { opaque: text };
  }

  private stringParts(node: SyntaxNode, frame: Frame): Part[] {
    if (node.type !== 'string') return this.fold(this.evaluate(node, frame), node);
    const start = node.children.find((c) => c?.type === 'string_start');
    const prefix = parsePrefix(start?.text ?? '"');
    const parts: Part[] = [];
    for (const c of node.children) {
      if (!c) continue;
      if (c.type === 'string_content' || c.type === 'escape_sequence') parts.push(decodeContent(c.text, prefix));
      else if (c.type === 'interpolation') {
        const expr = c.childForFieldName('expression');
        const formatted = c.childForFieldName('format_specifier') || c.childForFieldName('type_conversion')?.text === '!r' || c.childForFieldName('type_conversion')?.text === '!a';
        if (!expr) continue;
        const v = this.evaluate(expr, frame);
        parts.push(...(formatted ? [this.hole(v, expr)] : this.fold(v, expr)));
      }
    }
    return concatParts(parts);
  }

  private add(a: Value, aNode: SyntaxNode, b: Value, bNode: SyntaxNode, node?: SyntaxNode): Value {
    const stringy = (v: Value) => v.t === 'str';
    if (a.t === 'list' && b.t === 'list') return { t: 'list', items: [...a.items, ...b.items], nodes: [...a.nodes, ...b.nodes] };
    if (a.t === 'num' && b.t === 'num') return node ? this.unknown(node) : { t: 'unknown', text: `${a.text}+${b.text}` };
    if (!stringy(a) && !stringy(b) && (a.t !== 'unknown' && a.t !== 'attr' && a.t !== 'param' || b.t !== 'unknown' && b.t !== 'attr' && b.t !== 'param')) {
      return node ? this.unknown(node) : { t: 'unknown', text: `${aNode.text} + ${bNode.text}` };
    }
    return { t: 'str', v: concatParts(this.fold(a, aNode), this.fold(b, bNode)) };
  }

  private percent(left: SyntaxNode, right: SyntaxNode, frame: Frame, node: SyntaxNode): Value {
    const l = this.evaluate(left, frame);
    const fmt = l.t === 'str' ? literalOf(l.v) : undefined;
    const fields = fmt !== undefined ? percentFields(fmt) : undefined;
    if (fmt === undefined || !fields) return this.unknown(node);
    let inner: SyntaxNode = right;
    while (inner.type === 'parenthesized_expression' && inner.namedChildren[0]) inner = inner.namedChildren[0];
    const positional = inner.type === 'tuple' ? inner.namedChildren.filter((c): c is SyntaxNode => !!c) : [inner];
    const named = inner.type === 'dictionary' ? this.evaluate(inner, frame) : undefined;
    const parts: Part[] = [];
    let last = 0;
    let next = 0;
    for (const f of fields) {
      parts.push(fmt.slice(last, f.start));
      last = f.end;
      if (f.conversion === '%') {
        parts.push('%');
        continue;
      }
      let v: Value | undefined;
      let vNode: SyntaxNode | undefined;
      if (f.name !== undefined) {
        if (named?.t !== 'dict') return this.unknown(node);
        v = named.entries.get(f.name);
        vNode = inner;
      } else {
        vNode = positional[next++];
        v = vNode ? this.evaluate(vNode, frame) : undefined;
      }
      if (!v) return this.unknown(node);
      parts.push(...('sdi'.includes(f.conversion) ? this.fold(v, vNode) : [this.hole(v, vNode)]));
    }
    if (positionalCountMismatch(fields, positional.length, inner.type)) return this.unknown(node);
    parts.push(fmt.slice(last));
    return { t: 'str', v: concatParts(parts) };
  }

  private braceFormat(fmt: string, args: CallArguments, frame: Frame, call: SyntaxNode): Value {
    const parsed = braceFields(fmt);
    if (!parsed) return this.unknown(call);
    const parts: Part[] = [];
    let auto = 0;
    for (let i = 0; i < parsed.fields.length; i++) {
      parts.push(parsed.literals[i]);
      const f = parsed.fields[i];
      const argNode = f.key === '' ? args.positional[auto++] : /^\d+$/.test(f.key) ? args.positional[Number(f.key)] : args.keyword.get(f.key);
      if (!argNode) return this.unknown(call);
      const v = this.evaluate(argNode, frame);
      parts.push(...(f.complex ? [this.hole(v, argNode)] : this.fold(v, argNode)));
    }
    parts.push(parsed.literals[parsed.literals.length - 1]);
    return { t: 'str', v: concatParts(parts) };
  }
}

function positionalCountMismatch(fields: { name?: string; conversion: string }[], positional: number, type: string): boolean {
  const used = fields.filter((f) => f.conversion !== '%' && f.name === undefined).length;
  return type === 'tuple' ? used !== positional : used > 1;
}

/** The types an annotation names: `X`, `X | None`, `Optional[X]`, `"X"` is not followed. */
function annotationTypes(node: SyntaxNode): SyntaxNode[] {
  if (node.type === 'type' || node.type === 'parenthesized_expression') return node.namedChildren[0] ? annotationTypes(node.namedChildren[0]) : [];
  if (node.type === 'binary_operator') {
    return [node.childForFieldName('left'), node.childForFieldName('right')].flatMap((c) => (c ? annotationTypes(c) : []));
  }
  if (node.type === 'subscript' || node.type === 'generic_type') {
    const inner = node.childForFieldName('subscript') ?? node.namedChildren[1];
    return inner ? annotationTypes(inner) : [];
  }
  return [node];
}

/** `fastapi.APIRouter` for an imported library name; the bare name when nothing binds it. */
export function qualifiedName(v: Value): string | undefined {
  if (v.t === 'external') return v.name;
  if (v.t === 'unknown' && v.unbound) return v.unbound;
  return undefined;
}

/** The name a path parameter would get from an expression: `session_id`, `self.id` → `id`, `quote(x)` → `x`. */
export function refName(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'attribute':
      return node.childForFieldName('attribute')?.text;
    case 'subscript': {
      const idx = node.childForFieldName('subscript');
      if (idx?.type === 'string') {
        const content = idx.children.find((c) => c?.type === 'string_content')?.text;
        if (content && /^[A-Za-z_][\w-]*$/.test(content)) return content;
      }
      const base = node.childForFieldName('value');
      return base ? refName(base) : undefined;
    }
    case 'call': {
      const first = node.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'keyword_argument' && c.type !== 'comment');
      return first ? refName(first) : undefined;
    }
    case 'parenthesized_expression':
    case 'await': {
      const inner = node.namedChildren[0];
      return inner ? refName(inner) : undefined;
    }
    default:
      return undefined;
  }
}

export interface CallArguments {
  positional: SyntaxNode[];
  keyword: Map<string, SyntaxNode>;
  /** `*args` or `**kwargs` in the call: positions after it are unknown. */
  splat: boolean;
}

export function callArguments(call: SyntaxNode): CallArguments {
  const out: CallArguments = { positional: [], keyword: new Map(), splat: false };
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) out.keyword.set(name, value);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') out.splat = true;
    else if (a.type === 'generator_expression') out.positional.push(a);
    else out.positional.push(a);
  }
  if (args?.type === 'generator_expression') out.positional.push(args);
  return out;
}

export function parametersOf(node: SyntaxNode | null): ParamInfo[] {
  const out: ParamInfo[] = [];
  let kwonly = false;
  for (const p of node?.namedChildren ?? []) {
    if (!p) continue;
    switch (p.type) {
      case 'identifier':
        out.push({ name: p.text, hasDefault: false, kind: kwonly ? 'kwonly' : 'normal' });
        break;
      case 'typed_parameter': {
        const id = p.namedChildren.find((c) => c?.type === 'identifier');
        const splat = p.namedChildren.find((c) => c?.type === 'list_splat_pattern' || c?.type === 'dictionary_splat_pattern');
        if (splat) {
          const name = splat.namedChildren[0]?.text ?? '';
          out.push({ name, hasDefault: true, kind: splat.type === 'list_splat_pattern' ? 'args' : 'kwargs' });
          if (splat.type === 'list_splat_pattern') kwonly = true;
        } else if (id) out.push({ name: id.text, hasDefault: false, kind: kwonly ? 'kwonly' : 'normal', annotation: p.childForFieldName('type') ?? undefined });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = p.childForFieldName('name')?.text;
        if (name) out.push({ name, hasDefault: true, kind: kwonly ? 'kwonly' : 'normal', annotation: p.childForFieldName('type') ?? undefined });
        break;
      }
      case 'list_splat_pattern':
        out.push({ name: p.namedChildren[0]?.text ?? '', hasDefault: true, kind: 'args' });
        kwonly = true;
        break;
      case 'dictionary_splat_pattern':
        out.push({ name: p.namedChildren[0]?.text ?? '', hasDefault: true, kind: 'kwargs' });
        break;
      case 'keyword_separator':
        kwonly = true;
        break;
      default:
        break;
    }
  }
  return out;
}
