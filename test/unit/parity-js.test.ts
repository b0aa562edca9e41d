import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JsRouteExtractor, extractTsCalls } from '../../server/src/engine/parity/javascript';
import { foldedText, type SourceRoute } from '../../server/src/engine/parity/model';
import { parsePath, toTemplate } from '../../server/src/engine/parity/normalize';
import type { Framework } from '../../server/src/engine/config/config';
import { makeContext } from '../helpers/context';

async function routesOf(framework: Framework, files: Record<string, string>, tsconfig?: string) {
  const { ctx, fs } = await makeContext(files, (c) => {
    c.server = { framework, sources: ['**/*.ts', '**/*.js'], exclude: [], tsconfig };
  });
  const extractor = new JsRouteExtractor(ctx, framework);
  const { routes } = extractor.extract(ctx.glob(['**/*.ts', '**/*.js']));
  const show = (r: SourceRoute) => `${r.methods.join(',').toUpperCase()} ${toTemplate(parsePath(r.path, framework)[0])}${r.kind !== 'operation' ? ` [${r.kind}]` : ''}${r.conditional ? ' [conditional]' : ''}${r.excluded ? ' [excluded]' : ''}`;
  return { routes, list: routes.map(show).sort(), fs };
}

// ---------------------------------------------------------------- Fastify

test('fastify: shorthand verbs, options objects, route({method, url}), websocket', async () => {
  const { list, routes, fs } = await routesOf('fastify', {
    'src/app.ts': `import Fastify from "fastify";
const app = Fastify();
app.get("/api/sessions/:sessionId", async (request, reply) => ({}));
app.post("/api/sessions", { schema: {} }, async () => ({}));
app.route({ method: ["PUT", "PATCH"], url: "/api/sessions/:id", handler: async () => ({}) });
app.route({ method: "DELETE", path: "/api/sessions/:id", handler });
app.get("/api/stream", { websocket: true }, (socket) => {});
app.withTypeProvider<ZodTypeProvider>().get(
  "/api/typed/:x",
  async () => ({}),
);
`,
  });
  assert.deepEqual(list, ['DELETE /api/sessions/{id}', 'GET /api/sessions/{sessionId}', 'GET /api/stream [websocket]', 'GET /api/typed/{x}', 'POST /api/sessions', 'PUT,PATCH /api/sessions/{id}']);
  const r = routes.find((x) => foldedText(x.path) === '/api/sessions/:sessionId')!;
  assert.equal(fs.readFile(r.span.file)!.slice(r.span.start, r.span.end), '"/api/sessions/:sessionId"');
});

test('fastify: register(plugin, {prefix}) nested, repeated, across files, with constants folded', async () => {
  const { list, routes } = await routesOf('fastify', {
    'src/constants.ts': `export const API = "/api";\nexport const V1 = \`\${API}/v1\`;\n`,
    'src/routes/users.ts': `import type { FastifyInstance } from "fastify";
export default async function users(app: FastifyInstance) {
  app.get("/", async () => []);
  app.get("/:id", async () => ({}));
}
`,
    'src/routes/index.ts': `import users from "./users";
import { FastifyPluginAsync } from "fastify";
export const routes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(users, { prefix: "/users" });
  await fastify.register(users, { prefix: "/admins" });
};
`,
    'src/app.ts': `import Fastify from "fastify";
import { routes } from "./routes";
import { V1 } from "./constants";
const app = Fastify();
app.register(routes, { prefix: V1 });
`,
  });
  assert.deepEqual(list, ['GET /api/v1/admins', 'GET /api/v1/admins/{id}', 'GET /api/v1/users', 'GET /api/v1/users/{id}']);
  const r = routes.find((x) => foldedText(x.path) === '/api/v1/users/:id')!;
  assert.deepEqual(r.chain.map((c) => c.label), ['register(routes, { prefix: V1 })', 'register(users, { prefix: "/users" })']);
});

test('fastify: fastify-plugin ignores the prefix; conditional registration is marked', async () => {
  const { list } = await routesOf('fastify', {
    'src/app.ts': `import Fastify from "fastify";
import fp from "fastify-plugin";
const health = fp(async (app) => { app.get("/health", async () => "ok"); });
async function debug(app) { app.get("/debug/vars", async () => ({})); }
const app = Fastify();
app.register(health, { prefix: "/ignored" });
if (process.env.DEBUG) {
  app.register(debug);
}
`,
  });
  assert.deepEqual(list, ['GET /debug/vars [conditional]', 'GET /health']);
});

