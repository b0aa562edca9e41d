import type { ProjectContext } from '../context';
import type { ClientConfig, Framework } from '../config/config';
import type { Span } from '../findings';
import type { SyntaxNode } from '../source/treesitter';
import { Folder, ModuleResolver, readModule, stringOf, type ModuleInfo } from './jsModules';
import { concatFolded, foldedText, type Extraction, type Folded, type MountStep, type SdkCall, type SourceRoute } from './model';

const verbs = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'all']);
const functionTypes = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);
const conditionalTypes = new Set(['if_statement', 'ternary_expression', 'switch_statement', 'conditional_expression']);

interface Registration {
  node: string;
  methods: string[];
  paths: { value: Folded; span: Span }[];
  callSpan: Span;
  conditional: boolean;
  websocket: boolean;
}

interface Edge {
  parent: string;
  child: string;
  prefix: Folded;
  span: Span;
  label: string;
  conditional: boolean;
}

/** Walks every node of a tree once, depth first. */
function walk(root: SyntaxNode, visit: (n: SyntaxNode) => void): void {
  const cursor = root.walk();
  let descend = true;
  for (;;) {
    if (descend) visit(cursor.currentNode);
    if (descend && cursor.gotoFirstChild()) continue;
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  cursor.delete();
}

function isConditional(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (functionTypes.has(p.type) || p.type === 'class_body') return false;
    if (conditionalTypes.has(p.type)) return true;
    if (p.type === 'binary_expression' && /&&|\|\|/.test(p.children.find((c) => c && !c.isNamed)?.text ?? '')) return true;
  }
  return false;
}

/**
 * Route extraction for the JavaScript/TypeScript frameworks (Fastify, Express, Koa, Hono) and
 * NestJS, by parsing: every registration call becomes a route on a router node, every mount an
 * edge with a prefix, and full paths are the concatenations along the mount graph.
 */
export class JsRouteExtractor {
  private readonly modules = new Map<string, ModuleInfo | null>();
  readonly resolver: ModuleResolver;
  readonly folder: Folder;
  private readonly registrations: Registration[] = [];
  private readonly edges: Edge[] = [];
  private readonly nodePrefixes = new Map<string, { value: Folded; span: Span; label: string }>();
  private readonly routes: SourceRoute[] = [];

  constructor(
    private readonly ctx: ProjectContext,
    private readonly framework: Framework,
  ) {
    this.resolver = new ModuleResolver(ctx, ctx.config.server?.tsconfig);
    this.folder = new Folder((f) => this.module(f), this.resolver);
  }

  module(file: string): ModuleInfo | undefined {
    if (!this.modules.has(file)) {
      const source = this.ctx.source(file);
      this.modules.set(file, source && source.language !== 'python' ? readModule(file, source) : null);
    }
    return this.modules.get(file) ?? undefined;
  }

  extract(files: string[]): Extraction {
    for (const file of files) {
      const mod = this.module(file);
      if (!mod) continue;
      if (this.framework === 'nestjs') this.nestFile(mod);
      else this.scanFile(mod);
    }
    if (this.framework === 'nestjs') this.finishNest(files);
    else this.resolveGraph();
    return { routes: this.routes, files: [...this.modules.keys()] };
  }

  private span(file: string, n: SyntaxNode): Span {
    return { file, start: n.startIndex, end: n.endIndex };
  }

  // ---- router identity ------------------------------------------------------------------------

