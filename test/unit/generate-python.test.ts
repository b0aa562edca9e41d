/**
 * The generated Python checked by Python: every target of every construct fixture compiles, is
 * formatted as black leaves it, runs (pydantic v1 with Debian's python3-pydantic, dataclasses and
 * TypedDict with the standard library, pydantic v2 where pydantic 2 happens to be installed), and
 * type-checks with pyright. On CI (.ci/run installs the Debian packages) a missing tool is a
 * failure; on a developer machine without it the test says what is missing and skips.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateFromFile } from '../../server/src/engine/generate/standalone';
import { targets } from '../../server/src/engine/generate/emit';

const repo = path.resolve(__dirname, '../../..');
const fixtures = path.join(repo, 'test/fixtures/generate');
const scripts = path.join(repo, 'test/python');
const constructs = [...fs.readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')), 'split'].sort();

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-gen-py-'));
for (const name of constructs) {
  const spec = path.join(fixtures, name === 'split' ? 'split/openapi.yaml' : `${name}.yaml`);
  for (const f of generateFromFile(spec, path.join(root, name), targets).files) {
    fs.mkdirSync(path.dirname(f.file), { recursive: true });
    fs.writeFileSync(f.file, f.text);
  }
}
const allFiles = constructs.flatMap((c) => targets.flatMap((t) => ['__init__.py', '_generated.py', 'operations.py'].map((f) => path.join(root, c, t, f))));

function run(cmd: string, args: string[], timeout = 300_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout, maxBuffer: 1 << 26 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The first interpreter (Debian's first: it is where python3-pydantic and black install) that passes a probe. */
function python(probe: string): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) if (run(py, ['-c', probe]).code === 0) return py;
  return undefined;
}

function requireTool(t: { skip: (m: string) => void }, found: string | undefined, what: string): found is string {
  if (found) return true;
  if (process.env.CI) assert.fail(`${what} is required on CI (.ci/run installs it)`);
  t.skip(`${what} is not installed here`);
  return false;
}

const py311 = python('import sys; assert sys.version_info >= (3, 11)');

test('every target of every construct compiles (py_compile)', (t) => {
  if (!requireTool(t, py311, 'python3 >= 3.11')) return;
  const r = run(py311, ['-c', 'import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True)', ...allFiles]);
  assert.equal(r.code, 0, r.out);
});

test('every generated file is formatted as black (24 style) leaves it', (t) => {
  const py = python('import black');
  if (!requireTool(t, py, "black (Debian's black package)")) return;
  const r = run(py, [path.join(scripts, 'black_check.py'), ...allFiles]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`${allFiles.length} unchanged, 0 would be reformatted`));
});

test("pydantic-v1 output with Debian's pydantic 1.10: valid payloads parse, invalid ones are rejected", (t) => {
  const py = python('import pydantic; assert pydantic.VERSION.startswith("1.")');
  if (!requireTool(t, py, "pydantic 1.x (Debian's python3-pydantic)")) return;
  const r = run(py, [path.join(scripts, 'test_models.py'), 'pydantic-v1', root]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /pydantic-v1: \d+ passed, 0 failed/);
});

test('pydantic-v2 output, where pydantic 2 is importable (compile and golden files otherwise)', (t) => {
  const py = python('import pydantic; assert pydantic.VERSION.startswith("2.")');
  if (!py) return t.skip('pydantic 2 is not installed here: the v2 output is checked by compiling it and by its golden files');
  const r = run(py, [path.join(scripts, 'test_models.py'), 'pydantic-v2', root]);
  assert.equal(r.code, 0, r.out);
});

for (const target of ['dataclasses', 'typeddict']) {
  test(`${target} output with the standard library`, (t) => {
    if (!requireTool(t, py311, 'python3 >= 3.11')) return;
    const r = run(py311, [path.join(scripts, 'test_models.py'), target, root]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`${target}: \\d+ passed, 0 failed`));
  });
}

test('pyright reports no error on the dataclasses and typeddict output', () => {
  const config = path.join(root, 'pyrightconfig.json');
  fs.writeFileSync(config, JSON.stringify({ pythonVersion: '3.11', typeCheckingMode: 'standard', include: constructs.flatMap((c) => [`${c}/dataclasses`, `${c}/typeddict`]) }));
  const r = run(process.execPath, [path.join(repo, 'node_modules/pyright/index.js'), '-p', config, '--outputjson']);
  const report = JSON.parse(r.out.slice(r.out.indexOf('{')));
  const errors = report.generalDiagnostics.filter((d: { severity: string }) => d.severity === 'error');
  assert.deepEqual(errors.map((d: { file: string; message: string; range: { start: { line: number } } }) => `${path.relative(root, d.file)}:${d.range.start.line + 1} ${d.message}`), []);
  assert.ok(report.summary.filesAnalyzed >= constructs.length * 6, `pyright analysed ${report.summary.filesAnalyzed} files`);
});
