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
/** Findings of the checks this file covers (coverage and generator findings have their own tests). */
const specAndParity = (f: any) => /^(spec|ref|syntax|parity)\./.test(f.code);

test('sessions-api: the deliberate breaks, with their codes and exact ranges, exit 1', () => {
  const r = run(['check', 'examples/sessions-api', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 1);
  const findings = report.findings.filter(specAndParity);
  assert.deepEqual(
    findings.map((f: any) => `${f.code} ${f.severity} ${at(f)}`),
    [
      'spec.missing-operation-id warning openapi.json:31:6-31:11',
      'ref.unresolved error openapi.json:134:32-134:68',
      'spec.undeclared-path-parameter error openapi.json:446:40-446:51',
      'spec.missing-responses error openapi.json:636:8-636:19',
      'spec.duplicate-operation-id error openapi.json:641:23-641:32',
      'parity.unimplemented-operation error openapi.json:774:6-774:14',
      'parity.sdk-unknown-route error sdk/agentlab/sessions.py:132:61-132:90',
      'parity.undocumented-route warning server/src/app.ts:301:11-301:45',
    ],
  );
  const token = (f: any) => fs.readFileSync(path.join(repo, 'examples/sessions-api', f.file), 'utf8').split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character);
  assert.deepEqual(findings.map(token), ['"get"', '"#/components/schemas/SesionSummary"', '{messageId}', '"responses"', '"readRun"', '"delete"', 'f"/sessions/{session_id}/pin"', '"/api/sessions/:sessionId/archive"']);
  // Parity findings point at the other side.
  const undocumented = findings.find((f: any) => f.code === 'parity.undocumented-route');
  assert.equal(undocumented.data.path, '/api/sessions/{sessionId}/archive');
  assert.equal(undocumented.data.method, 'post');
  const dup = report.findings.find((f: any) => f.code === 'spec.duplicate-operation-id');
  assert.deepEqual(dup.related.map((r: any) => `${r.file}:${r.range.start.line}`), ['openapi.json:555']);
  assert.equal(report.summary.operations, 16);
  assert.equal(report.summary.paths, 11);
  // Parity counts: every route and SDK call is matched but the deliberate breaks.
  assert.deepEqual(report.summary.parity, { operations: 16, routes: 16, calls: 16, matchedOperations: 15, matchedRoutes: 15, matchedCalls: 15 });
});

test('sessions-api with every break repaired: exit 0, no finding at all', () => {
  const dir = copyExample('sessions-api');
  const applied = applyRepairs(dir, 'sessions-api', () => true);
  assert.equal(applied.length, 12);
  const r = run(['check', dir, '--format', 'json']);
  assert.deepEqual(JSON.parse(r.stdout).findings, []);
  assert.equal(r.code, 0, r.stdout);
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
      'parity.undocumented-route src/routes/pets.ts:78:30-78:51',
    ],
  );
  const dir = copyExample('petstore-express');
  applyRepairs(dir, 'petstore-express', () => true);
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
  applyRepairs(dir, 'sessions-api', () => true);
  // One warning: a route the spec does not document.
  fs.appendFileSync(path.join(dir, 'server/src/app.ts'), '\napp.get("/api/metrics", async () => "");\n');
  assert.deepEqual(JSON.parse(run(['check', dir, '--format', 'json']).stdout).findings.map((f: any) => `${f.code} ${f.severity}`), ['parity.undocumented-route warning']);
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
  assert.ok(lines.includes('openapi.json:32:7 warning spec.missing-operation-id GET /api/health has no operationId; SDKs, coverage declarations and generated models need one to name it.'), lines.join('\n'));
  for (const line of lines.slice(0, -1)) assert.match(line, /^[\w/.-]+:\d+:\d+ (error|warning|info|hint) [a-z]+\.[a-z-]+ \S/);
  assert.match(lines[lines.length - 1], /^\d+ errors, \d+ warnings?, \d+ info, \d+ hints? in 1 project \(16 operations in 1 spec file\)\.$/);
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
  assert.deepEqual(run0.tool.driver.rules.map((x: any) => x.id), ['parity.undocumented-route', 'ref.unresolved', 'spec.invalid-status-code', 'spec.unused-path-parameter', 'syntax.duplicate-key']);
  const first = run0.results[0];
  assert.equal(first.ruleId, 'ref.unresolved');
  assert.equal(run0.tool.driver.rules[first.ruleIndex].id, first.ruleId);
  assert.deepEqual(first.locations[0].physicalLocation, { artifactLocation: { uri: 'components/schemas.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 49, startColumn: 13, endLine: 49, endColumn: 21 } });
  assert.ok(run0.results.every((x: any) => typeof x.partialFingerprints['contractLens/v1'] === 'string'));
});
