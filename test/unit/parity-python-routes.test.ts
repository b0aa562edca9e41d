import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, silentLogger } from '../../server/src/engine/index';
import { defaultConfig } from '../../server/src/engine/config/config';
import type { ProjectContext } from '../../server/src/engine/context';
import { foldedText, type SourceRoute } from '../../server/src/engine/parity/model';
import type { Span } from '../../server/src/engine/findings';
import { extractPythonRoutes } from '../../server/src/engine/parity/python';
import { MemoryFileSystem } from '../helpers/memoryFs';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/parity');

function readTree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) readTree(p, base, out);
    else out[path.relative(base, p)] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

/** A ProjectContext over an in-memory project, parsing through the engine's tree-sitter parsers. */
async function project(files: Record<string, string>) {
  const memfs = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: memfs, logger: silentLogger });
  await engine.init();
  const dependencies = new Set<string>();
  const ctx: ProjectContext = {
    config: defaultConfig('/project'),
    specs: [],
    host: engine.host,
    sources: engine.sources,
    dependencies,
    glob: (patterns, exclude = []) => memfs.glob(patterns, '/project', exclude),
    readText: (f) => (dependencies.add(f), memfs.readFile(f)),
    source: (f) => {
      dependencies.add(f);
      const text = memfs.readFile(f);
      return text === undefined ? undefined : engine.sources.parse(f, text);
    },
    document: () => undefined,
  };
  return { ctx, memfs };
}

/** Extracts the routes of every .py file; `list` is a compact, sorted view of them. */
async function routesOf(files: Record<string, string>, framework: 'fastapi' | 'flask') {
  const { ctx, memfs } = await project(files);
  const extraction = extractPythonRoutes(ctx, ctx.glob(['**/*.py']), framework);
  const slice = (span: Span) => memfs.readFile(span.file)!.slice(span.start, span.end);
  const list = extraction.routes.map(describe).sort();
  /** The only route with this method and full path. */
  const find = (method: string, full: string) => {
    const found = extraction.routes.filter((r) => r.methods.includes(method) && foldedText(r.path) === full);
    assert.equal(found.length, 1, `one route ${method} ${full}, found ${found.length} in:\n${list.join('\n')}`);
    return found[0];
  };
  return { extraction, routes: extraction.routes, list, slice, find, memfs, ctx };
}

function describe(r: SourceRoute): string {
  const flags = [r.kind !== 'operation' ? r.kind : '', r.conditional ? 'conditional' : '', r.excluded ? 'excluded' : ''].filter((x) => x);
  return `${r.methods.join(',')} ${foldedText(r.path)}${flags.length ? ` [${flags.join(', ')}]` : ''}`;
}

const fixture = (name: string) => readTree(path.join(fixtures, name));
const labels = (r: SourceRoute) => r.chain.map((s) => s.label);


// ---------------------------------------------------------------- FastAPI: full-stack template layout

test('FastAPI: nested include_router chains across modules, prefix from a settings default in another module', async () => {
  const { list } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  assert.deepEqual(list, [
    'delete /api/v1/items/{id}',
    'get /api/v1/items/',
    'get /api/v1/items/{id}',
    'get /api/v1/users/',
    'get /api/v1/users/me',
    'get /api/v1/users/{user_id}',
    'get /api/v1/utils/health-check/',
    'get /static [static]',
    'get /ws/notifications [websocket]',
    'patch /api/v1/users/me/password',
    'post /api/v1/items/',
    'post /api/v1/login/access-token',
    'post /api/v1/password-recovery-html-content/{email} [excluded]',
    'post /api/v1/password-recovery/{email}',
    'post /api/v1/private/users/ [conditional]',
    'post /api/v1/users/signup',
    'post /api/v1/utils/test-email/',
    'put /api/v1/items/{id}',
  ]);
});

