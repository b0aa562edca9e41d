import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, nodeFileSystem, nodeHost, type CheckResult, type FileSystem } from '../../server/src/engine/index';
import { detectProject, renderConfiguration, yamlScalar, pythonRequirementNames, type Detection } from '../../server/src/engine/init/index';
import { loadConfig } from '../../server/src/engine/config/load';
import { parseText } from '../../server/src/engine/parse/document';
import { SourceParser } from '../../server/src/engine/source/treesitter';
import { copyExample } from '../helpers/examples';
import { MemoryFileSystem } from '../helpers/memoryFs';

let parser: SourceParser | undefined;
async function sources(): Promise<SourceParser> {
  if (!parser) {
    parser = new SourceParser();
    await parser.init();
  }
  return parser;
}

/** The config findings of a rendered configuration, read back by the engine's own loader. */
function configFindings(text: string, root: string, files: FileSystem): string[] {
  const file = path.join(root, 'contract-lens.yaml');
  const doc = parseText(file, text);
  assert.deepEqual(doc.problems, [], 'the YAML parses without problems');
  return loadConfig(doc, files).findings.map((f) => `${f.code}: ${f.message}`);
}

function findingsView(result: CheckResult, dir: string): string[] {
  return result.findings.map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    return `${f.code} ${path.relative(dir, f.span.file)}:${r.start.line + 1}:${r.start.character + 1}`;
  });
}

/** Copies an example, deletes its contract-lens.yaml, detects, writes the rendered config back. */
async function recreate(example: string) {
  const dir = copyExample(example);
  const original = fs.readFileSync(path.join(dir, 'contract-lens.yaml'), 'utf8');
  const engine = new ContractEngine(nodeHost());
  await engine.init();
  const before = engine.check({ kind: 'config', configFile: path.join(dir, 'contract-lens.yaml') });
  fs.rmSync(path.join(dir, 'contract-lens.yaml'));
  const detection = detectProject(dir, { fs: nodeFileSystem(), sources: await sources() });
  const text = renderConfiguration(detection);
  fs.writeFileSync(path.join(dir, 'contract-lens.yaml'), text);
  const after = new ContractEngine(nodeHost());
  await after.init();
  const result = after.check({ kind: 'config', configFile: path.join(dir, 'contract-lens.yaml') });
  return { dir, original, before, detection, text, result };
}

test('sessions-api without its config: the same spec, framework, SDK wrapper, contracts module and models are found', async () => {
  const { dir, detection, text, before, result } = await recreate('sessions-api');
  assert.deepEqual(detection.specs, ['openapi.json']);
  assert.equal(detection.server?.framework, 'fastify');
  assert.deepEqual(detection.server?.sources, ['server/src/**/*.ts']);
  assert.match(detection.server!.evidence, /"fastify" in server\/package\.json, imported by server\/src\/app\.ts/);
  assert.equal(detection.server?.tsconfig, 'server/tsconfig.json');
  assert.deepEqual(detection.clients.map((c) => ({ ...c, evidence: undefined })), [
    {
      name: 'agentlab',
      language: 'python',
      sources: ['sdk/agentlab/**/*.py'],
      callSite: { kind: 'wrapper', function: '_request', keyArgument: 0, methodArgument: 1, pathArgument: 2, basePath: '/api' },
      evidence: undefined,
    },
  ]);
  assert.match(detection.clients[0].evidence, /^_request\(operation_key, method, path\) at sdk\/agentlab\/_client\.py:86, over httpx$/);
  assert.deepEqual({ ...detection.coverage, evidence: undefined }, { source: 'python', file: 'sdk/agentlab/contracts.py', evidence: undefined });
  assert.deepEqual(detection.generate.map((g) => `${g.target} ${g.output}`), ['pydantic-v2 sdk/agentlab/models', 'python-facade sdk/agentlab/typed']);

  assert.deepEqual(configFindings(text, dir, nodeFileSystem()), [], 'the starter config is valid against the schema and the disk');
  // Checked with the created config, the project reports exactly what it reports with the hand-written one.
  assert.deepEqual(findingsView(result, dir), findingsView(before, dir));
  assert.equal(result.summary.operations, 16);
  assert.ok(result.parity && result.parity.summary.matchedCalls > 0, 'the SDK calls are read through the detected wrapper');
  assert.deepEqual(result.coverage?.totals, before.coverage?.totals);
});

