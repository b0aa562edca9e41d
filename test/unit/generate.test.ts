import { test } from 'node:test';
import { expectGolden } from '../helpers/golden';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContractEngine, silentLogger } from '../../server/src/engine/index';
import { generateProject, parseHeader, planWrites, toolVersion, writeOutputs, type WritableFileSystem } from '../../server/src/engine/generate/index';
import { generateFromFile } from '../../server/src/engine/generate/standalone';
import { loadForGeneration } from '../../server/src/engine/generate/load';
import { targets } from '../../server/src/engine/generate/emit';
import { MemoryFileSystem } from '../helpers/memoryFs';
import { checkFiles } from '../helpers/check';
import { generateCommand } from '../../server/src/commands/generate';

const repo = path.resolve(__dirname, '../../..');
const fixtures = path.join(repo, 'test/fixtures/generate');
const golden = path.join(repo, 'test/golden/generate');

/** Every construct fixture: one spec per construct (`split` is a spec with file references). */
export const constructs = [...fs.readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')), 'split'].sort();
const specOf = (name: string) => path.join(fixtures, name === 'split' ? 'split/openapi.yaml' : `${name}.yaml`);

function memoryWriter(mem: MemoryFileSystem): WritableFileSystem & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    mkdirp: () => {},
    writeFile: (f, t) => {
      log.push(`write ${path.basename(f)}`);
      mem.files.set(f, t);
    },
    rename: (a, b) => {
      log.push(`rename ${path.basename(a)} -> ${path.basename(b)}`);
      mem.files.set(b, mem.files.get(a)!);
      mem.files.delete(a);
    },
    remove: (f) => void mem.files.delete(f),
  };
}

/** The golden text: the product version in the header is a placeholder, so releases do not churn goldens. */
const normalize = (text: string) => text.replace(`contract-lens ${toolVersion} (`, 'contract-lens <version> (');

for (const name of constructs) {
  test(`golden: ${name}, every target`, () => {
    const out = generateFromFile(specOf(name), '/out', targets);
    for (const f of out.files) {
      if (f.role === 'init') continue;
      expectGolden(path.join(golden, name, f.target, path.basename(f.file)), normalize(f.text));
    }
  });
}

test('the package __init__ re-exports the models module', () => {
  const out = generateFromFile(specOf('enums'), '/out', ['pydantic-v2']);
  const init = out.files.find((f) => f.role === 'init')!;
  assert.match(init.text, /^from \._generated import \*  # noqa: F401,F403\nfrom \._generated import __all__ as __all__  # noqa: F401\n$/m);
  assert.ok(parseHeader(init.text));
});

test('deterministic: the same spec twice, and the components in another order, give the same bytes', () => {
  const a = generateFromFile(specOf('discriminator'), '/out', targets).files.map((f) => f.text);
  const b = generateFromFile(specOf('discriminator'), '/out', targets).files.map((f) => f.text);
  assert.deepEqual(a, b);
  // Reverse the order of the component schemas: names and output must not depend on it.
  const text = fs.readFileSync(specOf('names'), 'utf8');
  const [head, schemas] = text.split('  schemas:\n');
  const blocks = schemas.split(/\n(?=    \S)/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-gen-'));
  fs.writeFileSync(path.join(dir, 'names.yaml'), `${head}  schemas:\n${blocks.reverse().join('\n').replace(/\n*$/, '\n')}`);
  const original = generateFromFile(specOf('names'), '/out', ['pydantic-v2']).files[0].text;
  const reordered = generateFromFile(path.join(dir, 'names.yaml'), '/out', ['pydantic-v2']).files[0].text;
  const body = (t: string) => t.split('\n').slice(4).join('\n');
  assert.equal(body(reordered).replace(/\n\n\nclass /g, '\nclass '), body(original).replace(/\n\n\nclass /g, '\nclass '));
});

test('no silent Any: every construct that has no Python type is a lossy finding at its spec location', () => {
  const spec = fs.readFileSync(specOf('lossy'), 'utf8');
  const { view } = checkFiles({ 'contract-lens.yaml': 'spec: openapi.yaml\ngenerate:\n  - target: pydantic-v2\n    output: models\n  - target: pydantic-v1\n    output: models_v1\n', 'openapi.yaml': spec }, { config: 'contract-lens.yaml' });
  const lossy = view.filter((v) => v.code === 'generate.lossy-mapping').map((v) => `${v.at} ${v.text} ${v.data?.target}`);
  assert.deepEqual(lossy, [
    '7:7-7:10 not pydantic-v1',
    '7:7-7:10 not pydantic-v2',
    "11:15-11:57 { type: string, pattern: '^(?!admin).*$' } pydantic-v2",
    "12:18-12:55 { type: string, pattern: '^\\p{L}+$' } pydantic-v1",
    '15:11-15:22 prefixItems pydantic-v1',
    '15:11-15:22 prefixItems pydantic-v2',
    '16:7-16:24 patternProperties pydantic-v1',
    '16:7-16:24 patternProperties pydantic-v2',
    '19:7-19:12 allOf pydantic-v1',
    '19:7-19:12 allOf pydantic-v2',
    '24:7-24:11 enum pydantic-v1',
    '24:7-24:11 enum pydantic-v2',
  ]);
  const messages = view.filter((v) => v.code === 'generate.lossy-mapping').map((v) => v.message);
  assert.ok(messages.some((m) => /lookaround/.test(m)));
  assert.ok(messages.every((m) => /\(target pydantic-v[12]\)$/.test(m)));
});

// ------------------------------------------------------------------------------------------------
// Stale, edited and foreign files, through engine.check

const project = (spec: string, extra: Record<string, string> = {}) => ({
  'contract-lens.yaml': 'spec: openapi.yaml\ngenerate:\n  - target: pydantic-v2\n    output: sdk/models\n',
  'openapi.yaml': spec,
  ...extra,
});
const baseSpec = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "#/components/schemas/Pet"}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n';

function generated(files: Record<string, string>): Record<string, string> {
  const mem = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: mem, logger: silentLogger });
  const loaded = loadForGeneration(engine, { kind: 'config', configFile: '/project/contract-lens.yaml' });
  const plan = planWrites(generateProject(loaded).outputs, (f) => mem.readFile(f));
  writeOutputs(plan, memoryWriter(mem));
  const out: Record<string, string> = {};
  for (const [f, t] of mem.files) out[f.replace('/project/', '')] = t;
  return out;
}