test('fastify: path syntax :id(regex), :from-:to, wildcard', async () => {
  const { list } = await routesOf('fastify', {
    'src/app.ts': `const app = require("fastify")();
app.get("/items/:id(^\\\\d+)", h);
app.get("/flights/:from-:to", h);
app.get("/files/*", h);
`,
  });
  assert.deepEqual(list, ['GET /files/*', 'GET /flights/{fromto}', 'GET /items/{id}']);
});

// ---------------------------------------------------------------- Express

test('express: any receiver, type arguments, route().get().post(), arrays, all', async () => {
  const { list } = await routesOf('express', {
    'src/app.ts': `import express from "express";
const app = express();
const settingsRoutes = express.Router();
app.get<{ id: string }>("/users/:id", (req, res) => res.json({}));
app.route("/book").get(listBooks).post(createBook);
settingsRoutes.put(["/settings", "/prefs"], save);
app.all("/legacy", legacy);
app.get("env");
class Api { router = express.Router(); constructor() { this.router.delete("/things/:id", del); } }
app.use("/s", settingsRoutes);
`,
  });
  assert.deepEqual(list, ['* /legacy', 'DELETE /things/{id}', 'GET /book', 'GET /users/{id}', 'POST /book', 'PUT /s/prefs', 'PUT /s/settings']);
});

test('express: use(prefix, ...middleware, router) across files, index.ts, tsconfig path aliases, routers passed as parameters', async () => {
  const { list, routes } = await routesOf(
    'express',
    {
      'tsconfig.json': `{ // comments are allowed here
  "compilerOptions": { "baseUrl": ".", "paths": { "@routes/*": ["src/routes/*"] } } }`,
      'src/routes/pets/index.ts': `import { Router } from "express";
const router = Router();
router.get("/", list);
router.get<{ petId: string }>("/:petId", read);
export default router;
`,
      'src/routes/owners.ts': `import { Router } from "express";
export const ownersRouter = Router();
ownersRouter.post("/", create);
`,
      'src/register.ts': `export function registerHealth(r) {\n  r.get("/health", (req, res) => res.send("ok"));\n}\n`,
      'src/app.ts': `import express from "express";
import petsRouter from "./routes/pets";
import { ownersRouter } from "@routes/owners";
import { registerHealth } from "./register";
const app = express();
app.use(express.json());
app.use("/v1/pets", requireAuth, rateLimit(10), petsRouter);
app.use("/v1/owners", ownersRouter);
registerHealth(app);
`,
    },
    '/project/tsconfig.json',
  );
  assert.deepEqual(list, ['GET /health', 'GET /v1/pets', 'GET /v1/pets/{petId}', 'POST /v1/owners']);
  const pet = routes.find((r) => foldedText(r.path) === '/v1/pets/:petId')!;
  assert.deepEqual(pet.chain.map((c) => c.label), ['use("/v1/pets", petsRouter)']);
});

test('express: Express 5 optional groups and Express 4 optional params expand into variants', async () => {
  const { routes } = await routesOf('express', {
    'src/app.ts': `const app = require("express")();\napp.get("/a{/:id}", h);\napp.get("/b/:id?", h);\n`,
  });
  const variants = routes.map((r) => parsePath(r.path, 'express').map((v) => toTemplate(v)).sort());
  assert.deepEqual(variants, [['/a', '/a/{id}'], ['/b', '/b/{id}']]);
});

// ---------------------------------------------------------------- Koa

test('koa: Router({prefix}), router.prefix(), named routes, nested use(.routes()), template literals of imported constants', async () => {
  const { list } = await routesOf('koa', {
    'src/paths.ts': `export const BASE = "/api";\n`,
    'src/users.ts': `import Router from "@koa/router";
import { BASE } from "./paths";
export const users = new Router({ prefix: \`\${BASE}/users\` });
users.get("user", "/:id", show);
users.post("/", create);
`,
    'src/app.ts': `import Koa from "koa";
import Router from "@koa/router";
import { users } from "./users";
const root = new Router();
const admin = new Router();
admin.prefix("/admin");
admin.get("/stats", stats);
root.use("/v2", admin.routes());
const app = new Koa();
app.use(users.routes());
app.use(root.routes());
`,
  });
  assert.deepEqual(list, ['GET /api/users/{id}', 'GET /v2/admin/stats', 'POST /api/users']);
});

// ---------------------------------------------------------------- Hono

