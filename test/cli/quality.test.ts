import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, repo } from '../helpers/examples';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const at = (f: any) => `${f.code} ${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

test('check includes the quality pass: the sessions-api typed-target breaks, in the JSON report and its summary', () => {
  const r = run(['check', 'examples/sessions-api', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  const quality = report.findings.filter((f: any) => f.code.startsWith('quality.'));
  assert.deepEqual(quality.map(at), ['quality.required-not-in-properties openapi.json:1093:10-1093:20', 'quality.loose-schema openapi.json:1183:6-1183:23']);
  assert.deepEqual(quality[1].related.map((x: any) => `${x.file}:${x.range.start.line} ${x.message}`), [
    'openapi.json:492 the request body of startRun (POST /api/runs), a typed operation',
    'openapi.json:504 referenced here',
  ]);
  assert.equal(report.summary.errors, report.findings.filter((f: any) => f.severity === 'error').length);
});

test('the CLI trusts the folder it is pointed at, unless --untrusted: then a ruleset\'s JavaScript never runs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cli-trust-'));
  const marker = path.join(dir, 'MARKER');
  fs.writeFileSync(path.join(dir, 'openapi.yaml'), 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200": {description: ok}\n');
  fs.writeFileSync(path.join(dir, '.spectral.yaml'), 'functions: [mark]\nrules:\n  marked:\n    given: "$.paths[*][*]"\n    severity: warn\n    then: {function: mark}\n');
  fs.mkdirSync(path.join(dir, 'functions'));
  fs.writeFileSync(path.join(dir, 'functions/mark.js'), `const fs = require('fs');\nfs.writeFileSync(${JSON.stringify(marker)}, 'loaded');\nmodule.exports = () => [{ message: 'marked' }];\n`);

  const untrusted = run(['check', dir, '--untrusted', '--format', 'json']);
  assert.equal(untrusted.code, 0, untrusted.stdout);
  assert.deepEqual(JSON.parse(untrusted.stdout).findings.map(at), ['quality.ruleset-skipped .spectral.yaml:0:0-0:9']);
  assert.equal(fs.existsSync(marker), false);

  const trusted = run(['check', dir, '--format', 'json']);
  assert.equal(trusted.stderr, '');
  assert.deepEqual(JSON.parse(trusted.stdout).findings.map((f: any) => `${at(f)} ${f.severity} ${f.message}`), ['quality.spectral-rule openapi.yaml:4:4-4:7 warning marked: marked']);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'loaded');
});
