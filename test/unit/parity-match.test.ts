import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkProject } from '../helpers/check';

const spec = (paths: string, extra = '') => `openapi: 3.0.3
info: {title: shop, version: "1"}
${extra}paths:
${paths}`;

const op = (method: string, id: string, params: string[] = []) =>
  `    ${method}:\n      operationId: ${id}\n${params.length ? `      parameters:\n${params.map((p) => `        - {name: ${p}, in: path, required: true, schema: {type: string}}\n`).join('')}` : ''}      responses: {'200': {description: ok}}\n`;

const config = (extra = '') => `spec: openapi.yaml\nserver:\n  framework: express\n  sources: ["src/**/*.ts"]\n${extra}`;

test('matched routes produce no findings; unmatched sides are reported where the fix belongs', async () => {
  const { view, result } = await checkProject({
    'contract-lens.yaml': config(),
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}  /pets/{petId}:\n${op('get', 'getPet', ['petId'])}${op('delete', 'deletePet', ['petId'])}`),
    'src/app.ts': `import express from "express";\nconst app = express();\napp.get("/pets", list);\napp.get("/pets/:petId", read);\napp.post("/pets/:petId/photos", upload);\n`,
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.file}:${v.at} ${v.text}`), [
    'parity.unimplemented-operation openapi.yaml:14:5 delete',
    'parity.undocumented-route src/app.ts:5:10 "/pets/:petId/photos"',
  ]);
  assert.deepEqual(result.parity!.summary, { operations: 3, routes: 3, calls: 0, matchedOperations: 2, matchedRoutes: 2, matchedCalls: 0 });
  const undocumented = view[1];
  assert.deepEqual(undocumented.data, { method: 'post', path: '/pets/{petId}/photos', suggestedOperationId: 'postPetsByPetIdPhotos', specFile: '/project/openapi.yaml' });
});

test('same path, other method: one method-mismatch finding instead of two', async () => {
  const { view } = await checkProject({
    'contract-lens.yaml': config(),
    'openapi.yaml': spec(`  /pets/{petId}:\n${op('put', 'replacePet', ['petId'])}`),
    'src/app.ts': `const app = require("express")();\napp.post("/pets/:petId", h);\n`,
  });
  assert.deepEqual(view.map((v) => v.code), ['parity.method-mismatch']);
  assert.match(view[0].message, /registers POST \/pets\/\{petId\} but the spec documents PUT \/pets\/\{petId\} \(replacePet\)/);
});

test('a constant prefix explains many mismatches: one prefix-mismatch finding', async () => {
  const { view } = await checkProject({
    'contract-lens.yaml': config(),
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}  /owners:\n${op('get', 'listOwners')}  /stores:\n${op('get', 'listStores')}`),
    'src/app.ts': `const app = require("express")();\nconst r = require("express").Router();\nr.get("/pets", h);\nr.get("/owners", h);\nr.get("/stores", h);\napp.use("/internal/v2", r);\n`,
  });
  assert.deepEqual(view.map((v) => v.code), ['parity.prefix-mismatch']);
  assert.equal(view[0].data?.prefix, '/internal/v2');
  assert.ok(view[0].related!.some((r) => r.message.includes('mounted') || r.message.includes('GET')));
});

test('servers[].url and server.prefix are tried with and without', async () => {
  const files = {
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}`, 'servers: [{url: "https://api.example.com/v1"}]\n'),
    'src/app.ts': `const app = require("express")();\napp.get("/v1/pets", h);\n`,
  };
  assert.deepEqual((await checkProject({ ...files, 'contract-lens.yaml': config() })).view, []);
  const withConfigPrefix = await checkProject({
    'contract-lens.yaml': config('  prefix: /gateway\n'),
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}`),
    'src/app.ts': `const app = require("express")();\napp.get("/gateway/pets", h);\n`,
  });
  assert.deepEqual(withConfigPrefix.view, []);
});

test('parameter names are compared by position; a different name is a hint', async () => {
  const { view } = await checkProject({
    'contract-lens.yaml': config(),
    'openapi.yaml': spec(`  /pets/{petId}:\n${op('get', 'getPet', ['petId'])}`),
    'src/app.ts': `const app = require("express")();\napp.get("/pets/:id", h);\n`,
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.text}`), ['parity.param-name-mismatch "/pets/:id"']);
});

test('opaque and conditional routes are unverifiable (info), never missing', async () => {
  const { view } = await checkProject({
    'contract-lens.yaml': config(),
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}  /debug:\n${op('get', 'debug')}`),
    'src/app.ts': `const app = require("express")();\napp.get(\`/\${process.env.PETS}\`, h);\nif (process.env.DEBUG) app.get("/debug", h);\n`,
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.text}`), ['parity.unverifiable-route `/${process.env.PETS}`', 'parity.unverifiable-route "/debug"']);
  assert.ok(view.every((v) => v.code !== 'parity.unimplemented-operation'));
});

test('websocket routes, framework exclusions and the ignore list are not undocumented', async () => {
  const { view, result } = await checkProject({
    'contract-lens.yaml': `spec: openapi.yaml\nserver:\n  framework: fastify\n  sources: ["src/**/*.ts"]\nrules:\n  ignore: ["GET /metrics"]\n`,
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}`),
    'src/app.ts': `const app = require("fastify")();\napp.get("/pets", h);\napp.get("/stream", { websocket: true }, h);\napp.get("/metrics", h);\n`,
  });
  assert.deepEqual(view, []);
  assert.deepEqual(result.parity!.routes.map((r) => r.status).sort(), ['documented', 'ignored', 'non-operation']);
});

test('SDK calls: a call the spec does not document, and a call with the wrong method', async () => {
  const { view } = await checkProject({
    'contract-lens.yaml': `spec: openapi.yaml\nclients:\n  - name: web\n    language: typescript\n    sources: ["web/**/*.ts"]\n    callSite: {kind: fetch}\n`,
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}  /pets/{petId}:\n${op('get', 'getPet', ['petId'])}`),
    'web/api.ts': `export const a = () => fetch("/pets");\nexport const b = (id: string) => fetch(\`/pets/\${id}\`, { method: "DELETE" });\nexport const c = () => fetch("/petz");\n`,
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.at} ${v.text}`), ['parity.sdk-unknown-route 2:40 `/pets/${id}`', 'parity.sdk-unknown-route 3:30 "/petz"']);
  assert.match(view[0].message, /documents only GET on that path/);
  assert.match(view[1].message, /Did you mean GET \/pets\?/);
});

test('the framework is detected from imports when the config does not name it', async () => {
  const { result } = await checkProject({
    'contract-lens.yaml': `spec: openapi.yaml\nserver:\n  sources: ["src/**/*.ts"]\n`,
    'openapi.yaml': spec(`  /pets:\n${op('get', 'listPets')}`),
    'src/app.ts': `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/pets", (c) => c.json([]));\n`,
  });
  assert.equal(result.parity!.framework, 'hono');
  assert.equal(result.parity!.summary.matchedRoutes, 1);
});
