import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { applyRepairs, cli, copyExample, repo } from '../helpers/examples';

function run(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const at = (f: any) => `${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

test('check --format json: the coverage breaks of sessions-api at their ranges, and exact counts in the summary', () => {
  const r = run(['check', 'examples/sessions-api', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(
    report.findings.filter((f: any) => f.code.startsWith('coverage.')).map((f: any) => `${f.code} ${f.severity} ${at(f)}`),
    [
      'coverage.stale-declaration error sdk/agentlab/contracts.py:36:21-36:33',
      'coverage.undeclared-operation error sdk/agentlab/contracts.py:61:0-61:17',
      'coverage.all-set-mismatch error sdk/agentlab/contracts.py:62:4-62:15',
      'coverage.all-set-mismatch error sdk/agentlab/contracts.py:74:4-74:19',
    ],
  );
  const undeclared = report.findings.find((f: any) => f.code === 'coverage.undeclared-operation');
  assert.deepEqual(undeclared.data, { operationId: 'listAgents', method: 'get', path: '/api/agents' });
  assert.deepEqual(undeclared.related.map((x: any) => `${x.file}:${x.range.start.line}`), ['openapi.json:708']);
  assert.deepEqual(report.summary.coverage, { typed: 5, raw: 9, undeclared: 2, strict: 1, operations: 16 });
});

test('check: a project without coverage has no coverage summary; all repairs: no coverage finding, 5 typed, 11 raw', () => {
  const petstore = JSON.parse(run(['check', 'examples/petstore-express', '--format', 'json']).stdout);
  assert.equal(petstore.summary.coverage, undefined);
  const dir = copyExample('sessions-api');
  applyRepairs(dir, 'sessions-api', () => true);
  const report = JSON.parse(run(['check', dir, '--format', 'json']).stdout);
  assert.deepEqual(report.findings.filter((f: any) => f.code.startsWith('coverage.')), []);
  assert.deepEqual(report.summary.coverage, { typed: 5, raw: 11, undeclared: 0, strict: 1, operations: 16 });
});

test('coverage --format json: totals, per tag and per path, and every operation with its state', () => {
  const r = run(['coverage', 'examples/sessions-api', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.totals, { operations: 16, typed: 5, raw: 9, undeclared: 2, strict: 1 });
  const p = report.projects[0];
  assert.equal(p.project, 'sessions-api');
  assert.equal(p.declarations, 'sdk/agentlab/contracts.py');
  assert.equal(p.summary, 'Typed coverage 5/16 (31 %) · strict 1 · raw 9 · undeclared 2');
  assert.deepEqual(
    p.byTag.map((t: any) => `${t.group} ${t.typed}/${t.raw}/${t.undeclared}`),
    ['system 0/0/1', 'sessions 1/4/0', 'messages 1/2/0', 'runs 3/1/0', 'agents 0/2/1'],
  );
  assert.equal(p.byPath.length, 11);
  const create = p.operations.find((o: any) => o.operationId === 'createSession');
  assert.deepEqual(create, {
    method: 'POST',
    path: '/api/sessions',
    operationId: 'createSession',
    tags: ['sessions'],
    state: 'typed',
    key: 'sessions.create',
    request: 'CreateSessionRequest',
    responses: [{ model: 'Session' }],
    strict: true,
    mode: 'strict',
    file: 'openapi.json',
    line: 151,
  });
});

test('coverage --format text and markdown print the same numbers; the markdown has tables and a bar chart', () => {
  const text = run(['coverage', 'examples/sessions-api']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^sessions-api · sdk\/agentlab\/contracts\.py \(python\) · mode typed-only\nTyped coverage 5\/16 \(31 %\) · strict 1 · raw 9 · undeclared 2\n/);
  assert.match(text.stdout, /\nruns        4      3    1           0       0  3\/4 \(75 %\)  typed-only  StartRunRequest, Run\n/);
  assert.match(text.stdout, /\nUndeclared\n  GET \/api\/health \(no operationId\) · openapi\.json:32\n  GET \/api\/agents \(listAgents\) · openapi\.json:708\n$/);
  const md = run(['coverage', 'examples/sessions-api', '--format', 'markdown']);
  assert.equal(md.code, 0);
  assert.ok(md.stdout.includes('```text\nsystem    ░░░░░░░░░░░░░░░░░░░░  0/1 (0 %)\nsessions  ████░░░░░░░░░░░░░░░░  1/5 (20 %)\n'), md.stdout);
  assert.ok(md.stdout.includes('total     ██████░░░░░░░░░░░░░░  5/16 (31 %)\n```'));
  assert.ok(md.stdout.includes('| tag | ops | typed | raw | undeclared | strict | coverage | mode | models |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n'));
  assert.ok(md.stdout.includes('| `/api/sessions` | 2 | 1 | 1 | 0 | 1 | 1/2 (50 %) | strict | CreateSessionRequest, Session |'));
});

test('coverage on the YAML fixture with --config; usage errors exit 2; no coverage section: a plain note', () => {
  const yaml = run(['coverage', '--config', path.join(repo, 'test/fixtures/coverage/yaml-project/contract-lens.yaml'), '--format', 'json']);
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.deepEqual(JSON.parse(yaml.stdout).totals, { operations: 7, typed: 3, raw: 2, undeclared: 2, strict: 1 });
  const bad = run(['coverage', 'examples/sessions-api', '--format', 'html']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format must be text, json or markdown, not "html"/);
  assert.equal(run(['coverage', 'a', 'b']).code, 2);
  assert.equal(run(['coverage', '--nope']).code, 2);
  const none = run(['coverage', 'examples/petstore-express']);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, 'No project declares typed coverage (add a `coverage` section to contract-lens.yaml).\n');
});
