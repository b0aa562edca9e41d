import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { applyRepairs, cli, copyExample, repo } from '../helpers/examples';

function run(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const at = (f: any) => `${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

const isSpecCheck = (code: string) => /^(spec|ref|syntax)\./.test(code);

test('sessions-api: the deliberate breaks, with their codes and exact ranges, exit 1', () => {
  const r = run(['check', 'examples/sessions-api', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 1);
  assert.deepEqual(
    report.findings.map((f: any) => `${f.code} ${f.severity} ${at(f)}`),
    [
      'spec.missing-operation-id warning openapi.json:31:6-31:11',
      'ref.unresolved error openapi.json:134:32-134:68',
      'spec.undeclared-path-parameter error openapi.json:446:40-446:51',
      'spec.missing-responses error openapi.json:636:8-636:19',
      'spec.duplicate-operation-id error openapi.json:641:23-641:32',
    ],
  );
  const text = fs.readFileSync(path.join(repo, 'examples/sessions-api/openapi.json'), 'utf8').split('\n');
  const token = (f: any) => text[f.range.start.line].slice(f.range.start.character, f.range.end.character);
  assert.deepEqual(report.findings.map(token), ['"get"', '"#/components/schemas/SesionSummary"', '{messageId}', '"responses"', '"readRun"']);
  const dup = report.findings.find((f: any) => f.code === 'spec.duplicate-operation-id');
  assert.deepEqual(dup.related.map((r: any) => `${r.file}:${r.range.start.line}`), ['openapi.json:555']);
  assert.deepEqual(report.summary, { errors: 4, warnings: 1, infos: 0, hints: 0, total: 5, projects: 1, specs: 1, specFiles: 1, paths: 11, operations: 16 });
});

test('sessions-api with the spec breaks repaired: exit 0', () => {
  const dir = copyExample('sessions-api');
  const applied = applyRepairs(dir, 'sessions-api', isSpecCheck);
  assert.equal(applied.length, 5);
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(JSON.parse(r.stdout).findings, []);
});

test('petstore-express (split YAML): breaks found in the files that hold them; repaired: exit 0', () => {
  const r = run(['check', 'examples/petstore-express', '--format', 'json']);
  assert.equal(r.code, 1);
  assert.deepEqual(
    JSON.parse(r.stdout).findings.map((f: any) => `${f.code} ${at(f)}`),
    [
      'ref.unresolved components/schemas.yaml:48:12-48:20',
      'syntax.duplicate-key openapi.yaml:63:6-63:13',
      'spec.invalid-status-code openapi.yaml:129:8-129:13',
      'ref.unresolved openapi.yaml:185:22-185:55',
      'spec.unused-path-parameter paths/owners.yaml:9:10-9:15',
    ],
  );
  const dir = copyExample('petstore-express');
  applyRepairs(dir, 'petstore-express', isSpecCheck);
  const fixed = run(['check', dir]);
  assert.equal(fixed.code, 0, fixed.stdout);
});

test('a spec truncated in the middle: a positioned syntax finding and exit 1, no stack trace', () => {
  const dir = copyExample('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const text = fs.readFileSync(spec, 'utf8');
  fs.writeFileSync(spec, text.slice(0, Math.floor(text.length / 2)));
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  const syntax = JSON.parse(r.stdout).findings.filter((f: any) => f.code === 'syntax.error');
  assert.ok(syntax.length >= 1);
  assert.equal(syntax[0].file, 'openapi.json');
  assert.ok(syntax[0].range.start.line > 100, 'the error is where the text stops, not at the top');
  const textOut = run(['check', dir]);
  assert.doesNotMatch(textOut.stdout + textOut.stderr, /at .*\.js:\d+/);
});

test('a config with an unknown key and a wrong type: two findings at those keys', () => {
  const dir = copyExample('petstore-express');
  fs.writeFileSync(path.join(dir, 'contract-lens.yaml'), 'spec: openapi.yaml\nserver:\n  framework: express\n  sources: src/**/*.ts\nlint: true\n');
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.code, 1);
  const config = JSON.parse(r.stdout).findings.filter((f: any) => f.file === 'contract-lens.yaml');
  assert.deepEqual(config.map((f: any) => `${f.code} ${at(f)}`), ['config.invalid-value contract-lens.yaml:3:11-3:22', 'config.unknown-key contract-lens.yaml:4:0-4:4']);
});

test('--fail-on and exit codes', () => {
  const dir = copyExample('sessions-api');
  applyRepairs(dir, 'sessions-api', (c) => isSpecCheck(c) && c !== 'spec.missing-operation-id');
  assert.equal(run(['check', dir]).code, 0, 'a warning does not fail by default');
  assert.equal(run(['check', dir, '--fail-on', 'warning']).code, 1);
  assert.equal(run(['check', 'examples/sessions-api', '--fail-on', 'never']).code, 0);
  assert.equal(run(['check', dir, '--fail-on', 'sometimes']).code, 2);
  assert.equal(run(['check', dir, '--format', 'xml']).code, 2);
  assert.equal(run(['lint', dir]).code, 2);
  assert.equal(run(['check', path.join(dir, 'nope')]).code, 2);
  assert.equal(run(['check', dir, '--config', path.join(dir, 'missing.yaml')]).code, 2);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-empty-'));
  assert.equal(run(['check', empty]).code, 2);
});

test('--config names the project explicitly', () => {
  const r = run(['check', '--config', 'examples/petstore-express/contract-lens.yaml', '--format', 'json']);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).summary.projects, 1);
  assert.ok(JSON.parse(r.stdout).findings.every((f: any) => !f.file.startsWith('..') && !f.file.startsWith('/')));
});

test('text output reads like a compiler: file:line:col severity code message', () => {
  const r = run(['check', 'examples/sessions-api']);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'openapi.json:32:7 warning spec.missing-operation-id GET /api/health has no operationId; SDKs, coverage declarations and generated models need one to name it.');
  assert.match(lines[lines.length - 1], /^4 errors, 1 warning, 0 info, 0 hints in 1 project \(16 operations in 1 spec file\)\.$/);
});

test('SARIF output is valid SARIF 2.1.0 with one rule per code and 1-based regions', () => {
  const r = run(['check', 'examples/petstore-express', '--format', 'sarif']);
  assert.equal(r.code, 1);
  const sarif: any = JSON.parse(r.stdout);
  const schema = require(path.join(repo, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  const valid: boolean = validate(structuredClone(sarif));
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.deepEqual(run0.tool.driver.rules.map((x: any) => x.id), ['ref.unresolved', 'spec.invalid-status-code', 'spec.unused-path-parameter', 'syntax.duplicate-key']);
  const first = run0.results[0];
  assert.equal(first.ruleId, 'ref.unresolved');
  assert.equal(run0.tool.driver.rules[first.ruleIndex].id, first.ruleId);
  assert.deepEqual(first.locations[0].physicalLocation, { artifactLocation: { uri: 'components/schemas.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 49, startColumn: 13, endLine: 49, endColumn: 21 } });
  assert.ok(run0.results.every((x: any) => typeof x.partialFingerprints['contractLens/v1'] === 'string'));
});
