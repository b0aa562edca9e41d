import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, nodeHost, silentLogger, type CheckResult, type Finding } from '../../server/src/engine/index';
import { applyEdits, coverageFixes, coverageLenses, declareTyped } from '../../server/src/engine/coverage/index';
import { Session, type FilePublication } from '../../server/src/session';
import { applyRepairs, copyExample } from '../helpers/examples';

// The reference-shaped example: a Python contracts module (TYPED_OPERATIONS, the hand-kept
// ALL_OPERATION_IDS, STRICT_OPERATION_IDS, RAW = ALL - typed) and generated Pydantic models.
const isSpecCheck = (code: string) => /^(spec|ref|syntax)\./.test(code);
const isCoverage = (code: string) => code.startsWith('coverage.');

async function checkExample(dir: string) {
  const engine = new ContractEngine(nodeHost());
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: path.join(dir, 'contract-lens.yaml') });
  return { result, view: coverageView(result, dir) };
}

function coverageView(result: CheckResult, dir: string): string[] {
  return result.findings
    .filter((f) => isCoverage(f.code))
    .map((f) => {
      const r = result.lines(f.span.file).range(f.span.start, f.span.end);
      const text = fs.readFileSync(f.span.file, 'utf8').slice(f.span.start, f.span.end);
      return `${f.code} ${path.relative(dir, f.span.file)}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${text}`;
    });
}

test('sessions-api: breaks 9 and 10, plus the documented cascade of breaks 1 and 2, at their exact ranges', async () => {
  const dir = copyExample('sessions-api');
  const { result, view } = await checkExample(dir);
  assert.deepEqual(view, [
    'coverage.stale-declaration sdk/agentlab/contracts.py:37:22-37:34 "readSesion"',
    'coverage.undeclared-operation sdk/agentlab/contracts.py:62:1-62:18 ALL_OPERATION_IDS',
    // The cascade: ALL_OPERATION_IDS was written for the repaired spec (README, "Cascade").
    'coverage.all-set-mismatch sdk/agentlab/contracts.py:63:5-63:16 "getHealth"',
    'coverage.all-set-mismatch sdk/agentlab/contracts.py:75:5-75:20 "listRunEvents"',
  ]);
  const coverage = result.findings.filter((f) => isCoverage(f.code));
  assert.deepEqual(coverage[0].data, { operationId: 'readSesion', kind: 'typed', suggestion: 'readSession' });
  assert.equal(coverage[0].message, '"readSesion" is declared typed but the spec has no operation with this operationId (renamed or removed?). Did you mean "readSession"?');
  assert.deepEqual(coverage[1].data, { operationId: 'listAgents', method: 'get', path: '/api/agents' });
  assert.deepEqual(coverage[1].related?.map((r) => `${path.relative(dir, r.span.file)}:${result.lines(r.span.file).positionAt(r.span.start).line + 1} ${r.message}`), ['openapi.json:709 GET /api/agents (openapi.json:709)']);
  // 16 operations: the two GET /api/runs/... share "readRun" until break 1 is repaired, so one
  // declaration types both; GET /api/health has no operationId (break 2), so it is undeclared
  // without a coverage finding of its own (spec.missing-operation-id covers it).
  const c = result.coverage!;
  assert.deepEqual(c.totals, { operations: 16, typed: 5, raw: 9, undeclared: 2, strict: 1 });
  assert.equal(c.modelsFrom, 'generate');
  assert.deepEqual(
    c.operations.filter((o) => o.state !== 'raw').map((o) => `${o.method.toUpperCase()} ${o.path} ${o.state}`),
    ['GET /api/health undeclared', 'POST /api/sessions typed', 'POST /api/sessions/{sessionId}/messages typed', 'POST /api/runs typed', 'GET /api/runs/{runId} typed', 'GET /api/runs/{runId}/events typed', 'GET /api/agents undeclared'],
  );
  const spec = path.join(dir, 'openapi.json');
  const lenses = coverageLenses(c, spec, result.lines, dir);
  assert.equal(lenses[0].title, 'Typed coverage 5/16 (31 %) · strict 1 · raw 9 · undeclared 2');
  assert.deepEqual(
    lenses.filter((l) => l.title.startsWith('typed')).map((l) => l.title),
    [
      'typed · sessions.create · CreateSessionRequest → Session · strict',
      'typed · messages.send · SendMessageRequest → Message',
      'typed · runs.start · StartRunRequest → Run',
      'typed · runs.read · → Run',
      'typed · runs.read · → Run',
    ],
  );
  assert.deepEqual(lenses.filter((l) => l.kind === 'operation').length, 16 + 2 * 1 /* declare typed | raw for listAgents only: health has no id */);
});

