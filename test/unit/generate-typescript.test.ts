import { test } from 'node:test';
import { expectGolden } from '../helpers/golden';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContractEngine, silentLogger } from '../../server/src/engine/index';
import { generateProject, parseHeader, planWrites, toolVersion, writeOutputs, type WritableFileSystem } from '../../server/src/engine/generate/index';
import { generateFromFile } from '../../server/src/engine/generate/standalone';
import { loadForGeneration } from '../../server/src/engine/generate/load';
import { methodName } from '../../server/src/engine/generate/typescript';
import { generateCommand } from '../../server/src/commands/generate';
import { MemoryFileSystem } from '../helpers/memoryFs';
import { checkFiles } from '../helpers/check';

const repo = path.resolve(__dirname, '../../..');
const tscBin = path.join(repo, 'node_modules/typescript/bin/tsc');
const shared = path.join(repo, 'test/fixtures/generate');
const own = path.join(repo, 'test/fixtures/typescript-client');

/** Every fixture: the Python targets' construct fixtures, and the client's own (pets, collisions). */
const fixtures: { name: string; spec: string; golden: string }[] = [
  ...fs.readdirSync(shared).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).concat('split').map((name) => ({
    name,
    spec: path.join(shared, name === 'split' ? 'split/openapi.yaml' : `${name}.yaml`),
    golden: path.join(repo, 'test/golden/generate', name, 'typescript-client'),
  })),
  ...fs.readdirSync(own).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).map((name) => ({
    name: `client-${name}`,
    spec: path.join(own, `${name}.yaml`),
    golden: path.join(repo, 'test/golden/typescript-client', name),
  })),
].sort((a, b) => (a.name < b.name ? -1 : 1));

const normalize = (text: string) => text.replace(`contract-lens ${toolVersion} (`, 'contract-lens <version> (');

const generate = (spec: string, out = '/out') => generateFromFile(spec, out, ['typescript-client']);

/** The strictest settings a consuming project is likely to use (all of them on top of --strict). */
const strictest = {
  strict: true,
  target: 'es2022',
  lib: ['es2022', 'dom'],
  module: 'nodenext',
  types: [],
  skipLibCheck: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  erasableSyntaxOnly: true,
};

/** Runs the repository's own tsc on a folder (an ES module package) and returns its diagnostics. */
function tsc(dir: string, options: Record<string, unknown>): { status: number | null; output: string } {
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['**/*.ts'] }));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const r = spawnSync(process.execPath, [tscBin, '-p', dir], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function writeClient(spec: string, dir: string): string {
  const out = path.join(dir, 'client');
  for (const f of generate(spec, out).files) {
    fs.mkdirSync(path.dirname(f.file), { recursive: true });
    fs.writeFileSync(f.file, f.text);
  }
  return path.join(out, 'typescript-client');
}

// ------------------------------------------------------------------------------------------------
// Goldens, determinism, compilation

for (const fx of fixtures) {
  test(`golden: ${fx.name}, typescript-client`, () => {
    const out = generate(fx.spec);
    assert.deepEqual(out.files.map((f) => path.basename(f.file)), ['models.ts', 'index.ts', 'client.ts']);
    for (const f of out.files) {
      expectGolden(path.join(fx.golden, path.basename(f.file)), normalize(f.text));
    }
  });
}

test('every fixture compiles with tsc --strict and the stricter flags projects turn on (one tsc run)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ts-all-'));
  for (const fx of fixtures) writeClient(fx.spec, path.join(dir, fx.name));
  const r = tsc(dir, { ...strictest, noEmit: true });
  assert.equal(r.output, '');
  assert.equal(r.status, 0);
});

