/**
 * The python-facade target: golden files, determinism, stale detection over the spec and the
 * declarations, and the generated facade run by Python. The example SDK (repaired, its models
 * switched to the pydantic-v1 flavour that Debian's python3-pydantic can run) is generated into a
 * temp folder and driven by test/python/test_facade.py through a fake HTTP layer of its own; the
 * pydantic-v2 output is compiled.
 */
import { expectGolden } from '../helpers/golden';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContractEngine, nodeHost } from '../../server/src/engine/index';
import { generateProject, planWrites, toolVersion, writeOutputs, type GeneratedFile, type WritableFileSystem } from '../../server/src/engine/generate/index';
import { loadForGeneration } from '../../server/src/engine/generate/load';
import { applyRepairs, copyExample, copyFixture, repo } from '../helpers/examples';

const golden = path.join(repo, 'test/golden/facade');
const normalize = (text: string) => text.replace(`contract-lens ${toolVersion} (`, 'contract-lens <version> (');

const disk: WritableFileSystem = {
  mkdirp: (dir) => fs.mkdirSync(dir, { recursive: true }),
  writeFile: (file, text) => fs.writeFileSync(file, text),
  rename: (from, to) => fs.renameSync(from, to),
  remove: (file) => fs.rmSync(file, { force: true }),
};

let engine: ContractEngine | undefined;
async function ready(): Promise<ContractEngine> {
  if (!engine) {
    engine = new ContractEngine(nodeHost());
    await engine.init();
  }
  return engine;
}

/** Generates every target of a project folder (as `contract-lens generate --force` does) and returns the outputs. */
async function generate(dir: string, write = true): Promise<GeneratedFile[]> {
  const e = await ready();
  const configFile = path.join(dir, 'contract-lens.yaml');
  e.forget(configFile);
  const { outputs } = generateProject(loadForGeneration(e, { kind: 'config', configFile }));
  if (write) writeOutputs(planWrites(outputs, (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), { overwriteEdited: true }), disk);
  return outputs;
}

async function check(dir: string) {
  const e = new ContractEngine(nodeHost());
  await e.init();
  const r = e.check({ kind: 'config', configFile: path.join(dir, 'contract-lens.yaml') });
  return r.findings.map((f) => `${f.code} ${path.relative(dir, f.span.file)}`);
}

function run(cmd: string, args: string[], cwd?: string) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, timeout: 120_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

const python = '/usr/bin/python3';
const hasPydantic1 = fs.existsSync(python) && run(python, ['-c', 'import pydantic; assert pydantic.VERSION.startswith("1.")']).code === 0;
const hasBlack = fs.existsSync(python) && run(python, ['-c', 'import black']).code === 0;
function requirePython(t: { skip: (m: string) => void }, ok: boolean, what: string): boolean {
  if (ok) return true;
  if (process.env.CI) assert.fail(`${what} is required on CI (.ci/run installs it)`);
  t.skip(`${what} is not installed here`);
  return false;
}

test('golden: the facade fixture (nested namespaces, a root-level key, query and path parameters, unions by status, a keyword key)', async () => {
  const dir = copyFixture('facade');
  const outputs = (await generate(dir, false)).filter((f) => f.target === 'python-facade');
  assert.deepEqual(outputs.map((f) => path.basename(f.file)).sort(), ['__init__.py', '_facade.py', 'contracts.py']);
  for (const f of outputs) {
    expectGolden(path.join(golden, path.basename(f.file)), normalize(f.text));
  }
});