test('petstore-express without its config: the spec and the Express sources are found; nothing else is invented', async () => {
  const { dir, detection, text } = await recreate('petstore-express');
  assert.deepEqual(detection.specs, ['openapi.yaml'], 'the $ref\'d fragments are not specs of their own');
  assert.equal(detection.server?.framework, 'express');
  assert.deepEqual(detection.server?.sources, ['src/**/*.ts']);
  assert.deepEqual(detection.clients, []);
  assert.equal(detection.coverage, undefined);
  assert.deepEqual(detection.generate, []);
  assert.deepEqual(configFindings(text, dir, nodeFileSystem()), []);
  assert.match(text, /^# clients:$/m, 'what was not found is offered commented out');
});

test('a FastAPI server named in requirements.txt and a requests-based SDK, in memory', async () => {
  const files = new MemoryFileSystem({
    'api/openapi.yaml': 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /v2/items/{id}:\n    get:\n      responses: {"200": {description: ok}}\n',
    'requirements.txt': '# the API\nfastapi[standard]>=0.110\nuvicorn==0.30\n',
    'app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/v2/items/{id}")\ndef read(id: str): ...\n',
    'app/tests/test_main.py': 'from fastapi.testclient import TestClient\n',
    'client/acme/__init__.py': '',
    'client/acme/http.py': 'import requests\nclass Http:\n    def call(self, verb, url, *, body=None):\n        return requests.request(verb, url, json=body)\n    def item(self, id):\n        return self.call("GET", f"/items/{id}")\n',
    'contract-lens.coverage.yaml': 'typed: []\nraw: []\n',
  });
  const d = detectProject('/project', { fs: files, sources: await sources() });
  assert.deepEqual(d.specs, ['api/openapi.yaml']);
  assert.deepEqual({ fw: d.server?.framework, sources: d.server?.sources }, { fw: 'fastapi', sources: ['app/**/*.py'] }, 'tests do not widen the sources');
  assert.deepEqual(d.clients[0].callSite, { kind: 'wrapper', function: 'call', methodArgument: 0, pathArgument: 1, basePath: '/v2' });
  assert.deepEqual(d.clients[0].sources, ['client/acme/**/*.py']);
  assert.equal(d.clients[0].name, 'acme');
  assert.deepEqual({ ...d.coverage, evidence: undefined }, { source: 'yaml', file: 'contract-lens.coverage.yaml', evidence: undefined });
  assert.deepEqual(configFindings(renderConfiguration(d), '/project', files), []);
});

test('an empty folder yields a valid, fully commented template; an existing config is reported', async () => {
  const files = new MemoryFileSystem({ 'README.md': '# nothing here\n', 'contract-lens.yaml': 'spec: x.yaml\n' });
  const d: Detection = detectProject('/project', { fs: files, sources: await sources() });
  assert.deepEqual({ specs: d.specs, server: d.server, clients: d.clients, coverage: d.coverage, generate: d.generate }, { specs: [], server: undefined, clients: [], coverage: undefined, generate: [] });
  assert.equal(d.existingConfig, 'contract-lens.yaml');
  const text = renderConfiguration(d);
  assert.deepEqual(configFindings(text, '/project', files), []);
  assert.ok(text.split('\n').every((l) => l === '' || l.startsWith('#')), 'nothing but comments');
});

test('without source parsers only manifests are read, and the result is still valid', () => {
  const files = new MemoryFileSystem({
    'openapi.json': '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}',
    'package.json': '{"dependencies": {"@nestjs/core": "^10", "express": "^4"}}',
    'src/main.ts': 'import { NestFactory } from "@nestjs/core";\n',
  });
  const d = detectProject('/project', { fs: files });
  assert.equal(d.server?.framework, 'nestjs', 'NestJS sits on Express; the more specific one wins');
  assert.deepEqual(d.server?.sources, ['src/**/*.ts']);
  assert.deepEqual(configFindings(renderConfiguration(d), '/project', files), []);
});

test('YAML scalars: plain when safe, quoted otherwise; requirement names from every manifest shape', () => {
  assert.equal(yamlScalar('openapi.json'), 'openapi.json');
  assert.equal(yamlScalar('/api'), '/api');
  assert.deepEqual(['yes', '1.0', 'a b', '@scope/x', 'x: y', '#x', '*'].map(yamlScalar), ['"yes"', '"1.0"', '"a b"', '"@scope/x"', '"x: y"', '"#x"', '"*"']);
  assert.deepEqual(pythonRequirementNames('[project]\nname = "x"\ndependencies = [\n  "Flask>=3",\n  "httpx[http2] >= 0.27",\n]\n', 'toml'), ['flask', 'httpx']);
  assert.deepEqual(pythonRequirementNames('fastapi\nrequests==2.32 # pinned\n-r other.txt\n', 'requirements'), ['fastapi', 'requests']);
  assert.deepEqual(pythonRequirementNames('[packages]\nflask = "*"\n[requires]\npython_version = "3.12"\n', 'toml'), ['flask']);
});

