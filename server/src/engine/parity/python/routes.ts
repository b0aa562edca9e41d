import type { Span } from '../../findings';
import type { SyntaxNode } from '../../source/treesitter';
import type { MountStep, Opaque, RouteKind, SourceRoute } from '../model';
import { callArguments, type Domain, type Frame, type PyClass, type PyFunction, type Program, type Value } from './program';
import { compact, concatParts, isHole, type Part } from './strings';

export type PythonFramework = 'fastapi' | 'flask';

/**
 * The mount graph of a FastAPI/Starlette or Flask application, built while the program is walked.
 *
 * Nodes are router-like objects (a FastAPI app or APIRouter, a Flask app or Blueprint, a
 * Flask-RESTful/RESTX Api or Namespace); edges are mounts (`include_router`, `mount`,
 * `register_blueprint`, `add_namespace`...) carrying their prefix. Routes hang off nodes with the
 * path as written; `routes()` concatenates every root-to-route chain, so a router included twice
 * yields two routes and a router never mounted yields its routes under its own prefix.
 */

type NodeKind = 'app' | 'router' | 'blueprint' | 'restful' | 'namespace' | 'smorest' | 'placeholder';

class RouterNode {
  readonly routes: LocalRoute[] = [];
  readonly parents: Edge[] = [];
  ownPrefix: Part[] | undefined;
  ownStep: MountStep | undefined;
  excluded = false;
  /** Placeholders (a function parameter, an unresolvable receiver): how the code used them. */
  usedAsReceiver = false;
  usedAsChild = false;
  constructor(readonly kind: NodeKind) {}
}

interface Edge {
  parent: RouterNode;
  child: RouterNode;
  /** The mount's prefix; undefined when the call gives none (a blueprint then keeps its own). */
  prefix: Part[] | undefined;
  step: MountStep | undefined;
  conditional: boolean;
  excluded: boolean;
}

interface LocalRoute {
  methods: string[];
  path: Part[];
  span: Span;
  callSpan: Span;
  conditional: boolean;
  excluded: boolean;
  kind: RouteKind;
  operationId?: string;
}

/** A call that passes a router into a project function: `register_routes(app)`. */
interface Binding {
  fn: PyFunction;
  index: number;
  value: Value;
  step: MountStep;
  conditional: boolean;
}

class StaticApp {}
const staticApp = new StaticApp();

/** A Starlette `Route(...)`, `WebSocketRoute(...)` or `Mount(...)` in a `routes=[...]` list. */
class RouteDecl {
  constructor(
    readonly kind: 'route' | 'websocket' | 'mount',
    readonly call: SyntaxNode,
    readonly frame: Frame,
  ) {}
}

const httpVerbs = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
const flaskVerbs = ['get', 'post', 'put', 'patch', 'delete'];
const fastapiPackages = new Set(['fastapi', 'starlette']);
const flaskPackages = new Set(['flask', 'flask_smorest', 'flask_restful', 'flask_restx', 'flask_restplus', 'apiflask', 'quart']);
const maxChains = 64;

export class RouteCollector implements Domain {
  private readonly nodes: RouterNode[] = [];
  private readonly placeholders = new Map<string, RouterNode>();
  private readonly bindings: Binding[] = [];