test('FastAPI: the chain lists each mount outermost first, with its span, folded prefix and label', async () => {
  const { find, slice } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  const r = find('get', '/api/v1/items/{id}');
  assert.deepEqual(labels(r), ['include_router(api_router, prefix=settings.API_V1_STR)', 'include_router(items.router)', 'APIRouter(prefix="/items")']);
  assert.deepEqual(r.chain.map((s) => foldedText(s.prefix)), ['/api/v1', '', '/items']);
  assert.deepEqual(r.chain.map((s) => s.span.file.replace('/project/backend/app/', '')), ['main.py', 'api/main.py', 'api/routes/items.py']);
  assert.equal(slice(r.chain[0].span), 'app.include_router(api_router, prefix=settings.API_V1_STR)');
  assert.equal(slice(r.chain[1].span), 'api_router.include_router(items.router)');
  assert.equal(slice(r.chain[2].span), 'APIRouter(prefix="/items", tags=["items"])');
  assert.equal(r.framework, 'fastapi');
  assert.equal(r.kind, 'operation');
  assert.equal(r.conditional, false);
  assert.equal(r.excluded, false);
  // A router without a prefix of its own adds no step of its own.
  assert.deepEqual(labels(find('post', '/api/v1/login/access-token')), ['include_router(api_router, prefix=settings.API_V1_STR)', 'include_router(login.router)']);
});

test('FastAPI: span is the path literal, callSpan the decorator', async () => {
  const { routes, slice, find } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  for (const r of routes) {
    assert.match(slice(r.span), /^"[^"]*"$/, describe(r));
    assert.ok(foldedText(r.path).endsWith(slice(r.span).slice(1, -1)), describe(r));
    assert.ok(r.callSpan.start <= r.span.start && r.span.end <= r.callSpan.end, describe(r));
  }
  const root = find('get', '/api/v1/users/');
  assert.equal(slice(root.span), '"/"');
  assert.equal(slice(root.callSpan), '@router.get(\n    "/",\n    dependencies=[Depends(lambda: None)],\n)');
  assert.equal(root.span.file, '/project/backend/app/api/routes/users.py');
});

test('FastAPI: @router.get("/") keeps its trailing slash under the router prefix', async () => {
  const { find } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  assert.deepEqual(find('get', '/api/v1/items/').path, ['/api/v1/items/']);
  assert.deepEqual(find('get', '/api/v1/utils/health-check/').path, ['/api/v1/utils/health-check/']);
});

test('FastAPI: an include under `if settings.ENVIRONMENT == "local":` makes its routes conditional', async () => {
  const { routes, find } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  const r = find('post', '/api/v1/private/users/');
  assert.equal(r.conditional, true);
  assert.deepEqual(labels(r), ['include_router(api_router, prefix=settings.API_V1_STR)', 'include_router(private.router)', 'APIRouter(prefix="/private")']);
  assert.equal(routes.filter((x) => x.conditional).length, 1);
});

test('FastAPI: include_in_schema=False on a route marks it excluded', async () => {
  const { find, routes } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  assert.equal(find('post', '/api/v1/password-recovery-html-content/{email}').excluded, true);
  assert.equal(routes.filter((x) => x.excluded).length, 1);
});

test('FastAPI: @app.websocket is a websocket route, app.mount(StaticFiles) a static one', async () => {
  const { find, slice } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  const ws = find('get', '/ws/notifications');
  assert.equal(ws.kind, 'websocket');
  assert.equal(slice(ws.callSpan), '@app.websocket("/ws/notifications")');
  assert.deepEqual(ws.chain, []);
  const st = find('get', '/static');
  assert.equal(st.kind, 'static');
  assert.equal(slice(st.span), '"/static"');
  assert.equal(slice(st.callSpan), 'app.mount("/static", StaticFiles(directory="static"), name="static")');
});

test('FastAPI: every module read is a dependency of the extraction', async () => {
  const { extraction, ctx } = await routesOf(fixture('fastapi/fullstack'), 'fastapi');
  assert.ok(extraction.files.includes('/project/backend/app/core/config.py'));
  assert.ok(extraction.files.includes('/project/backend/app/api/routes/items.py'));
  assert.ok(ctx.dependencies.has('/project/backend/app/core/config.py'));
});