  /** The router node an expression denotes: a variable, a function parameter, `this.x`, a chain root. */
  private nodeKey(file: string, expr: SyntaxNode): string {
    if (expr.type === 'identifier') {
      for (let p = expr.parent; p; p = p.parent) {
        if (!functionTypes.has(p.type)) continue;
        const params = p.childForFieldName('parameters');
        const list = params ? params.namedChildren : p.childForFieldName('parameter') ? [p.childForFieldName('parameter')] : [];
        const index = list.findIndex((param) => param && (param.type === 'identifier' ? param.text : param.childForFieldName('pattern')?.text) === expr.text);
        if (index >= 0) return `param:${file}:${p.startIndex}:${index}`;
      }
      return this.bindingKey(file, expr.text) ?? `var:${file}:${expr.text}`;
    }
    if (expr.type === 'member_expression' && expr.childForFieldName('object')?.type === 'this') {
      let cls: SyntaxNode | null = expr.parent;
      while (cls && cls.type !== 'class_declaration' && cls.type !== 'class') cls = cls.parent;
      return `this:${file}:${cls?.startIndex ?? 0}:${expr.childForFieldName('property')?.text}`;
    }
    if (expr.type === 'call_expression' || expr.type === 'new_expression' || expr.type === 'await_expression') {
      // A builder chain: `new Hono().basePath('/api').get(...)`: the node is what the chain is assigned to.
      let top: SyntaxNode = expr;
      while (top.parent && (top.parent.type === 'member_expression' || top.parent.type === 'call_expression' || top.parent.type === 'await_expression' || top.parent.type === 'parenthesized_expression')) top = top.parent;
      if (top.parent?.type === 'variable_declarator') return this.bindingKey(file, top.parent.childForFieldName('name')!.text) ?? `var:${file}:${top.parent.childForFieldName('name')!.text}`;
      let root: SyntaxNode = expr;
      for (;;) {
        const fn = root.type === 'call_expression' ? root.childForFieldName('function') : root.type === 'await_expression' ? root.namedChildren[0] : null;
        const obj = fn?.type === 'member_expression' ? fn.childForFieldName('object') : root.type === 'await_expression' ? fn : null;
        if (!obj) break;
        root = obj;
      }
      if (root.type === 'identifier' || (root.type === 'member_expression' && root.childForFieldName('object')?.type === 'this')) return this.nodeKey(file, root);
      return `anon:${file}:${root.startIndex}`;
    }
    return `expr:${file}:${expr.text}`;
  }

  /** Follows imports so that a router used in two files is one node. */
  private bindingKey(file: string, name: string, depth = 0): string | undefined {
    const mod = this.module(file);
    if (!mod || depth > 10) return undefined;
    if (mod.consts.has(name) || mod.functions.has(name)) {
      const fn = mod.functions.get(name);
      return fn ? `param:${file}:${fn.startIndex}:0` : `var:${file}:${name}`;
    }
    const imp = mod.imports.get(name);
    if (!imp) return undefined;
    const target = this.resolver.resolve(file, imp.module);
    if (!target) return undefined;
    const tm = this.module(target);
    if (!tm) return undefined;
    if (imp.name === '*') return `ns:${target}`;
    const local = tm.exports.get(imp.name);
    if (local?.startsWith('\0reexport:')) {
      const re = tm.imports.get(local)!;
      const next = this.resolver.resolve(target, re.module);
      if (!next) return undefined;
      const nm = this.module(next);
      const nl = nm?.exports.get(re.name);
      return nl ? this.bindingKey(next, nl, depth + 1) : nm?.defaultExport && re.name === 'default' ? this.exprKey(next, nm.defaultExport) : undefined;
    }
    if (local) return this.bindingKey(target, local, depth + 1) ?? `var:${target}:${local}`;
    if (imp.name === 'default' && tm.defaultExport) return this.exprKey(target, tm.defaultExport);
    return undefined;
  }

  /** Key of an expression that may itself be a function (a plugin) or a router creation. */
  private exprKey(file: string, expr: SyntaxNode): string {
    if (functionTypes.has(expr.type)) return `param:${file}:${expr.startIndex}:0`;
    if (expr.type === 'call_expression' && /^(fp|fastifyPlugin)$/.test(expr.childForFieldName('function')?.text ?? '')) {
      const inner = expr.childForFieldName('arguments')?.namedChildren[0];
      if (inner) return this.exprKey(file, inner);
    }
    return this.nodeKey(file, expr);
  }

  /** For `register(x)` and `fn(app)`: the function node a value denotes, and whether fastify-plugin wraps it. */
  private pluginKey(file: string, expr: SyntaxNode): { key: string; skipPrefix: boolean } | undefined {
    if (functionTypes.has(expr.type)) return { key: `param:${file}:${expr.startIndex}:0`, skipPrefix: false };
    if (expr.type === 'call_expression') {
      const callee = expr.childForFieldName('function');
      const arg = expr.childForFieldName('arguments')?.namedChildren[0];
      if (callee && /^(fp|fastifyPlugin)$/.test(callee.text) && arg) {
        const inner = this.pluginKey(file, arg);
        return inner ? { key: inner.key, skipPrefix: true } : undefined;
      }
      if (callee?.type === 'import' && arg) {
        const module = stringOf(arg);
        const target = module ? this.resolver.resolve(file, module) : undefined;
        const tm = target ? this.module(target) : undefined;
        if (target && tm) {
          const local = tm.exports.get('default');
          if (local) return this.pluginKeyByName(target, local);
          if (tm.defaultExport) return this.pluginKey(target, tm.defaultExport);
        }
      }
      if (callee?.type === 'member_expression' && ['routes', 'middleware'].includes(callee.childForFieldName('property')?.text ?? '')) {
        return { key: this.nodeKey(file, callee.childForFieldName('object')!), skipPrefix: false };
      }
      return undefined;
    }
    if (expr.type === 'identifier') return this.pluginKeyByName(file, expr.text);
    if (expr.type === 'member_expression') return { key: this.nodeKey(file, expr), skipPrefix: false };
    return undefined;
  }

