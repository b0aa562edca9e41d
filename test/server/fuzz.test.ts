import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runFuzz, formatReport } from '../helpers/fuzz';

// A short seeded run of the fuzz harness (test/helpers/fuzz.ts) through the real server over
// stdio; `npm run fuzz -- --cases 10000` runs the long one. The seed can be changed with
// CONTRACT_LENS_FUZZ_SEED to replay a failure.
test('fuzz (short, seeded): the server survives mutated specs, configs, declarations and sources, answers every request, and keeps every range inside its document', { timeout: 120_000 }, async () => {
  const seed = Number(process.env.CONTRACT_LENS_FUZZ_SEED ?? 20240611);
  const report = await runFuzz({ cases: 120, seed, timeoutMs: 30_000 });
  const text = formatReport(report);
  assert.equal(report.cases, 120);
  assert.ok(report.requests > 0 && report.publications > 0, text);
  assert.equal(report.exits, 0, text);
  assert.equal(report.crashes, 0, text);
  assert.equal(report.unanswered, 0, text);
  assert.equal(report.outOfRange, 0, text);
  assert.equal(report.idleTimeouts, 0, text);
});