test('sessions-api: the quick fixes of breaks 9 and 10 produce exactly the documented repairs', async () => {
  const dir = copyExample('sessions-api');
  const contracts = path.join(dir, 'sdk/agentlab/contracts.py');
  const before = fs.readFileSync(contracts, 'utf8');
  const { result } = await checkExample(dir);
  const find = (code: string) => result.findings.find((f) => f.code === code)!;
  const [rename] = coverageFixes(result.coverage!, find('coverage.stale-declaration'));
  const [typed, raw] = coverageFixes(result.coverage!, find('coverage.undeclared-operation'));

  const repaired = copyExample('sessions-api');
  applyRepairs(repaired, 'sessions-api', (code) => code === 'coverage.stale-declaration');
  assert.equal(applyEdits(before, rename.edits), fs.readFileSync(path.join(repaired, 'sdk/agentlab/contracts.py'), 'utf8'));
  const repaired9 = copyExample('sessions-api');
  applyRepairs(repaired9, 'sessions-api', (code) => code === 'coverage.undeclared-operation');
  assert.equal(raw.title, 'Declare raw');
  assert.equal(applyEdits(before, raw.edits), fs.readFileSync(path.join(repaired9, 'sdk/agentlab/contracts.py'), 'utf8'));

  // Declare typed: a contract in spec order (after the last typed operation, readRun), the model
  // imported in sorted position, and listAgents added to the hand-kept set.
  assert.equal(typed.title, 'Declare typed (agents.list)');
  const expected = before
    .replace('from .models import CreateSessionRequest,', 'from .models import Agent, CreateSessionRequest,')
    .replace(
      '        operation_id="readRun",\n        request_model=None,\n        response_models=(Run,),\n    ),\n}',
      '        operation_id="readRun",\n        request_model=None,\n        response_models=(Run,),\n    ),\n    "agents.list": TypedOperationContract(\n        operation_key="agents.list",\n        operation_id="listAgents",\n        request_model=None,\n        response_models=(Agent,),\n    ),\n}',
    )
    .replace('    "readAgent",\n', '    "listAgents",\n    "readAgent",\n');
  assert.equal(applyEdits(before, typed.edits), expected);
  assert.deepEqual(declareTyped(result.coverage!, 'listAgents'), typed);

  // The module with the declare-typed fix applied checks clean for coverage (after the spec
  // repairs), but for the generated typed facade, which has no method for the new operation until
  // it is regenerated.
  applyRepairs(repaired9, 'sessions-api', (code) => isSpecCheck(code) || code === 'coverage.stale-declaration');
  fs.writeFileSync(path.join(repaired9, 'sdk/agentlab/contracts.py'), applyEdits(applyEdits(before, rename.edits), typed.edits));
  const after = await checkExample(repaired9);
  assert.deepEqual(after.view, ['coverage.missing-from-facade sdk/agentlab/contracts.py:59:23-59:36 "agents.list"']);
  assert.deepEqual(after.result.coverage!.totals, { operations: 16, typed: 6, raw: 10, undeclared: 0, strict: 1 });
});

test('sessions-api: spec repaired: only breaks 9 and 10; everything repaired: no coverage finding', async () => {
  const dir = copyExample('sessions-api');
  applyRepairs(dir, 'sessions-api', isSpecCheck);
  const spec = await checkExample(dir);
  assert.deepEqual(spec.view, ['coverage.stale-declaration sdk/agentlab/contracts.py:37:22-37:34 "readSesion"', 'coverage.undeclared-operation sdk/agentlab/contracts.py:62:1-62:18 ALL_OPERATION_IDS']);
  assert.deepEqual(spec.result.coverage!.totals, { operations: 16, typed: 4, raw: 11, undeclared: 1, strict: 1 });
  applyRepairs(dir, 'sessions-api', isCoverage);
  const all = await checkExample(dir);
  assert.deepEqual(all.view, []);
  assert.deepEqual(all.result.coverage!.totals, { operations: 16, typed: 5, raw: 11, undeclared: 0, strict: 1 });
});

test('renaming an operationId in the unsaved spec: the next publication has the stale declaration with did-you-mean, and its fix', async () => {
  const dir = copyExample('sessions-api');
  applyRepairs(dir, 'sessions-api', () => true);
  const spec = path.join(dir, 'openapi.json');
  const contracts = path.join(dir, 'sdk/agentlab/contracts.py');
  const publications: FilePublication[] = [];
  const session = new Session([dir], { publish: (p) => publications.push(p), status: () => {} }, silentLogger, 0);
  await session.start();
  await session.whenIdle();
  const text = fs.readFileSync(spec, 'utf8');
  session.openDocument({ path: spec, text, version: 1 });
  await session.whenIdle();
  publications.length = 0;
  const renamed = text.replace('"operationId": "createSession"', '"operationId": "createNewSession"');
  session.changeDocument({ path: spec, text: renamed, version: 2 });
  await session.whenIdle();
  const pub = publications.find((p) => p.file === contracts);
  assert.ok(pub, 'the contracts module gets a publication');
  const coverage = pub.findings.filter((f) => isCoverage(f.code));
  const result = pub.resultOf.get(coverage[0])!;
  const lines = fs.readFileSync(contracts, 'utf8');
  assert.deepEqual(
    coverage.map((f: Finding) => `${f.code} ${result.lines(f.span.file).positionAt(f.span.start).line + 1} ${lines.slice(f.span.start, f.span.end)} ${f.data?.suggestion}`),
    [
      'coverage.stale-declaration 31 "createSession" createNewSession',
      'coverage.all-set-mismatch 65 "createSession" createNewSession',
      'coverage.stale-declaration 81 "createSession" createNewSession',
    ],
  );
  // createNewSession is not also reported undeclared: the rename fixes both.
  assert.ok(!pub.findings.some((f) => f.code === 'coverage.undeclared-operation'));
  const [rename] = coverageFixes(result.coverage!, coverage[0]);
  assert.equal(rename.title, 'Rename "createSession" to "createNewSession"');
  const fixed = applyEdits(lines, rename.edits);
  assert.equal(fixed, lines.replace(/"createSession"/g, '"createNewSession"'));
  // Apply it as an unsaved edit too: the next publication clears the module.
  session.openDocument({ path: contracts, text: fixed, version: 1 });
  await session.whenIdle();
  const last = publications.filter((p) => p.file === contracts).at(-1)!;
  assert.deepEqual(last.findings.filter((f) => isCoverage(f.code)), []);
});