test('deterministic: the same inputs give the same bytes, whatever the order of the declarations', async () => {
  const dir = copyFixture('facade');
  const first = (await generate(dir, false)).filter((f) => f.target === 'python-facade').map((f) => f.text);
  const decls = path.join(dir, 'contract-lens.coverage.yaml');
  const text = fs.readFileSync(decls, 'utf8');
  const [head, ...items] = text.split(/\n(?=  - operationId)/);
  const rawAt = items[items.length - 1].indexOf('\nraw:');
  const last = items[items.length - 1];
  items[items.length - 1] = last.slice(0, rawAt);
  fs.writeFileSync(decls, [head, ...items.reverse()].join('\n') + last.slice(rawAt));
  assert.notEqual(fs.readFileSync(decls, 'utf8'), text);
  const second = (await generate(dir, false)).filter((f) => f.target === 'python-facade').map((f) => f.text);
  assert.deepEqual(second, first);
});

test('stale detection covers the declarations: a new typed operation makes the facade stale (and missing from it) until regenerated', async () => {
  const dir = copyFixture('facade');
  await generate(dir);
  const facade = (xs: string[]) => xs.filter((x) => /^generate\.|^coverage\.missing-from-facade/.test(x));
  assert.deepEqual(facade(await check(dir)), []);
  // Declare deleteSession typed instead of raw.
  const decls = path.join(dir, 'contract-lens.coverage.yaml');
  fs.writeFileSync(decls, fs.readFileSync(decls, 'utf8').replace('raw:\n  - deleteSession\n', '  - operationId: deleteSession\n    key: sessions.delete\n'));
  assert.deepEqual(facade(await check(dir)), [
    'generate.stale-models contract-lens.coverage.yaml',
    'coverage.missing-from-facade contract-lens.coverage.yaml',
    'generate.stale-models pkg/typed/contracts.py',
  ]);
  const regenerated = await generate(dir);
  assert.match(regenerated.find((f) => f.file.endsWith('contracts.py') && f.target === 'python-facade')!.text, /"sessions\.delete": TypedOperationContract\(/);
  assert.deepEqual(facade(await check(dir)), []);
  // A spec change the facade depends on (a query parameter) makes it stale too; the title does not.
  const spec = path.join(dir, 'openapi.yaml');
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('title: Facade fixture', 'title: The facade fixture'));
  assert.deepEqual(facade(await check(dir)), []);
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('- { name: status, in: query', '- { name: cursor, in: query, schema: { type: string } }\n        - { name: status, in: query'));
  assert.deepEqual(facade(await check(dir)), ['generate.stale-models contract-lens.coverage.yaml', 'generate.stale-models pkg/typed/contracts.py']);
  // A hand edit is reported, like in the models.
  await generate(dir);
  const contracts = path.join(dir, 'pkg/typed/contracts.py');
  fs.appendFileSync(contracts, '\nEXTRA = 1\n');
  assert.deepEqual(facade(await check(dir)), ['generate.edited-output pkg/typed/contracts.py']);
});

