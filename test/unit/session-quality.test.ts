import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { silentLogger, finding, type CheckResult, type Finding } from '../../server/src/engine/index';
import { Session, type FilePublication } from '../../server/src/session';
import type { QualityRunner } from '../../server/src/qualityRunner';
import { MemoryFileSystem } from '../helpers/memoryFs';

/** A quality runner the test answers by hand (the environment's worker, faked; the session is real). */
class FakeRunner implements QualityRunner {
  calls: { key: string; result: CheckResult; resolve: (f: Finding[] | undefined) => void }[] = [];
  cancelled: string[] = [];
  run(key: string, result: CheckResult) {
    return new Promise<Finding[] | undefined>((resolve) => this.calls.push({ key, result, resolve }));
  }
  cancel(key: string) {
    this.cancelled.push(key);
  }
  dispose() {}
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'condition reached');
};

test('the session publishes fast findings first, merges the quality findings of the current result, and drops stale ones per file after an edit', async () => {
  const spec = '/project/openapi.yaml';
  const other = '/project/schemas.yaml';
  const specText = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "schemas.yaml#/A"}\n';
  const fs = new MemoryFileSystem({ 'openapi.yaml': specText, 'schemas.yaml': 'A: {type: object}\n' });
  const runner = new FakeRunner();
  const pubs: FilePublication[] = [];
  const session = new Session(['/project'], { publish: (p) => pubs.push(p), status: () => {} }, silentLogger, 0, fs, runner);
  await session.start();
  await session.whenIdle();
  assert.ok(pubs.length === 0 || pubs.every((p) => p.findings.every((f) => !f.code.startsWith('quality.'))), 'fast publications carry no quality finding');
  await until(() => runner.calls.length === 1);
  const first = runner.calls[0];
  const inSpec = finding('quality.operation-id-not-identifier', 'in the spec', { file: spec, start: 60, end: 64 });
  const inOther = finding('quality.loose-schema', 'in the other file', { file: other, start: 0, end: 1 });
  first.resolve([inSpec, inOther]);
  await until(() => pubs.some((p) => p.file === other && p.findings.includes(inOther)));
  assert.ok(pubs.some((p) => p.file === spec && p.findings.includes(inSpec)));

  // An edit of the spec: the running pass is cancelled, the next fast publication of the spec has
  // no stale quality finding, the other file keeps its own (its text did not change).
  pubs.length = 0;
  session.openDocument({ path: spec, text: specText.replace('getA', 'getAlpha'), version: 2 });
  assert.ok(runner.cancelled.length > 0, 'the pass is cancelled by the edit');
  await session.whenIdle();
  const specPub = pubs.filter((p) => p.file === spec).pop()!;
  assert.equal(specPub.version, 2);
  assert.ok(!specPub.findings.some((f) => f.code.startsWith('quality.')));
  assert.ok(pubs.filter((p) => p.file === other).pop()!.findings.includes(inOther));

  // The new pass is scheduled for the new result; a late answer of a superseded pass is ignored.
  await until(() => runner.calls.length === 2);
  assert.notEqual(runner.calls[1].result, first.result);
  const count = pubs.length;
  first.resolve([finding('quality.empty-enum', 'stale', { file: spec, start: 0, end: 1 })]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(pubs.length, count);
  runner.calls[1].resolve([]);
  await until(() => pubs.length > count);
  assert.ok(!pubs[pubs.length - 1].findings.some((f) => f.code.startsWith('quality.')));
});

test('a quality pass starts only once the project has been quiet for as long as its last pass took: a burst of keystrokes starts none', async () => {
  const spec = '/project/openapi.yaml';
  const specText = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200": {description: ok}\n';
  const fs = new MemoryFileSystem({ 'openapi.yaml': specText });
  const runner = new FakeRunner();
  const session = new Session(['/project'], { publish: () => {}, status: () => {} }, silentLogger, 0, fs, runner);
  await session.start();
  await session.whenIdle();
  // The first pass of a small contract starts at once (nothing timed yet; its estimate is ~0 ms), and takes 300 ms.
  await until(() => runner.calls.length === 1);
  await new Promise((r) => setTimeout(r, 300));
  runner.calls[0].resolve([]);
  await new Promise((r) => setTimeout(r, 10));

  // Keystrokes 60 ms apart: each check publishes, and none is followed by a pass.
  for (let i = 0; i < 5; i++) {
    session.openDocument({ path: spec, text: specText.replace('getA', `getA${i}`), version: 2 + i });
    await session.whenIdle();
    await new Promise((r) => setTimeout(r, 60));
  }
  assert.equal(runner.calls.length, 1, 'no pass during the burst');
  const quietFrom = performance.now();
  await until(() => runner.calls.length === 2);
  const waited = performance.now() - quietFrom;
  assert.ok(waited >= 200, `the pass waited for the project to be quiet (${waited.toFixed(0)} ms after the last keystroke's check + 60 ms)`);
  assert.equal(runner.calls[1].result.specs[0].graph.documents.get(spec)?.text.includes('getA4'), true, 'the pass is about the last text');
  runner.calls[1].resolve([]);
});