test('hono: chained builders with comments, route(), basePath(), on()', async () => {
  const { list } = await routesOf('hono', {
    'src/books.ts': `import { Hono } from "hono";
const books = new Hono()
  // list
  .get("/", (c) => c.json([]))
  /* create */
  .post("/", (c) => c.json({}))
  .get("/:id{[0-9]+}", (c) => c.json({}));
export default books;
`,
    'src/app.ts': `import { Hono } from "hono";
import books from "./books";
const app = new Hono().basePath("/api");
app.route("/books", books);
app.on(["PUT", "DELETE"], "/books/:id", handler);
app.on("PURGE", ["/cache", "/cache/:key?"], purge);
`,
  });
  assert.deepEqual(list, ['GET /api/books', 'GET /api/books/{id}', 'POST /api/books', 'PURGE /api/cache', 'PURGE /api/cache/{key}', 'PUT,DELETE /api/books/{id}']);
});

// ---------------------------------------------------------------- NestJS

test('nestjs: controllers, method decorators, global prefix with exclude, URI versioning, arrays, exclusion decorators', async () => {
  const { list } = await routesOf('nestjs', {
    'src/main.ts': `import { NestFactory } from "@nestjs/core";
import { VersioningType } from "@nestjs/common";
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix("api/", { exclude: ["health"] });
  app.enableVersioning({ type: VersioningType.URI });
  await app.listen(3000);
}
`,
    'src/cats.controller.ts': `import { Controller, Get, Post, Param, Version } from "@nestjs/common";
import { ApiExcludeEndpoint } from "@nestjs/swagger";
@Controller({ path: "cats", version: ["1", "2"] })
export class CatsController {
  @Get(":id")
  findOne(@Param("id") id: string) {}

  @Post()
  create() {}

  @Get(["search", "find"])
  search() {}

  @ApiExcludeEndpoint()
  @Get("internal")
  internal() {}
}
`,
    'src/health.controller.ts': `import { Controller, Get } from "@nestjs/common";
@Controller()
export class HealthController {
  @Get("health")
  check() {}
}
`,
  });
  assert.deepEqual(list, [
    'GET /api/v1/cats/find',
    'GET /api/v1/cats/internal [excluded]',
    'GET /api/v1/cats/search',
    'GET /api/v1/cats/{id}',
    'GET /api/v2/cats/find',
    'GET /api/v2/cats/internal [excluded]',
    'GET /api/v2/cats/search',
    'GET /api/v2/cats/{id}',
    'GET /health',
    'POST /api/v1/cats',
    'POST /api/v2/cats',
  ]);
});

// ---------------------------------------------------------------- robustness

test('a half-typed file still yields the routes before and after the error', async () => {
  const { list } = await routesOf('express', {
    'src/app.ts': `const app = require("express")();
app.get("/before", h);
app.post("/broken", (req, res) => { res.json({ ok: true
app.get("/after", h);
`,
  });
  assert.ok(list.includes('GET /before'), list.join());
  assert.ok(list.includes('GET /after'), list.join());
});

test('what cannot be folded stays opaque, never guessed', async () => {
  const { routes } = await routesOf('express', {
    'src/app.ts': `const app = require("express")();\napp.get(\`/\${process.env.BASE}/items\`, h);\n`,
  });
  assert.deepEqual(routes.map((r) => foldedText(r.path)), ['/${process.env.BASE}/items']);
});

// ---------------------------------------------------------------- TypeScript SDK call sites

test('TypeScript clients: fetch, axios, openapi-fetch, templates with parameters', async () => {
  const { ctx } = await makeContext({
    'web/api.ts': `import axios from "axios";
const BASE = "https://api.example.com";
export const getSession = (id: string) => fetch(\`\${BASE}/api/sessions/\${id}\`);
export const create = (body) => fetch("/api/sessions", { method: "POST", body });
export const del = (s) => axios.delete(\`/api/sessions/\${s?.id}\`);
export const list = () => axios({ method: "get", url: "/api/sessions?limit=10" });
export const typed = (client) => client.GET("/api/runs/{runId}", { params: { path: { runId: "1" } } });
`,
  });
  const fetchCalls = extractTsCalls(ctx, ['/project/web/api.ts'], { name: 'web', language: 'typescript', sources: [], exclude: [], callSite: { kind: 'fetch', methodArgument: 0, pathArgument: 1, basePath: '' } });
  assert.deepEqual(fetchCalls.map((c) => `${c.method.toUpperCase()} ${foldedText(c.path)}`), ['GET /api/sessions/{id}', 'POST /api/sessions', 'DELETE /api/sessions/{id}', 'GET /api/sessions']);
  const typedCalls = extractTsCalls(ctx, ['/project/web/api.ts'], { name: 'web', language: 'typescript', sources: [], exclude: [], callSite: { kind: 'openapi-fetch', methodArgument: 0, pathArgument: 1, basePath: '' } });
  assert.deepEqual(typedCalls.map((c) => `${c.method.toUpperCase()} ${foldedText(c.path)}`), ['GET /api/runs/{runId}']);
});