test("the example SDK's typed facade, run by Python with pydantic v1: every validation mode, the per-call override, a response union, the error fields", async (t) => {
  if (!requirePython(t, hasPydantic1, "pydantic 1.x (Debian's python3-pydantic)")) return;
  const dir = copyExample('sessions-api');
  applyRepairs(dir, 'sessions-api', () => true);
  const config = path.join(dir, 'contract-lens.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('target: pydantic-v2', 'target: pydantic-v1'));
  // A second response model for readRun (its 404 body), so that the facade returns a union.
  const contracts = path.join(dir, 'sdk/agentlab/contracts.py');
  const text = fs.readFileSync(contracts, 'utf8');
  const edited = text.replace('CreateSessionRequest, Message,', 'CreateSessionRequest, Error, Message,').replace('operation_id="readRun",\n        request_model=None,\n        response_models=(Run,),', 'operation_id="readRun",\n        request_model=None,\n        response_models=(Run, Error),');
  assert.notEqual(edited, text);
  fs.writeFileSync(contracts, edited);
  const outputs = await generate(dir);
  assert.ok(outputs.some((f) => f.target === 'python-facade' && /"404": Error/.test(f.text)));
  assert.deepEqual(await check(dir), [], 'the copy is consistent: no finding');
  const r = run(python, [path.join(repo, 'test/python/test_facade.py'), path.join(dir, 'sdk')]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /facade: 12 passed, 0 failed/);
});

test('the pydantic-v2 facade compiles (the example as committed, and the fixture over v2 models), formatted as black leaves it', async (t) => {
  if (!requirePython(t, fs.existsSync(python), 'python3')) return;
  const dir = copyFixture('facade');
  const config = path.join(dir, 'contract-lens.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('target: pydantic-v1', 'target: pydantic-v2'));
  await generate(dir);
  const example = path.join(repo, 'examples/sessions-api/sdk/agentlab/typed');
  const files = [...['__init__.py', '_facade.py', 'contracts.py'].flatMap((f) => [path.join(example, f), path.join(dir, 'pkg/typed', f)]), path.join(dir, 'pkg/models/_generated.py')];
  const r = run(python, ['-c', 'import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True)', ...files]);
  assert.equal(r.code, 0, r.out);
  if (!hasBlack) return;
  const b = run(python, [path.join(repo, 'test/python/black_check.py'), ...files.slice(0, 6)]);
  assert.equal(b.code, 0, b.out);
  assert.match(b.out, /6 unchanged, 0 would be reformatted/);
});

test('the fixture facade imports under pydantic v1: namespaces, a keyword key, percent-encoded path parameters, query parameters, validation', async (t) => {
  if (!requirePython(t, hasPydantic1, "pydantic 1.x (Debian's python3-pydantic)")) return;
  const dir = copyFixture('facade');
  await generate(dir);
  const script = `
from pkg.typed import TypedClient, ContractValidationError
sent = []
def request(key, method, path, *, params=None, json_body=None):
    sent.append((key, method, path, params, json_body))
    return {"health": {"status": "ok"}, "sessions.list": {"items": []}, "sessions.import": {"items": []}}.get(key, {"code": "gone", "message": "no"})
typed = TypedClient(request)
assert typed.health().status == "ok"
assert typed.sessions.list(page_size=10, status=None).items == []
assert typed.sessions.import_([{"agentId": "a"}]).items == []
err = typed.sessions.messages.read("s 1", "m/2")
assert type(err).__name__ == "Error", err
try:
    typed.sessions.create(agent_id="a", unknown=1)
except ContractValidationError as e:
    assert e.boundary == "request" and e.model == "CreateSessionRequest"
else:
    raise AssertionError("extra=forbid request model must reject unknown fields")
assert sent == [
    ("health", "GET", "/health", None, None),
    ("sessions.list", "GET", "/sessions", {"pageSize": 10}, None),
    ("sessions.import", "POST", "/sessions/import", None, [{"agentId": "a"}]),
    ("sessions.messages.read", "GET", "/sessions/s%201/messages/m%2F2", None, None),
], sent
print("ok")
`;
  const r = run(python, ['-c', script], dir);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^ok$/m);
});

test('pyright (standard mode) reports no error in the facade over pydantic-v1 models', async () => {
  const dir = copyFixture('facade');
  await generate(dir);
  fs.writeFileSync(path.join(dir, 'pyrightconfig.json'), JSON.stringify({ pythonVersion: '3.11', typeCheckingMode: 'standard', include: ['pkg/typed'] }));
  const r = run(process.execPath, [path.join(repo, 'node_modules/pyright/index.js'), '-p', path.join(dir, 'pyrightconfig.json'), '--outputjson']);
  const report = JSON.parse(r.out.slice(r.out.indexOf('{')));
  const errors = report.generalDiagnostics.filter((d: { severity: string }) => d.severity === 'error');
  assert.deepEqual(errors.map((d: { file: string; message: string; range: { start: { line: number } } }) => `${path.relative(dir, d.file)}:${d.range.start.line + 1} ${d.message}`), []);
  assert.ok(report.summary.filesAnalyzed >= 3, `pyright analysed ${report.summary.filesAnalyzed} files`);
});