// ---------------------------------------------------------------- FastAPI: "bigger applications" layout

test('FastAPI: relative imports (from .routers import items → items.router), include_in_schema=False on include_router, operation_id', async () => {
  const { list, find } = await routesOf(fixture('fastapi/bigger'), 'fastapi');
  assert.deepEqual(list, [
    'get /',
    'get /items/',
    'get /items/{item_id}',
    'get /users/',
    'get /users/me',
    'get /users/{username}',
    'post /admin/ [excluded]',
    'put /items/{item_id}',
  ]);
  const admin = find('post', '/admin/');
  assert.deepEqual(labels(admin), ['include_router(admin.router, prefix="/admin")']);
  assert.deepEqual(admin.chain[0].prefix, ['/admin']);
  assert.equal(find('put', '/items/{item_id}').operationId, 'updateItem');
  assert.equal(find('get', '/items/{item_id}').operationId, undefined);
});

// ---------------------------------------------------------------- FastAPI: assorted patterns

test('FastAPI: api_route with methods (default GET), add_api_route with and without methods, converters kept', async () => {
  const { list } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const things = list.filter((l) => / \/api\/v2\/things/.test(l));
  assert.deepEqual(things, [
    'get /api/v2/things/count',
    'get /api/v2/things/internal [excluded]',
    'get /api/v2/things/live [websocket]',
    'get /api/v2/things/search',
    'get,head /api/v2/things/{thing_id:int}',
    'post /api/v2/things/bulk',
  ]);
  assert.ok(list.includes('get /api/v2/files/{file_path:path}'));
});