const generateFindings = (files: Record<string, string>) =>
  checkFiles(files, { config: 'contract-lens.yaml' }).view.filter((v) => v.code.startsWith('generate.')).map((v) => `${v.code} ${v.file}:${v.at} ${v.text}`);

test('fresh models: no generate finding; a schema edit makes them stale, on the spec and on the models module', () => {
  const files = generated(project(baseSpec));
  assert.deepEqual(Object.keys(files).sort(), ['contract-lens.yaml', 'openapi.yaml', 'sdk/models/__init__.py', 'sdk/models/_generated.py', 'sdk/models/operations.py']);
  assert.deepEqual(generateFindings(files), []);
  const edited = { ...files, 'openapi.yaml': baseSpec.replace('name: {type: string}', 'name: {type: string}\n        age: {type: integer}') };
  const stale = generateFindings(edited);
  assert.deepEqual(stale.map((s) => s.replace(/sha256:[0-9a-f]+/, 'sha256:…')), [
    'generate.stale-models openapi.yaml:1:1-1:8 openapi',
    'generate.stale-models sdk/models/_generated.py:3:1-3:82 # inputs: sha256:…',
  ]);
});

test('edits that cannot change the models do not make them stale (formatting, descriptions of operations, servers)', () => {
  const files = generated(project(baseSpec));
  const reformatted = baseSpec.replace('paths:\n', 'servers: [{url: "https://example.com"}]\npaths:\n').replace('      operationId: listPets\n', '      operationId: listPets\n      summary: List pets\n');
  assert.deepEqual(generateFindings({ ...files, 'openapi.yaml': reformatted }), []);
});

test('a hand edit in a generated file is reported before it would be lost; a file without our header is refused', () => {
  const files = generated(project(baseSpec));
  const editedModels = files['sdk/models/_generated.py'].replace('    name: ', '    # my note\n    name: ');
  assert.deepEqual(generateFindings({ ...files, 'sdk/models/_generated.py': editedModels }).map((s) => s.replace(/sha256:[0-9a-f]+/, 'sha256:…')), ['generate.edited-output sdk/models/_generated.py:4:1-4:82 # output: sha256:…']);
  const foreign = generateFindings({ ...files, 'sdk/models/__init__.py': 'from .handwritten import *\n' });
  assert.deepEqual(foreign, ['generate.output-not-generated sdk/models/__init__.py:1:1-1:27 from .handwritten import *']);
  const missing = generateFindings(project(baseSpec));
  assert.deepEqual(missing, ['generate.missing-output openapi.yaml:1:1-1:8 openapi']);
});