test('the generated types say what the spec says: wrong calls and wrong reads do not compile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ts-types-'));
  writeClient(path.join(own, 'pets.yaml'), dir);
  // Each @ts-expect-error must meet an error, or tsc fails: the checks cannot pass vacuously.
  fs.writeFileSync(
    path.join(dir, 'use.ts'),
    `import { ApiClient, type Pet, type Problem } from './client/typescript-client/index.js';
const client = new ApiClient({ baseUrl: 'http://127.0.0.1' });
export async function use(): Promise<string> {
  const r = await client.getPet({ path: { petId: 'a' } });
  if (r.status === 200) {
    const pet: Pet = r.data;
    return pet.name;
  }
  const problem: Problem = r.data;
  // @ts-expect-error the 404 body is a Problem, not a Pet
  const wrong: Pet = r.data;
  void wrong;
  // @ts-expect-error the path parameter is required
  await client.getPet({});
  // @ts-expect-error the query parameter limit is an integer
  await client.listPets({ query: { limit: 'ten' } });
  // @ts-expect-error the body needs a name
  await client.createPet({ body: { kind: 'cat' } });
  // @ts-expect-error kind is an enum
  await client.createPet({ body: { name: 'Rex', kind: 'cow' } });
  const created = await client.createPet({ body: { name: 'Rex', kind: 'dog', tag: null } });
  if (created.ok) return created.data.id;
  const listed = await client.listPets();
  const first: Pet | undefined = listed.data[0];
  const health = await client.getHealth();
  // @ts-expect-error status is an enum of two values
  const s: 'up' = health.data.status;
  void s;
  const deleted = await client.delete({ path: { petId: 'a' } });
  const nothing: undefined = deleted.data;
  void nothing;
  return problem.title + (first?.name ?? '');
}
`,
  );
  const r = tsc(dir, { ...strictest, noEmit: true });
  assert.equal(r.output, '');
  assert.equal(r.status, 0);
});