  private pluginKeyByName(file: string, name: string, depth = 0): { key: string; skipPrefix: boolean } | undefined {
    const mod = this.module(file);
    if (!mod || depth > 10) return undefined;
    const fn = mod.functions.get(name);
    if (fn) return { key: `param:${file}:${fn.startIndex}:0`, skipPrefix: false };
    const value = mod.consts.get(name);
    if (value) {
      if (value.type === 'call_expression' || functionTypes.has(value.type)) {
        const k = this.pluginKey(file, value);
        if (k && !k.key.startsWith('expr:')) return k;
      }
      return { key: `var:${file}:${name}`, skipPrefix: false };
    }
    const imp = mod.imports.get(name);
    if (imp) {
      const target = this.resolver.resolve(file, imp.module);
      const tm = target ? this.module(target) : undefined;
      if (target && tm) {
        const local = tm.exports.get(imp.name === '*' ? 'default' : imp.name);
        if (local && !local.startsWith('\0')) return this.pluginKeyByName(target, local, depth + 1);
        if (imp.name === 'default' && tm.defaultExport) return this.pluginKey(target, tm.defaultExport);
      }
    }
    return undefined;
  }

  // ---- scanning -------------------------------------------------------------------------------

  private scanFile(mod: ModuleInfo): void {
    const file = mod.file;
    walk(mod.source.tree.rootNode, (n) => {
      if (n.type === 'variable_declarator') this.creation(file, n);
      if (n.type !== 'call_expression') return;
      const callee = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment') ?? [];
      if (callee?.type === 'identifier') {
        this.functionMount(file, n, callee, args);
        return;
      }
      if (callee?.type !== 'member_expression') return;
      const method = callee.childForFieldName('property')?.text ?? '';
      const receiver = callee.childForFieldName('object');
      if (!receiver) return;
      if (verbs.has(method) || method === 'ws') this.verbCall(file, n, receiver, method, args);
      else if (method === 'route') this.routeCall(file, n, receiver, args);
      else if (method === 'on' && this.framework === 'hono') this.honoOn(file, n, receiver, args);
      else if (method === 'use') this.useCall(file, n, receiver, args);
      else if (method === 'register') this.registerCall(file, n, receiver, args);
      else if ((method === 'basePath' || method === 'prefix') && args[0]) {
        const key = this.nodeKey(file, method === 'basePath' ? n : receiver);
        this.addNodePrefix(key, this.folder.fold(file, args[0]), this.span(file, n), `${method}(${args[0].text})`);
      }
    });
  }

  private addNodePrefix(key: string, value: Folded, span: Span, label: string): void {
    const prior = this.nodePrefixes.get(key);
    this.nodePrefixes.set(key, prior ? { value: concatFolded(prior.value, value), span, label: `${prior.label}.${label}` } : { value, span, label });
  }

  /** `new Router({ prefix: '/x' })` (Koa) at a binding. */
  private creation(file: string, decl: SyntaxNode): void {
    const value = decl.childForFieldName('value');
    const name = decl.childForFieldName('name');
    if (value?.type !== 'new_expression' || name?.type !== 'identifier') return;
    const opts = value.childForFieldName('arguments')?.namedChildren[0];
    if (opts?.type !== 'object') return;
    const prefix = this.property(opts, 'prefix');
    if (prefix) this.addNodePrefix(this.nodeKey(file, name), this.folder.fold(file, prefix), this.span(file, value), `new ${value.childForFieldName('constructor')?.text}({ prefix: ${prefix.text} })`);
  }