test('planWrites: create, unchanged, update, and refusals; a new product version alone changes nothing', () => {
  const files = generated(project(baseSpec));
  const mem = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: mem, logger: silentLogger });
  const load = () => generateProject(loadForGeneration(engine, { kind: 'config', configFile: '/project/contract-lens.yaml' })).outputs;
  assert.deepEqual(planWrites(load(), (f) => mem.readFile(f)).map((p) => p.action), ['unchanged', 'unchanged', 'unchanged']);
  const models = '/project/sdk/models/_generated.py';
  mem.files.set(models, mem.files.get(models)!.replace(`contract-lens ${toolVersion} `, 'contract-lens 0.0.1 '));
  assert.equal(planWrites(load(), (f) => mem.readFile(f))[0].action, 'unchanged');
  mem.files.set('/project/openapi.yaml', baseSpec.replace('name: {type: string}', 'name: {type: string, maxLength: 5}'));
  assert.deepEqual(planWrites(load(), (f) => mem.readFile(f)).map((p) => p.action), ['update', 'update', 'update']);
  mem.files.set(models, mem.files.get(models)! + '\n# mine\n');
  const plan = planWrites(load(), (f) => mem.readFile(f));
  assert.deepEqual([plan[0].action, plan[0].reason], ['refused', 'edited']);
  assert.equal(planWrites(load(), (f) => mem.readFile(f), { overwriteEdited: true })[0].action, 'update');
  mem.files.set(models, 'class Pet: ...\n');
  const foreign = planWrites(load(), (f) => mem.readFile(f), { overwriteEdited: true });
  assert.deepEqual([foreign[0].action, foreign[0].reason], ['refused', 'not-generated']);
});

test('writeOutputs: every file to a temporary sibling first, then renamed; a failure leaves no temporary file', () => {
  const mem = new MemoryFileSystem({});
  const w = memoryWriter(mem);
  const plan = [
    { file: '/p/m/a.py', text: 'a', target: 'pydantic-v2' as const, output: '/p/m', action: 'create' as const },
    { file: '/p/m/b.py', text: 'b', target: 'pydantic-v2' as const, output: '/p/m', action: 'unchanged' as const },
    { file: '/p/m/c.py', text: 'c', target: 'pydantic-v2' as const, output: '/p/m', action: 'update' as const },
  ];
  assert.deepEqual(writeOutputs(plan, w, 'T'), ['/p/m/a.py', '/p/m/c.py']);
  assert.deepEqual(w.log, ['write .a.py.T.tmp', 'write .c.py.T.tmp', 'rename .a.py.T.tmp -> a.py', 'rename .c.py.T.tmp -> c.py']);
  const failing: WritableFileSystem = { ...memoryWriter(mem), rename: () => { throw new Error('disk full'); } };
  assert.throws(() => writeOutputs(plan, failing, 'U'), /disk full/);
  assert.deepEqual([...mem.files.keys()].filter((f) => f.endsWith('.tmp')), []);
});

test('CLI generate: writes the package, --check reports drift with exit 1, refuses foreign and edited files', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-gen-cli-'));
  for (const [f, t] of Object.entries(project(baseSpec))) fs.writeFileSync(path.join(dir, f), t);
  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await generateCommand.run([dir, ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
    return { code, stdout, stderr };
  };
  let r = await run('--check');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /would create sdk\/models\/_generated\.py \(\d+ lines\)/);
  assert.ok(!fs.existsSync(path.join(dir, 'sdk/models')), '--check writes nothing');
  r = await run();
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await run('--check')).code, 0);
  fs.writeFileSync(path.join(dir, 'openapi.yaml'), baseSpec.replace('name: {type: string}', 'name: {type: string}\n        age: {type: integer}'));
  r = await run('--check');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /would update sdk\/models\/_generated\.py \(\+3 -2 lines\)/);
  fs.appendFileSync(path.join(dir, 'sdk/models/operations.py'), '# mine\n');
  r = await run();
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refusing to overwrite sdk\/models\/operations\.py: it was edited by hand/);
  assert.doesNotMatch(fs.readFileSync(path.join(dir, 'sdk/models/_generated.py'), 'utf8'), /age/, 'a package is written whole or not at all');
  assert.equal((await run('--force')).code, 0);
  assert.match(fs.readFileSync(path.join(dir, 'sdk/models/_generated.py'), 'utf8'), /age: /);
  fs.writeFileSync(path.join(dir, 'sdk/models/__init__.py'), '# handwritten\n');
  r = await run('--force');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refusing to overwrite sdk\/models\/__init__\.py: it was not written by Contract Lens/);
});