test('FastAPI: a router included twice yields each of its routes twice, once per mount', async () => {
  const { routes, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const bulk = routes.filter((r) => slice(r.span) === '"/bulk"');
  assert.deepEqual(bulk.map((r) => foldedText(r.path)), ['/api/v2/things/bulk', '/legacy/api/v2/things/bulk']);
  assert.deepEqual(bulk.map(labels), [
    ['include_router(things_router)', 'APIRouter(prefix=f"{V2}/things")'],
    ['include_router(things_router, prefix="/legacy")', 'APIRouter(prefix=f"{V2}/things")'],
  ]);
  assert.equal(bulk[0].span.start, bulk[1].span.start);
  assert.equal(slice(bulk[0].callSpan), 'router.add_api_route("/bulk", bulk_create, methods=["POST"])');
  assert.deepEqual(bulk[0].chain[1].prefix, ['/api/v2/things']);
});

test('FastAPI: constants folded across modules: f-strings, +, %, str.format, str.join, Field() and lru_cache settings', async () => {
  const { find, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  assert.equal(slice(find('get', '/api/v2/files/{file_path:path}').span), 'consts.FILES + "/{file_path:path}"');
  assert.equal(slice(find('get', '/reports/daily').span), 'consts.REPORT_FMT % "daily"');
  assert.equal(slice(find('get', '/api/v2/files/latest').span), '"{}/latest".format(consts.FILES)');
  assert.equal(slice(find('get', '/api/v2/archive').span), '"/".join([consts.V2, "archive"])');
  // Settings().admin_prefix through `get_settings()` (an lru_cache'd function) and `Field("/admin", ...)`.
  assert.deepEqual(find('get', '/admin/users').chain.map((s) => foldedText(s.prefix)), ['', '/admin']);
});

test('FastAPI: what cannot be folded is an opaque part, never a guess', async () => {
  const { routes, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const health = routes.find((r) => slice(r.span).startsWith('os.environ'))!;
  assert.deepEqual(health.path, [{ opaque: 'os.environ.get("HEALTH_PATH", "/health")' }]);
  const status = routes.find((r) => slice(r.span) === 'f"{settings.proxy_prefix}/status"')!;
  assert.deepEqual(status.path, [{ opaque: 'settings.proxy_prefix' }, '/status']);
});

test('FastAPI: a router never mounted still counts, under its own prefix', async () => {
  const { find, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const r = find('get', '/orphan/ping');
  assert.deepEqual(labels(r), ['APIRouter(prefix="/orphan")']);
  assert.equal(slice(r.chain[0].span), 'APIRouter(prefix="/orphan")');
});

test('FastAPI: app.mount of a sub-application prefixes its routes', async () => {
  const { find, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const r = find('get', '/v1/items');
  assert.deepEqual(labels(r), ['mount("/v1", v1)']);
  assert.equal(slice(r.chain[0].span), 'app.mount("/v1", v1)');
});

test('FastAPI: an include inside a function that receives the app (register_admin(app))', async () => {
  const { find, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const r = find('get', '/admin/users');
  assert.deepEqual(labels(r), ['register_admin(app)', 'include_router(admin, prefix=get_settings().admin_prefix)']);
  assert.equal(slice(r.chain[0].span), 'register_admin(app)');
  assert.equal(r.chain[0].span.file, '/project/service/main.py');
  assert.equal(r.chain[1].span.file, '/project/service/admin.py');
});

test('FastAPI: a router created and included under `if settings.debug:`', async () => {
  const { find } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const r = find('get', '/debug/routes');
  assert.equal(r.conditional, true);
  assert.deepEqual(labels(r), ['include_router(debug, prefix="/debug")']);
});

test('FastAPI: a for loop over a literal list registers once per item', async () => {
  const { routes, slice } = await routesOf(fixture('fastapi/patterns'), 'fastapi');
  const features = routes.filter((r) => slice(r.span) === 'f"/features/{flag}"');
  assert.deepEqual(features.map(describe), ['get /features/alpha', 'get /features/beta']);
});

test('FastAPI: a half-typed decorator mid-file loses only itself', async () => {
  const { list, routes, slice } = await routesOf(fixture('fastapi/broken'), 'fastapi');
  assert.deepEqual(list, ['delete /after/{id}', 'get /after/{id}', 'get /before']);
  assert.deepEqual(routes.map((r) => slice(r.span)), ['"/before"', '"/after/{id}"', '"/after/{id}"']);
  assert.deepEqual(routes.map((r) => slice(r.callSpan)), ['@app.get("/before")', '@app.get("/after/{id}")', '@app.delete("/after/{id}")']);
});

test('FastAPI: APIRouter(include_in_schema=False), app.router, and decorators on an unresolvable app', async () => {
  const { list } = await routesOf(
    {
      'main.py': [
        'from fastapi import APIRouter, FastAPI',
        'from vendored.factory import app as external_app',
        'app = FastAPI()',
        'hidden = APIRouter(prefix="/internal", include_in_schema=False)',
        '@hidden.get("/metrics")',
        'def metrics(): ...',
        'app.include_router(hidden)',
        'app.router.add_api_route("/via-router", metrics, methods=["PUT"])',
        '@external_app.get("/external")',
        'def ext(): ...',
        'cache = {}',
        'cache.get("/not-a-route")',
        '',
      ].join('\n'),
    },
    'fastapi',
  );
  assert.deepEqual(list, ['get /external', 'get /internal/metrics [excluded]', 'put /via-router']);
});

test('FastAPI: for (prefix, router) in a literal list of tuples; a star import of constants', async () => {
  const { list } = await routesOf(
    {
      'app/consts.py': 'V1 = "/v1"\nV2 = "/v2"\n',
      'app/routers.py': 'from fastapi import APIRouter\nusers = APIRouter(prefix="/users")\n@users.get("")\ndef l(): ...\nteams = APIRouter()\n@teams.post("/teams")\ndef c(): ...\n',
      'app/main.py': [
        'from fastapi import FastAPI',
        'from app.consts import *',
        'from app import routers',
        'app = FastAPI()',
        'for prefix, router in [(V1, routers.users), (V2, routers.teams)]:',
        '    app.include_router(router, prefix=prefix)',
        '',
      ].join('\n'),
    },
    'fastapi',
  );
  assert.deepEqual(list, ['get /v1/users', 'post /v2/teams']);
});

test('FastAPI: string literal forms: implicit concatenation, escapes, {{ }} in f-strings, raw strings', async () => {
  const { list } = await routesOf(
    {
      'main.py': [
        'from fastapi import FastAPI',
        'P = "/items"',
        'app = FastAPI()',
        '@app.get("/a" "/b")',
        'def a(): ...',
        '@app.get(f"{P}/{{item_id}}")',
        'def b(): ...',
        '@app.get(r"/raw\\d")',
        'def c(): ...',
        '@app.get("/caf\\u00e9")',
        'def d(): ...',
        '@app.get(f"{P!r}")',
        'def e(): ...',
        '',
      ].join('\n'),
    },
    'fastapi',
  );
  assert.deepEqual(list, ['get ${P}', 'get /a/b', 'get /café', 'get /items/{item_id}', 'get /raw\\d']);
});

test('Starlette: routes=[Route, WebSocketRoute, Mount(routes=...), Mount(app=StaticFiles)]', async () => {
  const { list, find, slice } = await routesOf(
    {
      'app.py': [
        'from starlette.applications import Starlette',
        'from starlette.routing import Mount, Route, WebSocketRoute',
        'from starlette.staticfiles import StaticFiles',
        'API = "/api"',
        'async def home(request): ...',
        'async def users(request): ...',
        'async def ws(websocket): ...',
        'api_routes = [',
        '    Route("/users", users, methods=["GET", "POST"]),',
        '    Route("/users/{user_id:int}", users),',
        ']',
        'app = Starlette(routes=[',
        '    Route("/", home),',
        '    WebSocketRoute("/ws", ws),',
        '    Mount(API, routes=api_routes),',
        '    Mount("/static", app=StaticFiles(directory="static"), name="static"),',
        '])',
        '',
      ].join('\n'),
    },
    'fastapi',
  );
  assert.deepEqual(list, ['get /', 'get /api/users/{user_id:int}', 'get /static [static]', 'get /ws [websocket]', 'get,post /api/users']);
  const r = find('post', '/api/users');
  assert.deepEqual(labels(r), ['Mount(API, routes=api_routes)']);
  assert.equal(slice(r.span), '"/users"');
  assert.equal(slice(r.callSpan), 'Route("/users", users, methods=["GET", "POST"])');
});

// ---------------------------------------------------------------- Flask: the tutorial (flaskr)

test('Flask: an app factory registering blueprints imported with `from . import auth`', async () => {
  const { list } = await routesOf(fixture('flask/flaskr'), 'flask');
  assert.deepEqual(list, [
    'get /',
    'get /',
    'get /auth/logout',
    'get /hello',
    'get,post /<int:id>/update',
    'get,post /auth/login',
    'get,post /auth/register',
    'get,post /create',
    'post /<int:id>/delete',
  ]);
});

test('Flask: @bp.route default GET, methods tuples, url_prefix of the blueprint, add_url_rule without a view', async () => {
  const { routes, slice } = await routesOf(fixture('flask/flaskr'), 'flask');
  const login = routes.find((r) => slice(r.span) === '"/login"')!;
  assert.deepEqual(login.methods, ['get', 'post']);
  assert.deepEqual(labels(login), ['register_blueprint(auth.bp)', 'Blueprint("auth", url_prefix="/auth")']);
  assert.equal(slice(login.chain[0].span), 'app.register_blueprint(auth.bp)');
  assert.equal(slice(login.chain[1].span), 'Blueprint("auth", __name__, url_prefix="/auth")');
  assert.equal(slice(login.callSpan), '@bp.route("/login", methods=("GET", "POST"))');
  const index = routes.filter((r) => foldedText(r.path) === '/');
  assert.deepEqual(index.map((r) => slice(r.callSpan)), ['app.add_url_rule("/", endpoint="index")', '@bp.route("/")']);
  assert.deepEqual(index.map((r) => r.framework), ['flask', 'flask']);
});

// ---------------------------------------------------------------- Flask: blueprints, MethodView

test('Flask: register_blueprint(url_prefix=) wins over the blueprint\'s own; nested blueprints; "" rule; converters', async () => {
  const { list, find, slice } = await routesOf(fixture('flask/blueprints'), 'flask');
  assert.deepEqual(list, [
    'delete /api/users/<int:user_id>',
    'get /api/admin/audit',
    'get /api/admin/audit/events/<path:event_path>',
    'get /api/admin/stats',
    'get /api/users/',
    'get /api/users/<int:user_id>',
    'get /debug/config [conditional]',
    'get /health',
    'get,head /ping',
    'get,patch /api/items/<int:id>',
    'get,post /api/users-mv/',
    'get,put /files/<path:filename>',
    'get,put,delete /api/users-mv/<int:user_id>',
    'post /api/users/',
  ]);
  // The registration prefix replaces "/people": no step for the blueprint's own prefix.
  assert.deepEqual(labels(find('post', '/api/users/')), ['register_blueprint(users_bp, url_prefix=Config.API_PREFIX + "/users")']);
  assert.deepEqual(find('post', '/api/users/').chain[0].prefix, ['/api/users']);
  const audit = find('get', '/api/admin/audit');
  assert.equal(slice(audit.span), '""');
  assert.deepEqual(labels(audit), ['register_blueprint(admin_bp)', 'Blueprint("admin", url_prefix=Config.ADMIN_PREFIX)', 'register_blueprint(audit_bp)', 'Blueprint("audit", url_prefix="/audit")']);
  assert.deepEqual(audit.chain.map((s) => foldedText(s.prefix)), ['', '/api/admin', '', '/audit']);
});

test('Flask: MethodView methods come from the class, filtered by what each URL can call', async () => {
  const { find, slice } = await routesOf(fixture('flask/blueprints'), 'flask');
  const list = find('post', '/api/users-mv/');
  assert.deepEqual(list.methods, ['get', 'post']);
  assert.equal(slice(list.callSpan), 'app.add_url_rule("/api/users-mv/", view_func=user_view)');
  assert.deepEqual(find('put', '/api/users-mv/<int:user_id>').methods, ['get', 'put', 'delete']);
  const item = find('patch', '/api/items/<int:id>');
  assert.deepEqual(labels(item), ['register_item_views(app)']);
  assert.equal(item.span.file, '/project/api/views.py');
});

test('Flask: add_url_rule with a positional view function (GET) or explicit methods; a route under `if app.debug:`', async () => {
  const { find, slice } = await routesOf(fixture('flask/blueprints'), 'flask');
  assert.equal(slice(find('get', '/health').callSpan), 'app.add_url_rule("/health", "health", health)');
  assert.deepEqual(find('head', '/ping').methods, ['get', 'head']);
  assert.equal(find('get', '/debug/config').conditional, true);
});

// ---------------------------------------------------------------- Flask-RESTful / Flask-RESTX

test('Flask-RESTful: add_resource with two URLs, methods from the class matched to each URL; Api(bp, prefix=)', async () => {
  const { list, find, slice } = await routesOf(fixture('flask/restful'), 'flask');
  assert.deepEqual(list.filter((l) => /todos|health/.test(l)), ['get /v2/api/health', 'get,post /todos', 'get,put,delete /todos/<todo_id>']);
  const todos = find('get', '/todos');
  assert.equal(slice(todos.span), '"/todos"');
  assert.equal(slice(todos.callSpan), 'api.add_resource(Todo, "/todos", "/todos/<todo_id>")');
  assert.equal(slice(find('get', '/todos/<todo_id>').span), '"/todos/<todo_id>"');
  assert.deepEqual(labels(find('get', '/v2/api/health')), ['register_blueprint(v2)', 'Blueprint("v2", url_prefix="/v2")', 'Api(v2, prefix="/api")']);
});

test('Flask-RESTX: namespaces (default path from the name, api.namespace(path=)) and @ns.route on Resource classes', async () => {
  const { list, find } = await routesOf(fixture('flask/restful'), 'flask');
  assert.deepEqual(list.filter((l) => /cats|canines/.test(l)), ['get /api/canines/<int:id>', 'get /api/cats/<id>', 'get,post /api/cats/']);
  assert.deepEqual(labels(find('post', '/api/cats/')), ['Api(app, prefix="/api")', 'add_namespace(cats)', 'Namespace("cats")']);
});

test('Flask: app.route(...)(view) applied by hand, and a half-typed route between two good ones', async () => {
  const { list } = await routesOf(
    {
      'app.py': [
        'from flask import Flask',
        'app = Flask(__name__)',
        'def view(): ...',
        'app.route("/manual", methods=["DELETE"])(view)',
        '@app.route("/before")',
        'def before(): ...',
        '@app.route("/typing", methods=["GET",',
        'def typing(',
        '@app.post("/after")',
        'def after(): ...',
        '',
      ].join('\n'),
    },
    'flask',
  );
  assert.deepEqual(list, ['delete /manual', 'get /before', 'post /after']);
});

test('Flask: url_prefix=None and methods=None mean the defaults', async () => {
  const { list } = await routesOf(
    {
      'app.py': [
        'from flask import Blueprint, Flask',
        'app = Flask(__name__)',
        'bp = Blueprint("bp", __name__, url_prefix="/own")',
        '@bp.route("/x", methods=None)',
        'def x(): ...',
        'app.register_blueprint(bp, url_prefix=None)',
        '',
      ].join('\n'),
    },
    'flask',
  );
  assert.deepEqual(list, ['get /own/x']);
});

test('spans are UTF-16 offsets: non-ASCII text before a route, and in a file recovered from a syntax error', async () => {
  const source = [
    '# Café ☕ and a rocket 🚀 before the routes',
    'from fastapi import FastAPI',
    'app = FastAPI(title="Ünïcödé 🚀")',
    '@app.get("/crème/{id}")',
    'def a(id): ...',
    '@app.post("/broken" 🚀',
    'def b(:',
    '@app.get("/après")',
    'def c(): ...',
    '',
  ].join('\n');
  const { routes, slice } = await routesOf({ 'main.py': source }, 'fastapi');
  assert.deepEqual(routes.map((r) => slice(r.span)), ['"/crème/{id}"', '"/après"']);
  assert.deepEqual(routes.map((r) => slice(r.callSpan)), ['@app.get("/crème/{id}")', '@app.get("/après")']);
});

test('imports: namespace packages (no __init__.py) resolve, a folder named like a library does not hide it', async () => {
  const { list } = await routesOf(
    {
      'fastapi/README.md': 'notes about our FastAPI usage\n',
      'src/app/routers.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/things")\n@router.get("/{id}")\ndef get(id): ...\n',
      'src/app/main.py': 'from fastapi import FastAPI\nfrom app import routers\nimport app.routers\napp = FastAPI()\napp.include_router(routers.router, prefix="/v1")\n',
    },
    'fastapi',
  );
  assert.deepEqual(list, ['get /v1/things/{id}']);
});

test('FastAPI: a router built in a class __init__ and read from an instance; a router factory called twice', async () => {
  const { list } = await routesOf(
    {
      'main.py': [
        'from fastapi import APIRouter, FastAPI',
        'class ItemRoutes:',
        '    def __init__(self):',
        '        self.router = APIRouter(prefix="/items")',
        '        self.router.add_api_route("/{id}", self.read, methods=["GET"])',
        '    async def read(self, id: int): ...',
        'def make_router():',
        '    router = APIRouter()',
        '    @router.get("/health")',
        '    async def health(): ...',
        '    return router',
        'app = FastAPI()',
        'app.include_router(ItemRoutes().router, prefix="/v1")',
        'app.include_router(make_router(), prefix="/a")',
        'app.include_router(make_router(), prefix="/b")',
        '',
      ].join('\n'),
    },
    'fastapi',
  );
  assert.deepEqual(list, ['get /a/health', 'get /b/health', 'get /v1/items/{id}']);
});