  private property(obj: SyntaxNode, key: string): SyntaxNode | undefined {
    for (const p of obj.namedChildren) {
      if (p?.type === 'pair' && p.childForFieldName('key')?.text.replace(/['"]/g, '') === key) return p.childForFieldName('value') ?? undefined;
      if (p?.type === 'shorthand_property_identifier' && p.text === key) return p;
    }
    return undefined;
  }

  private pathsOf(file: string, arg: SyntaxNode): { value: Folded; span: Span }[] {
    if (arg.type === 'array') return arg.namedChildren.filter((a): a is SyntaxNode => !!a).flatMap((a) => this.pathsOf(file, a));
    return [{ value: this.folder.fold(file, arg), span: this.span(file, arg) }];
  }

  private isPathLike(file: string, arg: SyntaxNode | undefined): boolean {
    if (!arg) return false;
    if (arg.type === 'string' || arg.type === 'template_string' || arg.type === 'array' || arg.type === 'binary_expression') return true;
    if (arg.type === 'identifier' || arg.type === 'member_expression') {
      const v = this.folder.fold(file, arg);
      return typeof v[0] === 'string' && v[0].startsWith('/');
    }
    return false;
  }

  private verbCall(file: string, call: SyntaxNode, receiver: SyntaxNode, method: string, args: SyntaxNode[]): void {
    // `router.route('/book').get(h)`: the path comes from route() further down the chain.
    let link: SyntaxNode | null = receiver;
    while (link?.type === 'call_expression') {
      const f = link.childForFieldName('function');
      const prop = f?.type === 'member_expression' ? f.childForFieldName('property')?.text : undefined;
      const linkArgs = link.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a) ?? [];
      if (prop === 'route' && linkArgs.length === 1 && this.framework !== 'hono') {
        if (args.length === 0) return;
        this.registrations.push({
          node: this.nodeKey(file, f!.childForFieldName('object')!),
          methods: [method === 'all' ? '*' : method],
          paths: this.pathsOf(file, linkArgs[0]),
          callSpan: this.span(file, call),
          conditional: isConditional(call),
          websocket: false,
        });
        return;
      }
      if (prop && (verbs.has(prop) || prop === 'use' || prop === 'basePath' || prop === 'route' || prop === 'on')) {
        link = f!.childForFieldName('object');
        continue;
      }
      break;
    }
    let pathIndex = 0;
    // Koa named routes: router.get('user', '/users/:id', handler)
    if (this.framework === 'koa' && args.length >= 3 && this.isPathLike(file, args[1]) && (args[0].type === 'string' || args[0].type === 'template_string')) pathIndex = 1;
    const pathArg = args[pathIndex];
    // Express's app.get('setting') reads a setting; a route always has a handler after the path.
    if (!pathArg || args.length < pathIndex + 2 || !this.isPathLike(file, pathArg)) return;
    const websocket = method === 'ws' || args.some((a) => a.type === 'object' && this.property(a, 'websocket')?.text === 'true') || args.some((a) => /upgradeWebSocket\s*\(/.test(a.text));
    this.registrations.push({
      node: this.nodeKey(file, receiver),
      methods: [method === 'all' ? '*' : method === 'ws' ? 'get' : method],
      paths: this.pathsOf(file, pathArg),
      callSpan: this.span(file, call),
      conditional: isConditional(call),
      websocket,
    });
  }

  private routeCall(file: string, call: SyntaxNode, receiver: SyntaxNode, args: SyntaxNode[]): void {
    // Fastify: app.route({ method, url, handler })
    if (args[0]?.type === 'object') {
      const m = this.property(args[0], 'method');
      const url = this.property(args[0], 'url') ?? this.property(args[0], 'path');
      if (!m || !url) return;
      const methods = (m.type === 'array' ? m.namedChildren : [m]).map((x) => (x ? stringOf(x)?.toLowerCase() : undefined)).filter((x): x is string => !!x);
      if (methods.length === 0) return;
      this.registrations.push({
        node: this.nodeKey(file, receiver),
        methods: methods.map((x) => (x === 'all' ? '*' : x)),
        paths: this.pathsOf(file, url),
        callSpan: this.span(file, call),
        conditional: isConditional(call),
        websocket: this.property(args[0], 'websocket')?.text === 'true',
      });
      return;
    }
    // Hono: app.route('/prefix', sub)
    if (args.length === 2) {
      const child = this.pluginKey(file, args[1]);
      if (child) this.edges.push({ parent: this.nodeKey(file, receiver), child: child.key, prefix: this.folder.fold(file, args[0]), span: this.span(file, call), label: `route(${args[0].text}, ${args[1].text})`, conditional: isConditional(call) });
    }
  }

  private honoOn(file: string, call: SyntaxNode, receiver: SyntaxNode, args: SyntaxNode[]): void {
    if (args.length < 3) return;
    const methods = (args[0].type === 'array' ? args[0].namedChildren : [args[0]]).map((x) => (x ? stringOf(x)?.toLowerCase() : undefined)).filter((x): x is string => !!x);
    if (methods.length === 0) return;
    this.registrations.push({ node: this.nodeKey(file, receiver), methods, paths: this.pathsOf(file, args[1]), callSpan: this.span(file, call), conditional: isConditional(call), websocket: false });
  }

  private useCall(file: string, call: SyntaxNode, receiver: SyntaxNode, args: SyntaxNode[]): void {
    if (args.length === 0) return;
    const hasPrefix = this.isPathLike(file, args[0]) && args.length > 1;
    const prefix = hasPrefix ? this.folder.fold(file, args[0]) : [];
    // Express: the router is the last argument, after any middleware. Koa: other.routes().
    const candidates = hasPrefix ? args.slice(1) : args;
    const last = candidates[candidates.length - 1];
    const child = this.pluginKey(file, last);
    if (!child) return;
    this.edges.push({
      parent: this.nodeKey(file, receiver),
      child: child.key,
      prefix,
      span: this.span(file, call),
      label: `use(${hasPrefix ? `${args[0].text}, ` : ''}${last.text})`,
      conditional: isConditional(call),
    });
  }

  private registerCall(file: string, call: SyntaxNode, receiver: SyntaxNode, args: SyntaxNode[]): void {
    if (!args[0]) return;
    const plugin = this.pluginKey(file, args[0]);
    if (!plugin) return;
    const opts = args[1]?.type === 'object' ? args[1] : undefined;
    const prefixNode = opts ? this.property(opts, 'prefix') : undefined;
    this.edges.push({
      parent: this.nodeKey(file, receiver),
      child: plugin.key,
      prefix: prefixNode && !plugin.skipPrefix ? this.folder.fold(file, prefixNode) : [],
      span: this.span(file, call),
      label: `register(${args[0].text}${prefixNode ? `, { prefix: ${prefixNode.text} }` : ''})${plugin.skipPrefix && prefixNode ? ' (fastify-plugin: prefix ignored)' : ''}`,
      conditional: isConditional(call),
    });
  }

  /** `registerRoutes(app)`: a function that registers routes on the router it receives. */
  private functionMount(file: string, call: SyntaxNode, callee: SyntaxNode, args: SyntaxNode[]): void {
    if (args.length === 0) return;
    const fn = this.pluginKeyByName(file, callee.text);
    if (!fn || !fn.key.startsWith('param:')) return;
    const base = fn.key.slice(0, fn.key.lastIndexOf(':'));
    args.forEach((arg, i) => {
      if (arg.type !== 'identifier' && arg.type !== 'member_expression') return;
      this.edges.push({ parent: this.nodeKey(file, arg), child: `${base}:${i}`, prefix: [], span: this.span(file, call), label: `${callee.text}(${arg.text})`, conditional: isConditional(call) });
    });
  }

  // ---- the mount graph ------------------------------------------------------------------------

  private resolveGraph(): void {
    const children = new Map<string, Edge[]>();
    const mounted = new Set<string>();
    for (const e of this.edges) {
      if (e.parent === e.child) continue;
      (children.get(e.parent) ?? children.set(e.parent, []).get(e.parent)!).push(e);
      mounted.add(e.child);
    }
    const byNode = new Map<string, Registration[]>();
    for (const r of this.registrations) (byNode.get(r.node) ?? byNode.set(r.node, []).get(r.node)!).push(r);
    const nodes = new Set<string>([...byNode.keys(), ...children.keys()]);
    const roots = [...nodes].filter((n) => !mounted.has(n));
    const emitted = new Set<string>();
    const visit = (node: string, prefix: Folded, chain: MountStep[], conditional: boolean, stack: Set<string>) => {
      if (stack.has(node) || stack.size > 50) return;
      stack.add(node);
      emitted.add(node);
      const own = this.nodePrefixes.get(node);
      const base = own ? concatFolded(prefix, own.value) : prefix;
      const baseChain = own ? [...chain, { span: own.span, prefix: own.value, label: own.label }] : chain;
      for (const r of byNode.get(node) ?? []) {
        for (const p of r.paths) {
          this.routes.push({
            framework: this.framework,
            methods: r.methods,
            path: joinFolded(base, p.value),
            span: p.span,
            callSpan: r.callSpan,
            chain: baseChain,
            conditional: conditional || r.conditional,
            excluded: false,
            kind: r.websocket ? 'websocket' : 'operation',
          });
        }
      }
      for (const e of children.get(node) ?? []) {
        visit(e.child, joinFolded(base, e.prefix), [...baseChain, { span: e.span, prefix: e.prefix, label: e.label }], conditional || e.conditional, stack);
      }
      stack.delete(node);
    };
    for (const root of roots) visit(root, [], [], false, new Set());
    // Nodes only reachable through cycles still have their routes reported, unprefixed.
    for (const node of nodes) if (!emitted.has(node)) visit(node, [], [], false, new Set());
  }

  // ---- NestJS ---------------------------------------------------------------------------------

  private nestControllers: { file: string; cls: SyntaxNode; decorator: SyntaxNode; methods: { decorators: SyntaxNode[]; method: SyntaxNode }[]; classDecorators: SyntaxNode[] }[] = [];
  private nestGlobal: { value: Folded; span: Span; exclude: string[] } | undefined;
  private nestVersioning: { defaultVersion?: string[] } | undefined;

  private nestFile(mod: ModuleInfo): void {
    const file = mod.file;
    walk(mod.source.tree.rootNode, (n) => {
      if (n.type === 'class_declaration') {
        // `@Controller() export class X`: the decorators hang on the export statement.
        const holder = n.parent?.type === 'export_statement' ? [...n.parent.namedChildren, ...n.namedChildren] : n.namedChildren;
        const decorators = holder.filter((c): c is SyntaxNode => c?.type === 'decorator');
        const controller = decorators.find((d) => decoratorName(d) === 'Controller');
        if (!controller) return;
        const methods: { decorators: SyntaxNode[]; method: SyntaxNode }[] = [];
        let pending: SyntaxNode[] = [];
        for (const member of n.childForFieldName('body')?.namedChildren ?? []) {
          if (!member) continue;
          if (member.type === 'decorator') pending.push(member);
          else if (member.type === 'method_definition') {
            methods.push({ decorators: [...pending, ...member.namedChildren.filter((c): c is SyntaxNode => c?.type === 'decorator')], method: member });
            pending = [];
          } else pending = [];
        }
        this.nestControllers.push({ file, cls: n, decorator: controller, methods, classDecorators: decorators });
      } else if (n.type === 'call_expression') {
        const callee = n.childForFieldName('function');
        const prop = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
        const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a) ?? [];
        if (prop === 'setGlobalPrefix' && args[0]) {
          const exclude = args[1]?.type === 'object' ? this.property(args[1], 'exclude') : undefined;
          this.nestGlobal = {
            value: this.folder.fold(file, args[0]),
            span: this.span(file, n),
            exclude: exclude?.type === 'array' ? exclude.namedChildren.map((e) => (e ? (stringOf(e) ?? (e.type === 'object' ? stringOf(this.property(e, 'path') ?? e) : undefined)) : undefined)).filter((x): x is string => !!x) : [],
          };
        }
        if (prop === 'enableVersioning' && args[0]?.type === 'object') {
          const type = this.property(args[0], 'type')?.text ?? '';
          if (/URI/.test(type) || type === '') {
            const dv = this.property(args[0], 'defaultVersion');
            this.nestVersioning = { defaultVersion: dv ? this.versions(file, dv) : undefined };
          }
        }
      }
    });
  }

  private versions(file: string, node: SyntaxNode): string[] {
    return (node.type === 'array' ? node.namedChildren : [node]).map((v) => (v ? foldedText(this.folder.fold(file, v)) : '')).filter((v) => v !== '' && !v.includes('VERSION_NEUTRAL'));
  }

  private finishNest(_files: string[]): void {
    const httpDecorators: Record<string, string> = { Get: 'get', Post: 'post', Put: 'put', Delete: 'delete', Patch: 'patch', Options: 'options', Head: 'head', All: '*' };
    for (const c of this.nestControllers) {
      const file = c.file;
      const arg = c.decorator.namedChildren[0]?.childForFieldName('arguments')?.namedChildren[0] ?? undefined;
      let controllerPaths: { value: Folded; span?: Span }[] = [{ value: [] }];
      let controllerVersions: string[] | undefined;
      if (arg?.type === 'object') {
        const p = this.property(arg, 'path');
        if (p) controllerPaths = this.pathsOf(file, p);
        const v = this.property(arg, 'version');
        if (v) controllerVersions = this.versions(file, v);
      } else if (arg) controllerPaths = this.pathsOf(file, arg);
      const controllerExcluded = c.classDecorators.some((d) => decoratorName(d) === 'ApiExcludeController');
      for (const m of c.methods) {
        const http = m.decorators.find((d) => httpDecorators[decoratorName(d)] !== undefined);
        if (!http) continue;
        const method = httpDecorators[decoratorName(http)];
        const hArg = http.namedChildren[0]?.childForFieldName('arguments')?.namedChildren[0] ?? undefined;
        const methodPaths = hArg ? this.pathsOf(file, hArg) : [{ value: [] as Folded, span: this.span(file, http) }];
        const versionDecorator = m.decorators.find((d) => decoratorName(d) === 'Version');
        const vArg = versionDecorator?.namedChildren[0]?.childForFieldName('arguments')?.namedChildren[0];
        const versions = this.nestVersioning ? ((vArg ? this.versions(file, vArg) : undefined) ?? controllerVersions ?? this.nestVersioning.defaultVersion ?? ['']) : [''];
        const excluded = controllerExcluded || m.decorators.some((d) => decoratorName(d) === 'ApiExcludeEndpoint');
        for (const cp of controllerPaths) {
          for (const mp of methodPaths) {
            for (const version of versions.length ? versions : ['']) {
              const local = joinFolded(cp.value, mp.value);
              const chain: MountStep[] = [];
              let full: Folded = local;
              if (version) {
                full = joinFolded([`v${version}`], full);
                chain.push({ span: this.span(file, versionDecorator ?? c.decorator), prefix: [`/v${version}`], label: `version ${version}` });
              }
              const localText = foldedText(local).replace(/^\/+/, '');
              if (this.nestGlobal && !this.nestGlobal.exclude.some((e) => e.replace(/^\/+/, '') === localText)) {
                full = joinFolded(this.nestGlobal.value, full);
                chain.unshift({ span: this.nestGlobal.span, prefix: this.nestGlobal.value, label: `setGlobalPrefix(${foldedText(this.nestGlobal.value)})` });
              }
              chain.push({ span: this.span(file, c.decorator), prefix: cp.value, label: `@Controller(${arg?.text ?? ''})` });
              this.routes.push({
                framework: 'nestjs',
                methods: [method],
                path: joinFolded([], full),
                span: mp.span ?? this.span(file, http),
                callSpan: this.span(file, m.method),
                chain,
                conditional: false,
                excluded,
                kind: 'operation',
              });
            }
          }
        }
      }
    }
  }
}

function decoratorName(d: SyntaxNode): string {
  const inner = d.namedChildren[0];
  if (inner?.type === 'call_expression') return inner.childForFieldName('function')?.text.split('.').pop() ?? '';
  return inner?.text.split('.').pop() ?? '';
}

/** Joins path pieces with exactly one slash between them (prefix '/api/' + '/x' → '/api/x'). */
export function joinFolded(a: Folded, b: Folded): Folded {
  const at = foldedText(a);
  const bt = foldedText(b);
  if (bt === '' || bt === '/') return a.length ? a : ['/'];
  if (at === '' || at === '/') return typeof b[0] === 'string' && !b[0].startsWith('/') ? concatFolded(['/'], b) : b;
  const left = typeof a[a.length - 1] === 'string' ? concatFolded(a.slice(0, -1), [(a[a.length - 1] as string).replace(/\/+$/, '')]) : a;
  const right = typeof b[0] === 'string' ? concatFolded([(b[0] as string).replace(/^\/*/, '/')], b.slice(1)) : concatFolded(['/'], b);
  return concatFolded(left, right);
}

// ---- SDK call sites in TypeScript / JavaScript ----------------------------------------------

/**
 * HTTP calls in TypeScript/JavaScript clients: `fetch(url, { method })`, `axios.get(url)`,
 * `axios({ method, url })`, openapi-fetch `client.GET('/path')`, and a configured wrapper.
 * Template substitutions that fill a whole path segment become `{name}` parameters.
 */
export function extractTsCalls(ctx: ProjectContext, files: string[], client: ClientConfig): SdkCall[] {
  const extractor = new JsRouteExtractor(ctx, 'express');
  const calls: SdkCall[] = [];
  const cs = client.callSite;
  for (const file of files) {
    const mod = extractor.module(file);
    if (!mod) continue;
    walk(mod.source.tree.rootNode, (n) => {
      if (n.type !== 'call_expression') return;
      const callee = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment') ?? [];
      if (!callee || args.length === 0) return;
      const name = callee.type === 'member_expression' ? callee.childForFieldName('property')?.text ?? '' : callee.text;
      let method: string | undefined;
      let urlArg: SyntaxNode | undefined;
      let key: string | undefined;
      if (cs.kind === 'wrapper') {
        if (name !== cs.function) return;
        const m = args[cs.methodArgument];
        method = m ? stringOf(m)?.toLowerCase() : undefined;
        urlArg = args[cs.pathArgument];
        if (cs.keyArgument !== undefined && args[cs.keyArgument]) key = stringOf(args[cs.keyArgument]);
      } else if (cs.kind === 'openapi-fetch') {
        if (callee.type !== 'member_expression' || !/^(GET|POST|PUT|DELETE|PATCH|OPTIONS|HEAD|TRACE)$/.test(name)) return;
        method = name.toLowerCase();
        urlArg = args[0];
      } else if (name === 'fetch' && callee.type === 'identifier') {
        urlArg = args[0];
        const opts = args[1]?.type === 'object' ? args[1] : undefined;
        const m = opts?.namedChildren.find((p) => p?.type === 'pair' && p.childForFieldName('key')?.text.replace(/['"]/g, '') === 'method')?.childForFieldName('value');
        method = m ? stringOf(m)?.toLowerCase() : 'get';
      } else if (callee.type === 'member_expression' && verbs.has(name) && name !== 'all' && /axios|http|client|api/i.test(callee.childForFieldName('object')?.text ?? '')) {
        method = name;
        urlArg = args[0];
      } else if ((callee.text === 'axios' || callee.text === 'axios.request') && args[0]?.type === 'object') {
        const pairs = args[0].namedChildren;
        const get = (k: string) => pairs.find((p) => p?.type === 'pair' && p.childForFieldName('key')?.text.replace(/['"]/g, '') === k)?.childForFieldName('value') ?? undefined;
        const m = get('method');
        method = m ? stringOf(m)?.toLowerCase() : 'get';
        urlArg = get('url');
      } else return;
      if (!method || !urlArg) return;
      const path = clientPath(extractor.folder, file, urlArg);
      if (!path) return;
      calls.push({ client: client.name, method, path: joinFolded(cs.basePath ? [cs.basePath] : [], path), span: { file, start: urlArg.startIndex, end: urlArg.endIndex }, callSpan: { file, start: n.startIndex, end: n.endIndex }, ...(key ? { key } : {}) });
    });
  }
  return calls;
}

/** A client URL as a path: origin dropped, whole-segment substitutions as `{name}` parameters. */
function clientPath(folder: Folder, file: string, node: SyntaxNode): Folded | undefined {
  let value: Folded;
  if (node.type === 'template_string') {
    const parts: Folded = [];
    let cursor = node.startIndex + 1;
    const text = node.tree.rootNode.text;
    for (const child of node.namedChildren) {
      if (child?.type !== 'template_substitution') continue;
      if (child.startIndex > cursor) parts.push(text.slice(cursor, child.startIndex));
      const expr = child.namedChildren[0];
      const folded = expr ? folder.fold(file, expr) : [];
      const before = text.slice(0, child.startIndex);
      const after = text.slice(child.endIndex, node.endIndex - 1);
      const wholeSegment = (before.endsWith('/') || child.startIndex === node.startIndex + 1) && (after === '' || /^[/?#]/.test(after));
      if (folded.every((p) => typeof p === 'string')) parts.push(...folded);
      else if (wholeSegment && expr && parts.length > 0) parts.push(`{${paramName(expr.text)}}`);
      else parts.push(...folded);
      cursor = child.endIndex;
    }
    if (cursor < node.endIndex - 1) parts.push(text.slice(cursor, node.endIndex - 1));
    value = concatFolded(parts);
  } else {
    value = folder.fold(file, node);
  }
  // Drop a literal origin and a query string.
  if (typeof value[0] === 'string') {
    const m = /^[a-z]+:\/\/[^/]*/i.exec(value[0]);
    if (m) value = concatFolded([value[0].slice(m[0].length)], value.slice(1));
  }
  if (value.length && typeof value[0] !== 'string') value = value.slice(1); // `${BASE_URL}/x`: an unknown origin
  const last = value[value.length - 1];
  if (typeof last === 'string' && last.includes('?')) value = concatFolded(value.slice(0, -1), [last.slice(0, last.indexOf('?'))]);
  if (value.length === 0 || (typeof value[0] === 'string' && !value[0].startsWith('/'))) return undefined;
  return value;
}

function paramName(expr: string): string {
  const m = /([A-Za-z_$][\w$]*)\s*\)?\s*$/.exec(expr.replace(/\?\./g, '.'));
  return m ? m[1] : 'param';
}
