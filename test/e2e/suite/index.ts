// Entry point of the end-to-end suite, loaded inside VS Code's extension host by either runner:
//  - scripts/e2e/harness.mjs (code-server + Chromium): its runner extension (test/e2e/runner)
//    requires this file and calls `runSuite()`, then writes the results for the harness;
//  - test/e2e/electron.ts (@vscode/test-electron on a desktop): VS Code calls `run()`.
// Mocha 12 is ESM internally and is loaded with require(esm): Node >= 20.19 / 22.12 (VS Code's
// extension host has Node 22+ on the desktop and Node 24 in code-server).
import * as fs from 'node:fs';
import * as path from 'node:path';
import MochaModule = require('mocha');

export interface TestOutcome {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  message?: string;
  stack?: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestOutcome[];
  failures: { fullTitle: string; message: string; stack?: string }[];
}

export interface RunOptions {
  /** Only run tests whose full title matches (mocha's --grep). */
  grep?: string;
  /** Per-test timeout; waits inside tests have their own, shorter deadlines. */
  timeoutMs?: number;
}

type MochaCtor = typeof MochaModule;
type Runner = InstanceType<MochaCtor['Runner']>;
type TestLike = { title: string; fullTitle(): string; duration?: number };

function loadMocha(): MochaCtor {
  // require(esm) yields the module namespace; its default export is the Mocha class.
  const m = MochaModule as unknown as { default?: MochaCtor };
  return m.default ?? MochaModule;
}

/**
 * The compiled test files beside this one, in a stable order. A run in Restricted Mode (the
 * harness sets CONTRACT_LENS_E2E_RESTRICTED=1) takes only `*.restricted.test.js`; every other run
 * takes all the others.
 */
export function testFiles(dir = __dirname, restricted = process.env.CONTRACT_LENS_E2E_RESTRICTED === '1'): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js') && f.endsWith('.restricted.test.js') === restricted)
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs every `*.test.js` beside this file and resolves with what happened (never rejects on a failing test). */
export function runSuite(options: RunOptions = {}): Promise<SuiteResults> {
  // Failures then point at the TypeScript lines (the suite is compiled with inline source maps).
  process.setSourceMapsEnabled?.(true);
  const Mocha = loadMocha();
  const results: SuiteResults = { passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [], failures: [] };

  // A reporter that only records: the harness prints the outcome, where a person reads it.
  class Recorder {
    constructor(runner: Runner) {
      runner.on('pass', (t: TestLike) => {
        results.passed++;
        results.tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration });
      });
      runner.on('pending', (t: TestLike) => {
        results.pending++;
        results.tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'pending' });
      });
      // Also fires for failing hooks, whose tests then never run: each counts as one failure.
      runner.on('fail', (t: TestLike, err: Error) => {
        results.failed++;
        const message = err?.message ?? String(err);
        results.tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'failed', durationMs: t.duration, message, stack: err?.stack });
        results.failures.push({ fullTitle: t.fullTitle(), message, stack: err?.stack });
      });
    }
  }

  const mocha = new Mocha({ ui: 'bdd', timeout: options.timeoutMs ?? 60_000, color: false });
  mocha.reporter(Recorder as unknown as typeof MochaModule.reporters.Base);
  if (options.grep) mocha.grep(options.grep);
  for (const f of testFiles()) mocha.addFile(f);

  const started = Date.now();
  return new Promise((resolve, reject) => {
    try {
      mocha.run(() => {
        results.durationMs = Date.now() - started;
        resolve(results);
      });
    } catch (err) {
      reject(err); // a test file that throws while loading
    }
  });
}

/** Mocha-like text of the results; the harness prints the same from the results file. */
export function formatResults(r: SuiteResults): string {
  const lines: string[] = [];
  for (const t of r.tests) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✘' : '-';
    const ms = t.durationMs !== undefined ? ` (${t.durationMs} ms)` : '';
    lines.push(`  ${mark} ${t.fullTitle}${ms}`);
  }
  r.failures.forEach((f, i) => {
    lines.push('', `  ${i + 1}) ${f.fullTitle}:`, `     ${(f.stack ?? f.message).split('\n').join('\n     ')}`);
  });
  lines.push('', `${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} skipped` : ''}`);
  return lines.join('\n');
}

/** @vscode/test-electron's entry point: rejects when any test failed. */
export async function run(): Promise<void> {
  const results = await runSuite({ grep: process.env.CONTRACT_LENS_E2E_GREP });
  console.log(formatResults(results));
  if (results.failed > 0 || results.passed === 0) {
    throw new Error(`${results.failed} e2e test(s) failed, ${results.passed} passed`);
  }
}