  /** Bodies worth walking although nothing calls them: they register or create routers. */
  readonly interest =
    /include_router|add_api_route|add_api_websocket_route|add_websocket_route|add_route|\.mount\s*\(|register_blueprint|add_url_rule|add_resource|add_namespace|init_app|\.namespace\s*\(|\.route\s*\(|as_view|@|FastAPI|APIRouter|Starlette|Router\s*\(|Flask|Blueprint|Api\s*\(|Namespace/;

  constructor(
    private readonly program: Program,
    private readonly framework: PythonFramework,
  ) {}

  // ------------------------------------------------------------ values the program asks about

  construct(q: string, call: SyntaxNode, frame: Frame): Value | undefined {
    const decl = this.framework === 'fastapi' ? /^(?:(?:starlette|fastapi)\.(?:[\w.]+\.)?)?(Route|WebSocketRoute|Mount)$/.exec(q) : null;
    if (decl && (q.includes('.') || decl[1] !== 'Route')) {
      return { t: 'obj', obj: new RouteDecl(decl[1] === 'Route' ? 'route' : decl[1] === 'Mount' ? 'mount' : 'websocket', call, frame) };
    }
    const kind = this.libraryKind(q);
    if (!kind) return undefined;
    return this.create(kind, call, frame);
  }

  constructSubclass(base: string, _cls: PyClass, call: SyntaxNode, frame: Frame): Value | undefined {
    const kind = this.libraryKind(base);
    return kind ? this.create(kind, call, frame) : undefined;
  }

  attribute(obj: object, name: string): Value | undefined {
    // `app.router` is the app's own router: routes on it are the app's.
    if (obj instanceof RouterNode && name === 'router' && this.framework === 'fastapi') return { t: 'obj', obj };
    return undefined;
  }

  callMethod(obj: object, name: string, call: SyntaxNode, frame: Frame): Value | undefined {
    // Flask-RESTX: `ns = api.namespace("cats", path="/cats")`.
    if (obj instanceof RouterNode && obj.kind === 'restful' && name === 'namespace') {
      const ns = this.create('namespace', call, frame);
      if (ns?.t === 'obj' && ns.obj instanceof RouterNode) this.edge(obj, ns.obj, undefined, undefined, frame, false);
      return ns;
    }
    return undefined;
  }

  private libraryKind(q: string): NodeKind | 'static' | undefined {
    const parts = q.split('.');
    const last = parts[parts.length - 1];
    const pkg = parts.length > 1 ? parts[0] : undefined;
    if (this.framework === 'fastapi') {
      if (pkg !== undefined && !fastapiPackages.has(pkg)) return undefined;
      if (last === 'FastAPI' || last === 'Starlette') return 'app';
      if (last === 'APIRouter' || (pkg && last === 'Router')) return 'router';
      if (last === 'StaticFiles') return 'static';
      return undefined;
    }
    if (pkg !== undefined && !flaskPackages.has(pkg)) return undefined;
    if (last === 'Flask' || last === 'APIFlask' || last === 'Quart') return 'app';
    if (last === 'Blueprint' || last === 'APIBlueprint') return 'blueprint';
    if (pkg && last === 'Api') return pkg === 'flask_smorest' ? 'smorest' : 'restful';
    if (pkg && last === 'Namespace') return 'namespace';
    return undefined;
  }

  private create(kind: NodeKind | 'static', call: SyntaxNode, frame: Frame): Value | undefined {
    if (kind === 'static') return { t: 'obj', obj: staticApp };
    const node = new RouterNode(kind);
    this.nodes.push(node);
    const args = callArguments(call);
    const label = (first: SyntaxNode | undefined, key: string, value: SyntaxNode | undefined) =>
      `${calleeName(call)}(${[first ? compact(first.text, 40) : undefined, value ? `${key}=${compact(value.text, 60)}` : undefined].filter((x) => x).join(', ')})`;
    const own = (value: SyntaxNode | undefined, key: string, first?: SyntaxNode, fallback?: Part[]) => {
      const prefix = (value ? this.prefixOf(value, frame) : undefined) ?? fallback;
      if (!prefix) return;
      node.ownPrefix = prefix;
      if (prefix.length > 0) node.ownStep = { span: this.program.span(call, frame.module), prefix: clean(prefix), label: label(first, key, value) };
    };
    switch (kind) {
      case 'router': {
        own(args.keyword.get('prefix'), 'prefix');
        if (this.isFalse(args.keyword.get('include_in_schema'), frame)) node.excluded = true;
        this.routeList(node, args.keyword.get('routes'), frame);
        break;
      }
      case 'app':
        this.routeList(node, args.keyword.get('routes'), frame);
        break;
      case 'blueprint':
        own(args.keyword.get('url_prefix'), 'url_prefix', args.positional[0]);
        break;
      case 'namespace': {
        const name = args.positional[0] ?? args.keyword.get('name');
        const pathArg = args.keyword.get('path') ?? args.positional[2];
        const nameText = name ? this.program.literal(this.program.evaluate(name, frame)) : undefined;
        own(pathArg, 'path', name, nameText !== undefined ? ['/' + nameText] : undefined);
        break;
      }
      case 'restful':
      case 'smorest': {
        const appArg = args.positional[0] ?? args.keyword.get('app');
        const prefixArg = args.keyword.get('prefix') ?? (kind === 'restful' ? args.positional[1] : undefined);
        if (prefixArg) own(prefixArg, 'prefix', appArg);
        if (appArg) {
          const parent = this.nodeOf(this.program.evaluate(appArg, frame), 'receiver');
          if (parent) this.edge(parent, node, undefined, undefined, frame, false);
        }
        break;
      }
      default:
        break;
    }
    return { t: 'obj', obj: node };
  }

  // ------------------------------------------------------------ registrations

  onCall(call: SyntaxNode, frame: Frame): void {
    const fnNode = call.childForFieldName('function');
    if (!fnNode) return;
    // `app.route("/x", methods=["POST"])(view)`: the decorator applied by hand.
    if (fnNode.type === 'call') {
      this.decorator(fnNode, undefined, call, frame);
      return;
    }
    if (fnNode.type === 'attribute') {
      const name = fnNode.childForFieldName('attribute')?.text ?? '';
      const objNode = fnNode.childForFieldName('object');
      if (objNode && this.registration(name, objNode, call, frame)) return;
    }
    if (calleeName(call) === 'Api') {
      this.program.evaluate(call, frame); // Flask-RESTful `Api(app)`: attaches itself to the app.
      return;
    }
    if (fnNode.type === 'identifier' || fnNode.type === 'attribute') this.passThrough(fnNode, call, frame);
  }

  onDecorator(decorator: SyntaxNode, definition: SyntaxNode, frame: Frame): void {
    const expr = decorator.namedChildren[0];
    if (expr?.type === 'call') this.decorator(expr, definition, decorator, frame);
  }

  /** `@router.get("/x")`, `@app.route("/x", methods=[...])`, `@ns.route("/x")` on a Resource class... */
  private decorator(call: SyntaxNode, definition: SyntaxNode | undefined, callNode: SyntaxNode, frame: Frame): void {
    const fnNode = call.childForFieldName('function');
    if (fnNode?.type !== 'attribute') return;
    const method = fnNode.childForFieldName('attribute')?.text ?? '';
    const objNode = fnNode.childForFieldName('object');
    if (!objNode) return;
    const args = callArguments(call);
    const fastapi = this.framework === 'fastapi';
    const known = fastapi
      ? [...httpVerbs, 'api_route', 'route', 'websocket', 'websocket_route'].includes(method)
      : [...flaskVerbs, 'route', 'resource'].includes(method);
    if (!known) return;
    const pathNode = args.positional[0] ?? args.keyword.get(fastapi ? 'path' : 'rule');
    if (!pathNode) return;
    const recv = this.program.evaluate(objNode, frame);
    const node = this.nodeOf(recv, 'receiver') ?? this.placeholderFor(recv, objNode, frame, pathNode);
    if (!node) return;
    const cls = definition?.type === 'class_definition' ? this.classOf(definition, frame) : undefined;
    if (method === 'resource' || (cls && method === 'route')) {
      // Flask-RESTful `@api.resource("/a", "/a/<id>")`, Flask-RESTX/smorest `@ns.route("/a")` on a class.
      const urls = method === 'resource' ? args.positional : [pathNode];
      for (const u of urls) this.classRoute(node, cls, u, callNode, frame, undefined);
      return;
    }
    let methods: string[];
    let kind: RouteKind = 'operation';
    if (method === 'websocket' || method === 'websocket_route') {
      methods = ['get'];
      kind = 'websocket';
    } else if (method === 'route' || method === 'api_route') methods = this.methods(args.keyword.get('methods'), frame) ?? ['get'];
    else methods = [method];
    this.route(node, { methods, pathNode, callNode, frame, kind, args });
  }

  /** A call on a router that registers something; false when the name is not one. */
  private registration(name: string, objNode: SyntaxNode, call: SyntaxNode, frame: Frame): boolean {
    const fastapi = this.framework === 'fastapi';
    const names = fastapi
      ? ['include_router', 'add_api_route', 'add_api_websocket_route', 'add_websocket_route', 'add_route', 'mount']
      : ['register_blueprint', 'add_url_rule', 'add_resource', 'add_namespace', 'init_app'];
    if (!names.includes(name)) return false;
    const recv = this.program.evaluate(objNode, frame);
    // Generic names (`mount`, `add_route`, `init_app`) count only on a known router.
    const specific = !['mount', 'add_route', 'add_websocket_route', 'init_app'].includes(name);
    const node = this.nodeOf(recv, 'receiver') ?? (specific ? this.placeholderFor(recv, objNode, frame) : undefined);
    if (!node) return specific;
    const args = callArguments(call);
    switch (name) {
      case 'include_router':
      case 'register_blueprint':
      case 'add_namespace': {
        const childNode = args.positional[0] ?? args.keyword.get(name === 'include_router' ? 'router' : name === 'register_blueprint' ? 'blueprint' : 'ns');
        if (!childNode) return true;
        const key = name === 'include_router' ? 'prefix' : name === 'register_blueprint' ? 'url_prefix' : 'path';
        const prefixNode = args.keyword.get(key);
        const child = this.nodeOf(this.program.evaluate(childNode, frame), 'child');
        if (!child) return true;
        const prefix = prefixNode ? this.prefixOf(prefixNode, frame) : undefined;
        const label = `${name}(${compact(childNode.text, 40)}${prefixNode ? `, ${key}=${compact(prefixNode.text, 60)}` : ''})`;
        const excluded = this.isFalse(args.keyword.get('include_in_schema'), frame);
        this.edge(node, child, prefix, { span: this.program.span(call, frame.module), prefix: clean(prefix ?? []), label }, frame, excluded);
        return true;
      }
      case 'mount': {
        const pathNode = args.positional[0] ?? args.keyword.get('path');
        const appNode = args.positional[1] ?? args.keyword.get('app');
        if (!pathNode || !appNode) return true;
        const target = this.program.evaluate(appNode, frame);
        if (target.t === 'obj' && target.obj === staticApp) {
          this.route(node, { methods: ['get'], pathNode, callNode: call, frame, kind: 'static', args });
        } else {
          const child = this.nodeOf(target, 'child');
          if (child) {
            const prefix = this.fold(pathNode, frame);
            const label = `mount(${compact(pathNode.text, 60)}, ${compact(appNode.text, 40)})`;
            this.edge(node, child, prefix, { span: this.program.span(call, frame.module), prefix: clean(prefix), label }, frame, false);
          }
        }
        return true;
      }
      case 'init_app': {
        const appNode = args.positional[0] ?? args.keyword.get('app');
        const parent = appNode ? this.nodeOf(this.program.evaluate(appNode, frame), 'receiver') : undefined;
        if (parent && (node.kind === 'restful' || node.kind === 'smorest')) this.edge(parent, node, undefined, undefined, frame, false);
        return true;
      }
      case 'add_api_route':
      case 'add_route': {
        const pathNode = args.positional[0] ?? args.keyword.get('path');
        if (pathNode) this.route(node, { methods: this.methods(args.keyword.get('methods'), frame) ?? ['get'], pathNode, callNode: call, frame, kind: 'operation', args });
        return true;
      }
      case 'add_api_websocket_route':
      case 'add_websocket_route': {
        const pathNode = args.positional[0] ?? args.keyword.get('path');
        if (pathNode) this.route(node, { methods: ['get'], pathNode, callNode: call, frame, kind: 'websocket', args });
        return true;
      }
      case 'add_url_rule': {
        const pathNode = args.positional[0] ?? args.keyword.get('rule');
        if (!pathNode) return true;
        const viewNode = args.positional[2] ?? args.keyword.get('view_func');
        const explicit = this.methods(args.keyword.get('methods'), frame);
        const view = viewNode ? this.program.evaluate(viewNode, frame) : undefined;
        if (!explicit && view?.t === 'view') {
          this.classRoute(node, view.cls, pathNode, call, frame, args.keyword.get('defaults'));
          return true;
        }
        // A view whose class cannot be seen may answer any method; a plain function answers GET.
        const unseenClass = !explicit && viewNode?.type === 'call' && /\.as_view$/.test(viewNode.childForFieldName('function')?.text ?? '');
        this.route(node, { methods: explicit ?? (unseenClass ? ['*'] : ['get']), pathNode, callNode: call, frame, kind: 'operation', args });
        return true;
      }
      case 'add_resource': {
        const clsNode = args.positional[0] ?? args.keyword.get('resource');
        const cls = clsNode ? this.program.evaluate(clsNode, frame) : undefined;
        for (const u of args.positional.slice(1)) this.classRoute(node, cls?.t === 'class' ? cls.cls : undefined, u, call, frame, undefined);
        return true;
      }
      default:
        return true;
    }
  }

  /** Starlette's declarative style: `Starlette(routes=[Route("/", home), Mount("/api", routes=[...])])`. */
  private routeList(node: RouterNode, listNode: SyntaxNode | undefined, frame: Frame): void {
    const list = listNode ? this.program.evaluate(listNode, frame) : undefined;
    if (list?.t !== 'list') return;
    for (const item of list.items) {
      if (item.t !== 'obj' || !(item.obj instanceof RouteDecl)) continue;
      const { kind, call, frame: at } = item.obj;
      const args = callArguments(call);
      const pathNode = args.positional[0] ?? args.keyword.get('path');
      if (!pathNode) continue;
      if (kind === 'route') {
        this.route(node, { methods: this.methods(args.keyword.get('methods'), at) ?? ['get'], pathNode, callNode: call, frame: at, kind: 'operation', args });
      } else if (kind === 'websocket') {
        this.route(node, { methods: ['get'], pathNode, callNode: call, frame: at, kind: 'websocket', args });
      } else {
        const appNode = args.positional[1] ?? args.keyword.get('app');
        const target = appNode ? this.program.evaluate(appNode, at) : undefined;
        if (target?.t === 'obj' && target.obj === staticApp) {
          this.route(node, { methods: ['get'], pathNode, callNode: call, frame: at, kind: 'static', args });
          continue;
        }
        let child = target ? this.nodeOf(target, 'child') : undefined;
        const routes = args.keyword.get('routes');
        if (!child && routes) {
          child = new RouterNode('router');
          this.nodes.push(child);
          this.routeList(child, routes, at);
        }
        if (!child) continue;
        const prefix = this.fold(pathNode, at);
        const rest = appNode ? compact(appNode.text, 40) : routes ? `routes=${compact(routes.text, 40)}` : '';
        const label = `Mount(${compact(pathNode.text, 60)}${rest ? `, ${rest}` : ''})`;
        this.edge(node, child, prefix, { span: this.program.span(call, at.module), prefix: clean(prefix), label }, at, false);
      }
    }
  }

  /** Routes of a class-based view: one per URL, methods from the class (see `classMethods`). */
  private classRoute(node: RouterNode, cls: PyClass | undefined, pathNode: SyntaxNode, callNode: SyntaxNode, frame: Frame, defaults: SyntaxNode | undefined): void {
    const path = this.fold(pathNode, frame);
    const given = defaults ? this.program.evaluate(defaults, frame) : undefined;
    const extra = given?.t === 'dict' ? [...given.entries.keys()] : [];
    const methods = cls ? this.classMethods(cls, path, extra) : ['*'];
    if (methods.length === 0) return;
    this.route(node, { methods, pathNode, callNode, frame, kind: 'operation', path });
  }

  /**
   * The HTTP methods a MethodView or Resource class answers on a URL: its `methods` attribute, or
   * its methods named after HTTP verbs (inherited ones included). When one class is bound to
   * several URLs (`/todos` and `/todos/<todo_id>`), a method whose signature cannot take the URL's
   * parameters (a required parameter the URL lacks, or a URL parameter it does not accept) is not
   * served there: Flask would fail to call it.
   */
  private classMethods(cls: PyClass, path: Part[], defaults: string[]): string[] {
    const explicit = this.program.classAttr(cls, 'methods');
    if (explicit) {
      const m = this.methodList(explicit);
      if (m) return m;
    }
    const verbs = new Map<string, PyFunction>();
    const collect = (c: PyClass, seen: Set<PyClass>) => {
      if (seen.has(c)) return;
      seen.add(c);
      for (const [name, fn] of c.methods) if (httpVerbs.includes(name) && !verbs.has(name)) verbs.set(name, fn);
      for (const b of c.bases) if (b.t === 'class') collect(b.cls, seen);
    };
    collect(cls, new Set());
    if (verbs.size === 0) {
      const bases = this.program.externalBases(cls);
      // A plain `View` with `dispatch_request` answers GET by default.
      return bases.some((b) => /(^|\.)View$/.test(b)) ? ['get'] : [];
    }
    const all = [...verbs.keys()].sort((a, b) => httpVerbs.indexOf(a) - httpVerbs.indexOf(b));
    if (path.some(isHole)) return all;
    const urlParams = new Set([...flaskParams(path), ...defaults]);
    const fits = all.filter((verb) => {
      const params = verbs.get(verb)!.params.slice(1);
      if (params.some((p) => p.kind === 'kwargs')) return params.every((p) => p.hasDefault || p.kind === 'args' || urlParams.has(p.name));
      const names = new Set(params.map((p) => p.name));
      return params.every((p) => p.hasDefault || urlParams.has(p.name)) && [...urlParams].every((u) => names.has(u));
    });
    return fits.length > 0 ? fits : all;
  }

  private route(
    node: RouterNode,
    r: { methods: string[]; pathNode: SyntaxNode; callNode: SyntaxNode; frame: Frame; kind: RouteKind; args?: ReturnType<typeof callArguments>; path?: Part[] },
  ): void {
    const excluded = this.isFalse(r.args?.keyword.get('include_in_schema'), r.frame);
    const opId = r.args?.keyword.get('operation_id');
    const operationId = opId ? this.program.literal(this.program.evaluate(opId, r.frame)) : undefined;
    node.routes.push({
      methods: r.methods,
      path: r.path ?? this.fold(r.pathNode, r.frame),
      span: this.program.span(r.pathNode, r.frame.module),
      callSpan: this.program.span(r.callNode, r.frame.module),
      conditional: r.frame.conditional,
      excluded,
      kind: r.kind,
      ...(operationId !== undefined ? { operationId } : {}),
    });
  }

  private edge(parent: RouterNode, child: RouterNode, prefix: Part[] | undefined, step: MountStep | undefined, frame: Frame, excluded: boolean): void {
    if (parent === child) return;
    child.parents.push({ parent, child, prefix, step, conditional: frame.conditional, excluded });
  }

  /** `include_in_schema=False` (or a constant that is False). */
  private isFalse(node: SyntaxNode | undefined, frame: Frame): boolean {
    if (!node) return false;
    const v = this.program.evaluate(node, frame);
    return v.t === 'bool' && !v.v;
  }

  /** A prefix argument; undefined for `None` (the default). */
  private prefixOf(node: SyntaxNode, frame: Frame): Part[] | undefined {
    const v = this.program.evaluate(node, frame);
    return v.t === 'none' ? undefined : this.program.fold(v, node);
  }

  private fold(node: SyntaxNode, frame: Frame): Part[] {
    return this.program.fold(this.program.evaluate(node, frame), node);
  }

  /** `methods=["GET", "POST"]` → ['get', 'post']; undefined without the argument; ['*'] when not literal. */
  private methods(node: SyntaxNode | undefined, frame: Frame): string[] | undefined {
    if (!node) return undefined;
    const v = this.program.evaluate(node, frame);
    if (v.t === 'none') return undefined;
    return this.methodList(v) ?? ['*'];
  }

  private methodList(v: Value): string[] | undefined {
    if (v.t !== 'list') return undefined;
    const out: string[] = [];
    for (const item of v.items) {
      const m = this.program.literal(item);
      if (m === undefined) return undefined;
      if (!out.includes(m.toLowerCase())) out.push(m.toLowerCase());
    }
    return out;
  }

  private classOf(definition: SyntaxNode, frame: Frame): PyClass | undefined {
    const name = definition.childForFieldName('name')?.text;
    const v = name ? frame.scope.vars.get(name) : undefined;
    return v?.t === 'class' ? v.cls : undefined;
  }

  // ------------------------------------------------------------ receivers and placeholders

  /** The router a value is, creating a placeholder for a function parameter. */
  private nodeOf(v: Value, role: 'receiver' | 'child'): RouterNode | undefined {
    if (v.t === 'obj' && v.obj instanceof RouterNode) return v.obj;
    if (v.t === 'param') return this.paramPlaceholder(v.fn, v.index, role);
    return undefined;
  }

  private paramPlaceholder(fn: PyFunction, index: number, role: 'receiver' | 'child'): RouterNode {
    const key = `param:${fn.module.file}:${fn.node.startIndex}:${index}`;
    let node = this.placeholders.get(key);
    if (!node) {
      node = new RouterNode('placeholder');
      this.placeholders.set(key, node);
      this.nodes.push(node);
    }
    if (role === 'receiver') node.usedAsReceiver = true;
    else node.usedAsChild = true;
    return node;
  }

  /**
   * A receiver the program cannot resolve (`app` from an unresolvable import, a half-typed file)
   * still gets its routes, under a placeholder root: one per module and receiver text. Never for
   * values known to be something else, and for decorators only when the path looks like one.
   */
  private placeholderFor(recv: Value, objNode: SyntaxNode, frame: Frame, pathNode?: SyntaxNode): RouterNode | undefined {
    if (recv.t !== 'unknown' && recv.t !== 'attr' && recv.t !== 'external') return undefined;
    if (recv.t === 'external' && this.libraryKind(recv.name) === undefined && /^(requests|httpx|aiohttp|urllib3?)\b/.test(recv.name)) return undefined;
    if (pathNode) {
      const first = this.fold(pathNode, frame)[0];
      if (typeof first !== 'string' || !first.startsWith('/')) return undefined;
    }
    const key = `recv:${frame.module.file}:${compact(objNode.text)}`;
    let node = this.placeholders.get(key);
    if (!node) {
      node = new RouterNode('placeholder');
      this.placeholders.set(key, node);
      this.nodes.push(node);
    }
    node.usedAsReceiver = true;
    return node;
  }

  /** `register_routes(app)`: remembered, linked to the function's parameter once every file is walked. */
  private passThrough(fnNode: SyntaxNode, call: SyntaxNode, frame: Frame): void {
    const callee = this.program.evaluate(fnNode, frame);
    if (callee.t !== 'func') return;
    const fn = callee.fn;
    const args = callArguments(call);
    const offset = callee.bound ? 1 : 0;
    const label = compact(call.text, 80);
    const step: MountStep = { span: this.program.span(call, frame.module), prefix: [], label };
    const consider = (argNode: SyntaxNode, index: number) => {
      if (index < 0 || index >= fn.params.length) return;
      const value = this.program.evaluate(argNode, frame);
      if ((value.t === 'obj' && value.obj instanceof RouterNode) || value.t === 'param') {
        this.bindings.push({ fn, index, value, step, conditional: frame.conditional });
      }
    };
    const before = this.bindings.length;
    args.positional.forEach((a, i) => consider(a, i + offset));
    for (const [name, a] of args.keyword) consider(a, fn.params.findIndex((p) => p.name === name));
    // A router goes in: the body must be walked even if it names nothing of interest itself.
    if (this.bindings.length > before) this.program.runFunction(fn);
  }

  /** Links parameter placeholders to the routers passed in, following chains of such calls. */
  private resolveBindings(): void {
    const done = new Set<Binding>();
    for (let changed = true, rounds = 0; changed && rounds < 16; rounds++) {
      changed = false;
      for (const b of this.bindings) {
        if (done.has(b)) continue;
        const key = `param:${b.fn.module.file}:${b.fn.node.startIndex}:${b.index}`;
        const placeholder = this.placeholders.get(key);
        if (!placeholder) continue;
        done.add(b);
        changed = true;
        const asReceiver = placeholder.usedAsReceiver;
        const asChild = placeholder.usedAsChild;
        const frame = { conditional: b.conditional } as Frame;
        if (asReceiver) {
          const actual = this.nodeOf(b.value, 'receiver');
          if (actual) this.edge(actual, placeholder, undefined, b.step, frame, false);
        }
        if (asChild) {
          const actual = this.nodeOf(b.value, 'child');
          if (actual) this.edge(placeholder, actual, undefined, b.step, frame, false);
        }
      }
    }
  }

  // ------------------------------------------------------------ effective routes

  routes(): SourceRoute[] {
    this.resolveBindings();
    const out: SourceRoute[] = [];
    for (const node of this.nodes) {
      if (node.routes.length === 0) continue;
      const chains = this.chainsTo(node, new Set());
      for (const r of node.routes) {
        for (const chain of chains) out.push(this.effective(r, node, chain));
      }
    }
    return out;
  }

  /** Every chain of mounts from a root down to `node`, outermost first. */
  private chainsTo(node: RouterNode, visiting: Set<RouterNode>): Edge[][] {
    if (node.parents.length === 0) return [[]];
    visiting.add(node);
    const out: Edge[][] = [];
    for (const e of node.parents) {
      if (visiting.has(e.parent)) continue;
      for (const c of this.chainsTo(e.parent, visiting)) {
        if (out.length >= maxChains) break;
        out.push([...c, e]);
      }
    }
    visiting.delete(node);
    return out.length > 0 ? out : [[]];
  }

  private effective(r: LocalRoute, node: RouterNode, chain: Edge[]): SourceRoute {
    let p = r.path;
    let cur = node;
    for (let i = chain.length - 1; i >= 0; i--) {
      p = this.wrap(cur, p, chain[i]);
      cur = chain[i].parent;
    }
    p = this.wrap(cur, p, undefined);
    const root = cur;
    const steps: MountStep[] = [];
    if (this.ownPrefixUsed(root, undefined)) steps.push(root.ownStep!);
    for (const e of chain) {
      if (e.step) steps.push(e.step);
      if (this.ownPrefixUsed(e.child, e)) steps.push(e.child.ownStep!);
    }
    const nodes = [root, ...chain.map((e) => e.child)];
    const route: SourceRoute = {
      framework: this.framework,
      methods: r.methods,
      path: clean(p),
      span: r.span,
      callSpan: r.callSpan,
      chain: steps,
      conditional: r.conditional || chain.some((e) => e.conditional),
      excluded: r.excluded || chain.some((e) => e.excluded) || nodes.some((n) => n.excluded),
      kind: r.kind,
    };
    if (r.operationId !== undefined) route.operationId = r.operationId;
    return route;
  }

  private ownPrefixUsed(node: RouterNode, edge: Edge | undefined): boolean {
    if (!node.ownStep) return false;
    if (node.kind === 'blueprint' || node.kind === 'namespace') return edge?.prefix === undefined;
    return true;
  }

  /** A path inside `node` as seen from its parent through `edge` (or from the outside, for a root). */
  private wrap(node: RouterNode, p: Part[], edge: Edge | undefined): Part[] {
    switch (node.kind) {
      case 'blueprint': {
        // Flask: the registration's url_prefix wins over the blueprint's own; slashes are joined.
        const prefix = edge?.prefix ?? node.ownPrefix;
        return prefix === undefined ? p : flaskJoin(prefix, p);
      }
      case 'namespace': {
        const prefix = edge?.prefix ?? node.ownPrefix ?? [];
        return concatParts(trimTrailingSlash(prefix), p);
      }
      case 'restful':
        return concatParts(node.ownPrefix ?? [], p);
      case 'smorest':
        return p;
      case 'placeholder':
        return edge?.prefix ? (this.framework === 'flask' ? flaskJoin(edge.prefix, p) : concatParts(edge.prefix, p)) : p;
      case 'app':
      case 'router':
      default:
        if (this.framework === 'flask') return edge?.prefix ? flaskJoin(edge.prefix, p) : p;
        // FastAPI: include_router's prefix + the router's own prefix + the path, concatenated as is.
        return concatParts(edge?.prefix ?? [], node.ownPrefix ?? [], p);
    }
  }
}

/** Werkzeug's join of a url_prefix and a rule: one slash between them, the prefix alone for an empty rule. */
function flaskJoin(prefix: Part[], rule: Part[]): Part[] {
  if (rule.length === 0) return prefix;
  const first = rule[0];
  const rest = typeof first === 'string' ? [first.replace(/^\/+/, ''), ...rule.slice(1)] : rule;
  return concatParts(trimTrailingSlash(prefix), ['/'], rest);
}

function trimTrailingSlash(parts: Part[]): Part[] {
  const last = parts[parts.length - 1];
  if (typeof last !== 'string') return parts;
  return [...parts.slice(0, -1), last.replace(/\/+$/, '')];
}

/** Parameter names of a Flask rule: `<int:id>` → id. */
function flaskParams(path: Part[]): string[] {
  const text = path.filter((p): p is string => typeof p === 'string').join('');
  return [...text.matchAll(/<(?:[^:<>]+:)?([A-Za-z_]\w*)>/g)].map((m) => m[1]);
}

/** Model values carry only the opaque text, not the evaluator's parameter hints. */
export function clean(parts: Part[]): (string | Opaque)[] {
  return parts.map((p) => (isHole(p) ? { opaque: p.opaque } : p));
}

function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  return fn.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? fn.text) : fn.text;
}