test('deterministic: the same spec twice, and its component schemas in another order, give the same bytes', () => {
  const spec = path.join(own, 'pets.yaml');
  const a = generate(spec).files.map((f) => f.text);
  assert.deepEqual(generate(spec).files.map((f) => f.text), a);
  const text = fs.readFileSync(spec, 'utf8');
  const [head, schemas] = text.split('  schemas:\n');
  const blocks = schemas.split(/\n(?=    \S)/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ts-order-'));
  fs.writeFileSync(path.join(dir, 'pets.yaml'), `${head}  schemas:\n${blocks.reverse().join('\n').replace(/\n*$/, '\n')}`);
  // The inputs hash (line 3) covers the spec's text; everything else, the output hash included, is the same.
  const withoutInputs = (t: string) => t.split('\n').filter((_, i) => i !== 2).join('\n');
  const b = generate(path.join(dir, 'pets.yaml')).files.map((f) => withoutInputs(f.text));
  assert.deepEqual(b, a.map(withoutInputs));
});

test('method names: camelCase operationIds, deduplicated, never the constructor or then', () => {
  assert.equal(methodName('listPets'), 'listPets');
  assert.equal(methodName('repos/get-content'), 'reposGetContent');
  assert.equal(methodName('GET_USERS'), 'getUSERS');
  assert.equal(methodName('2fa'), 'op2fa');
  assert.equal(methodName('--'), 'operation');
  const client = generate(path.join(own, 'collisions.yaml')).files.find((f) => f.file.endsWith('client.ts'))!.text;
  const methods = [...client.matchAll(/^ {2}([A-Za-z0-9_$]+)\([^\n]*\): Promise</gm)].map((m) => m[1]);
  assert.deepEqual(methods.sort(), ['class', 'constructor2', 'getPet', 'getPet2', 'listPets', 'op2fa', 'then2']);
  // Schemas named like the client's own exports push those aside; index.ts re-exports both without ambiguity.
  assert.match(client, /^export class ApiClient2 \{/m);
  assert.match(client, /^export class ApiError2 extends Error \{/m);
});

// ------------------------------------------------------------------------------------------------
// The client against a real HTTP server

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function petServer(): Promise<{ server: http.Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const url = new URL(req.url!, 'http://x');
      const json = (status: number, value: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(JSON.stringify(value));
      };
      const p = url.pathname;
      if (req.method === 'GET' && p === '/v1/pets') return json(200, [{ id: 'p1', name: 'Rex', kind: 'dog', tag: null }]);
      if (req.method === 'POST' && p === '/v1/pets') {
        const pet = JSON.parse(body) as { name: string };
        if (pet.name === '') return json(422, { title: 'name is empty', status: 422 }, 'application/problem+json');
        return json(201, { id: 'p2', ...pet });
      }
      if (req.method === 'GET' && p === '/v1/pets/a%20b%2Fc') return json(200, { id: 'a b/c', name: 'Slash', kind: 'cat' });
      if (req.method === 'GET' && p === '/v1/pets/missing') return json(404, { title: 'no such pet' });
      if (req.method === 'GET' && p === '/v1/pets/teapot') return json(418, { title: 'I am a teapot' });
      if (req.method === 'DELETE' && p === '/v1/pets/p1') {
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'GET' && p === '/v1/pets/p1/photo') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('Rex, asleep');
      }
      if (req.method === 'GET' && p === '/v1/pets/p2/photo') return json(500, { title: 'camera broke' });
      if (req.method === 'GET' && p === '/v1/shelters/7/pets/p1') return json(200, { id: 'p1', name: 'Rex', kind: 'dog' });
      if (req.method === 'GET' && p === '/v1/health') return json(200, { status: 'ok' });
      json(500, { title: `unexpected ${req.method} ${req.url}` });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`, seen })));
}

test('the generated client, compiled by tsc, against a local HTTP server: path, query, headers, JSON body, results by status', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ts-live-'));
  const out = writeClient(path.join(own, 'pets.yaml'), dir);
  const r = tsc(dir, { ...strictest, rootDir: dir, outDir: path.join(dir, 'js') });
  assert.equal(r.output, '');
  // The generated code is erasable TypeScript; tsc's JavaScript is what a project would run.
  const mod = await import(pathToFileURL(path.join(dir, 'js', path.relative(dir, out), 'index.js')).href);
  const { server, base, seen } = await petServer();
  try {
    const fetched: string[] = [];
    let token = 0;
    const client = new mod.ApiClient({
      baseUrl: base,
      fetch: (url: string, init: RequestInit) => {
        fetched.push(`${init.method} ${url}`);
        return fetch(url, init);
      },
      headers: () => ({ authorization: `Bearer t${++token}` }),
    });

    // Query: form/explode arrays, pipeDelimited, deepObject; a header parameter; undefined values left out.
    const list = await client.listPets({ query: { limit: 10, tag: ['a', 'b c'], ids: [1, 2, 3], filter: { kind: 'cat', minAge: 2 }, unused: undefined }, header: { 'X-Request-Id': 'req-1' } });
    assert.equal(list.status, 200);
    assert.equal(list.ok, true);
    assert.deepEqual(list.data, [{ id: 'p1', name: 'Rex', kind: 'dog', tag: null }]);
    assert.equal(seen[0].url, '/v1/pets?limit=10&tag=a&tag=b%20c&ids=1|2|3&filter[kind]=cat&filter[minAge]=2');
    assert.equal(seen[0].headers['x-request-id'], 'req-1');
    assert.equal(seen[0].headers.authorization, 'Bearer t1');
    assert.equal(fetched[0], `GET ${base.replace(/\/$/, '')}/pets?limit=10&tag=a&tag=b%20c&ids=1|2|3&filter[kind]=cat&filter[minAge]=2`);

    // A JSON body; a declared range (4XX) returns, it does not throw.
    const created = await client.createPet({ body: { name: 'Tom', kind: 'cat', tag: null } });
    assert.deepEqual([created.status, created.ok, created.data], [201, true, { id: 'p2', name: 'Tom', kind: 'cat', tag: null }]);
    assert.equal(seen[1].method, 'POST');
    assert.equal(seen[1].headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(seen[1].body), { name: 'Tom', kind: 'cat', tag: null });
    const invalid = await client.createPet({ body: { name: '', kind: 'cat' } });
    assert.deepEqual([invalid.status, invalid.ok, invalid.data], [422, false, { title: 'name is empty', status: 422 }]);

    // Path parameters are percent-encoded; declared error statuses are results.
    const pet = await client.getPet({ path: { petId: 'a b/c' } });
    assert.deepEqual([pet.status, pet.data.name], [200, 'Slash']);
    assert.equal(seen[3].url, '/v1/pets/a%20b%2Fc');
    const missing = await client.getPet({ path: { petId: 'missing' } });
    assert.deepEqual([missing.status, missing.ok, missing.data], [404, false, { title: 'no such pet' }]);
    const shelter = await client.getShelterPet({ path: { shelter: 7, petId: 'p1' } });
    assert.equal(shelter.data.id, 'p1');
    assert.equal(seen[5].url, '/v1/shelters/7/pets/p1');

    // An undeclared status throws ApiError with the operation, the status and the parsed body.
    await assert.rejects(client.getPet({ path: { petId: 'teapot' } }), (e: unknown) => {
      assert.ok(e instanceof mod.ApiError);
      const err = e as { operationId: string; status: number; body: unknown; message: string };
      assert.deepEqual([err.operationId, err.status, err.body], ['getPet', 418, { title: 'I am a teapot' }]);
      assert.match(err.message, /getPet: the server answered 418/);
      return true;
    });

    // No content, text, and `default`.
    const deleted = await client.delete({ path: { petId: 'p1' } });
    assert.deepEqual([deleted.status, deleted.data], [204, undefined]);
    const photo = await client.getPetPhoto({ path: { petId: 'p1' } });
    assert.deepEqual([photo.status, photo.data], [200, 'Rex, asleep']);
    const broken = await client.getPetPhoto({ path: { petId: 'p2' } });
    assert.deepEqual([broken.status, broken.ok, broken.data], [500, false, { title: 'camera broke' }]);

    // An operation without operationId gets the name the models use; per-call init headers win.
    const health = await client.getHealth({ headers: { authorization: 'Bearer mine' } });
    assert.deepEqual(health.data, { status: 'ok' });
    assert.equal(seen[seen.length - 1].headers.authorization, 'Bearer mine');
    assert.equal(fetched.length, seen.length);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

// ------------------------------------------------------------------------------------------------
// Headers, stale and edited files, lossy findings through engine.check

const baseSpec = fs.readFileSync(path.join(own, 'pets.yaml'), 'utf8');
const project = (spec: string, extra: Record<string, string> = {}) => ({
  'contract-lens.yaml': 'spec: openapi.yaml\ngenerate:\n  - target: typescript-client\n    output: web/api\n',
  'openapi.yaml': spec,
  ...extra,
});

function memoryWriter(mem: MemoryFileSystem): WritableFileSystem {
  return {
    mkdirp: () => {},
    writeFile: (f, t) => void mem.files.set(f, t),
    rename: (a, b) => {
      mem.files.set(b, mem.files.get(a)!);
      mem.files.delete(a);
    },
    remove: (f) => void mem.files.delete(f),
  };
}

function generated(files: Record<string, string>): Record<string, string> {
  const mem = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: mem, logger: silentLogger });
  const loaded = loadForGeneration(engine, { kind: 'config', configFile: '/project/contract-lens.yaml' });
  writeOutputs(planWrites(generateProject(loaded).outputs, (f) => mem.readFile(f)), memoryWriter(mem));
  const out: Record<string, string> = {};
  for (const [f, t] of mem.files) out[f.replace('/project/', '')] = t;
  return out;
}

const generateFindings = (files: Record<string, string>) =>
  checkFiles(files, { config: 'contract-lens.yaml' })
    .view.filter((v) => v.code.startsWith('generate.') && v.code !== 'generate.lossy-mapping')
    .map((v) => `${v.code} ${v.file}:${v.at} ${v.text}`.replace(/sha256:[0-9a-f]+/, 'sha256:…'));

test('the header is // comments, parsed like the Python one', () => {
  const files = generated(project(baseSpec));
  assert.deepEqual(Object.keys(files).filter((f) => f.startsWith('web/')).sort(), ['web/api/client.ts', 'web/api/index.ts', 'web/api/models.ts']);
  for (const f of ['web/api/client.ts', 'web/api/index.ts', 'web/api/models.ts']) {
    const text = files[f];
    assert.match(text, /^\/\/ Generated by contract-lens [^\n]+ \(generator \d+, target typescript-client\) from openapi\.yaml\.\n\/\/ DO NOT EDIT/);
    const header = parseHeader(text);
    assert.ok(header, f);
    assert.equal(text.slice(header.length, header.length + 1), '\n');
  }
  assert.equal(parseHeader('// Generated by contract-lens 1 (generator 1, target x) from a.yaml.\n# DO NOT EDIT\n# inputs: sha256:' + '0'.repeat(64) + '\n# output: sha256:' + '0'.repeat(64) + '\n'), undefined);
});

test('fresh client: no finding; a schema edit or a parameter edit makes it stale; a summary edit too (it is in the doc comments)', () => {
  const files = generated(project(baseSpec));
  assert.deepEqual(generateFindings(files), []);
  const stale = ['generate.stale-models openapi.yaml:1:1-1:8 openapi', 'generate.stale-models web/api/models.ts:3:1-3:83 // inputs: sha256:…'];
  assert.deepEqual(generateFindings({ ...files, 'openapi.yaml': baseSpec.replace('        title: { type: string }\n', '        title: { type: string }\n        detail: { type: string }\n') }), stale);
  assert.deepEqual(generateFindings({ ...files, 'openapi.yaml': baseSpec.replace('{ name: limit, in: query, schema: { type: integer } }', '{ name: limit, in: query, schema: { type: string } }') }), stale);
  assert.deepEqual(generateFindings({ ...files, 'openapi.yaml': baseSpec.replace('summary: List pets', 'summary: Lists the pets') }), stale);
  // What the client does not read does not make it stale.
  assert.deepEqual(generateFindings({ ...files, 'openapi.yaml': baseSpec.replace('paths:\n', 'servers: [{ url: "https://example.com" }]\npaths:\n') }), []);
});

test('a hand edit in the client is reported; a foreign index.ts is refused; a missing client is reported', () => {
  const files = generated(project(baseSpec));
  const edited = files['web/api/client.ts'].replace('export class ApiClient {', '// mine\nexport class ApiClient {');
  assert.deepEqual(generateFindings({ ...files, 'web/api/client.ts': edited }), ['generate.edited-output web/api/client.ts:4:1-4:83 // output: sha256:…']);
  assert.deepEqual(generateFindings({ ...files, 'web/api/index.ts': "export * from './mine.js';\n" }), ["generate.output-not-generated web/api/index.ts:1:1-1:27 export * from './mine.js';"]);
  assert.deepEqual(generateFindings(project(baseSpec)), ['generate.missing-output openapi.yaml:1:1-1:8 openapi']);
  const mem = new MemoryFileSystem({ ...files, 'web/api/client.ts': edited });
  const engine = new ContractEngine({ fs: mem, logger: silentLogger });
  const plan = planWrites(generateProject(loadForGeneration(engine, { kind: 'config', configFile: '/project/contract-lens.yaml' })).outputs, (f) => mem.readFile(f));
  assert.deepEqual(plan.map((p) => `${path.basename(p.file)} ${p.action}${p.reason ? ' ' + p.reason : ''}`), ['models.ts unchanged', 'index.ts unchanged', 'client.ts refused edited']);
});

test('lossy mappings of the client are findings at their spec locations, with the target', () => {
  const spec = fs.readFileSync(path.join(own, 'collisions.yaml'), 'utf8');
  const { view } = checkFiles({ 'contract-lens.yaml': 'spec: openapi.yaml\ngenerate:\n  - target: typescript-client\n    output: api\n', 'openapi.yaml': spec }, { config: 'contract-lens.yaml' });
  const lossy = view.filter((v) => v.code === 'generate.lossy-mapping');
  assert.ok(lossy.every((v) => v.data?.target === 'typescript-client' && v.data?.output === 'api' && / \(target typescript-client\)$/.test(v.message)));
  assert.deepEqual(lossy.map((v) => `${v.at} ${v.message.replace(/ \(target typescript-client\)$/, '').slice(0, 60)}`).sort(), [
    '28:3-28:36 The path parameter "notAParam" is not declared; the TypeScri',
    '33:11-33:66 The cookie parameter "session" is not sent by the TypeScript',
    '41:3-41:18 The path parameter "undeclared" is not declared; the TypeScr',
    '58:7-61:1 A schema that is a union containing itself has no TypeScript',
    '62:7-65:1 A schema that is a union containing itself has no TypeScript',
    '70:7-73:1 The schema of `additionalProperties` cannot be typed next to',
  ]);
});

test('CLI generate: writes the client, --check reports a changed parameter with exit 1, --target selects it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ts-cli-'));
  const files = project(baseSpec, { 'contract-lens.yaml': 'spec: openapi.yaml\ngenerate:\n  - target: typescript-client\n    output: web/api\n  - target: typeddict\n    output: sdk/models\n' });
  for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), t);
  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await generateCommand.run([dir, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
    return { code, stdout, stderr };
  };
  let r = await run('--check', '--target', 'typescript-client');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /would create web\/api\/client\.ts \(\d+ lines\)/);
  assert.doesNotMatch(r.stdout, /sdk\/models/);
  r = await run('--target', 'typescript-client');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'web/api')).sort(), ['client.ts', 'index.ts', 'models.ts']);
  assert.ok(!fs.existsSync(path.join(dir, 'sdk/models')));
  assert.equal((await run('--check', '--target', 'typescript-client')).code, 0);
  fs.writeFileSync(path.join(dir, 'openapi.yaml'), baseSpec.replace('{ name: limit, in: query, schema: { type: integer } }', '{ name: limit, in: query, required: true, schema: { type: integer } }'));
  r = await run('--check', '--target', 'typescript-client');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /would update web\/api\/client\.ts/);
  // Every file carries the inputs hash; the schema types themselves did not change.
  assert.match(r.stdout, /would update web\/api\/models\.ts \(\+1 -1 lines\)/);
  fs.appendFileSync(path.join(dir, 'web/api/client.ts'), '// mine\n');
  r = await run('--target', 'typescript-client');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refusing to overwrite web\/api\/client\.ts: it was edited by hand/);
});
