import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkFiles } from '../helpers/check';

const spec = 'openapi: 3.1.0\ninfo: {title: c, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n';

test('an unknown key and a wrong type: two findings, at those keys', () => {
  const config = 'spec: openapi.yaml\nserver:\n  framework: fastify\n  sources: "src/**/*.ts"\ncoverge:\n  mode: strict\n';
  const { view } = checkFiles({ 'contract-lens.yaml': config, 'openapi.yaml': spec, 'src/app.ts': '' }, { config: 'contract-lens.yaml' });
  const configFindings = view.filter((v) => v.file === 'contract-lens.yaml');
  assert.deepEqual(
    configFindings.map((v) => `${v.code} ${v.at} ${v.text}`),
    ['config.invalid-value 4:12-4:25 "src/**/*.ts"', 'config.unknown-key 5:1-5:8 coverge'],
  );
  assert.match(configFindings[0].message, /"server\.sources" must be a list, not a string/);
  assert.match(configFindings[1].message, /Did you mean "coverage"\?/);
  assert.equal(configFindings[1].data?.suggestion, 'coverage');
});

test('an enum value with a typo gets the allowed values and a did-you-mean', () => {
  const { view } = checkFiles({ 'contract-lens.yaml': 'spec: openapi.yaml\nserver:\n  framework: fastfy\n', 'openapi.yaml': spec }, { config: 'contract-lens.yaml' });
  const f = view.find((v) => v.file === 'contract-lens.yaml')!;
  assert.equal(f.code, 'config.invalid-value');
  assert.equal(f.at, '3:14-3:20');
  assert.match(f.message, /Did you mean "fastify"\?/);
});

test('paths that do not exist, globs that match nothing, paths that leave the project', () => {
  const config = 'spec: [openapi.yml, ../other/openapi.yaml]\nserver:\n  sources: ["src/**/*.ts", "../**/*.ts"]\ncoverage:\n  file: sdk/contracts.py\n';
  const { view } = checkFiles({ 'contract-lens.yaml': config, 'openapi.yaml': spec }, { config: 'contract-lens.yaml' });
  assert.deepEqual(
    view.map((v) => `${v.code} ${v.at}`),
    ['config.path-not-found 1:8-1:19', 'config.path-outside-project 1:21-1:42', 'config.no-match 3:13-3:26', 'config.path-outside-project 3:28-3:40', 'config.path-not-found 5:9-5:25'],
  );
  assert.match(view[0].message, /Did you mean "openapi\.yaml"\?/);
});

test('a config syntax error is a positioned finding', () => {
  const { view } = checkFiles({ 'contract-lens.yaml': 'spec: openapi.yaml\nserver: [\n', 'openapi.yaml': spec }, { config: 'contract-lens.yaml' });
  assert.ok(view.some((v) => v.code === 'syntax.error' && v.file === 'contract-lens.yaml'));
});

test('severity overrides, off, and the ignore list apply to findings', () => {
  const base = { 'openapi.yaml': spec };
  const plain = checkFiles({ ...base, 'contract-lens.yaml': 'spec: openapi.yaml\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(plain.result.findings.map((f) => `${f.code}:${f.severity}`), ['spec.missing-operation-id:warning']);
  const raised = checkFiles({ ...base, 'contract-lens.yaml': 'spec: openapi.yaml\nrules:\n  severity:\n    spec.missing-operation-id: error\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(raised.result.findings.map((f) => `${f.code}:${f.severity}`), ['spec.missing-operation-id:error']);
  const off = checkFiles({ ...base, 'contract-lens.yaml': 'spec: openapi.yaml\nrules:\n  severity:\n    spec.missing-operation-id: "off"\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(off.result.findings, []);
  const ignoredRoute = checkFiles({ ...base, 'contract-lens.yaml': 'spec: openapi.yaml\nrules:\n  ignore: ["GET /a"]\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(ignoredRoute.result.findings, []);
  const ignoredOther = checkFiles({ ...base, 'contract-lens.yaml': 'spec: openapi.yaml\nrules:\n  ignore: [{code: "spec.*", path: /b}]\n' }, { config: 'contract-lens.yaml' });
  assert.equal(ignoredOther.result.findings.length, 1);
  const unknownCode = checkFiles({ ...base, 'contract-lens.yaml': 'spec: openapi.yaml\nrules:\n  severity:\n    spec.missing-operationid: error\n' }, { config: 'contract-lens.yaml' });
  const f = unknownCode.view.find((v) => v.code === 'config.unknown-key')!;
  assert.equal(f.at, '4:5-4:29');
  assert.match(f.message, /Did you mean "spec\.missing-operation-id"\?/);
});

test('without spec: the config folder is searched for OpenAPI documents', () => {
  const { result } = checkFiles({ 'contract-lens.yaml': 'rules: {}\n', 'api/openapi.yaml': spec, 'other.yaml': 'name: not a spec\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(result.project.specs, ['/project/api/openapi.yaml']);
  const none = checkFiles({ 'contract-lens.yaml': 'rules: {}\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(none.view.map((v) => v.code), ['config.no-spec']);
});

test('the published JSON schema is the one the engine validates with, and package.json associates it', () => {
  const pkg = require('../../../package.json');
  assert.deepEqual(pkg.contributes.yamlValidation[0], { fileMatch: 'contract-lens.yaml', url: './schemas/contract-lens.schema.json' });
  const schema = require('../../../schemas/contract-lens.schema.json');
  assert.deepEqual(Object.keys(schema.properties).sort(), ['clients', 'coverage', 'generate', 'limits', 'quality', 'rules', 'server', 'spec']);
});
