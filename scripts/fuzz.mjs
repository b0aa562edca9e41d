#!/usr/bin/env node
// The long fuzz run: `npm run fuzz -- --cases 10000 [--seed N] [--timeout SECONDS]`.
// Drives the bundled server (dist/server.js) over stdio with the harness in test/helpers/fuzz.ts
// (compiled by `npm run compile-tests`, which `npm run fuzz` runs first), prints the counts, and
// exits 1 when any invariant was violated. test/server/fuzz.test.ts runs a short seeded run in npm test.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = { cases: 1000, seed: Date.now() % 1_000_000_007, timeout: 60 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--cases') opts.cases = Number(argv[++i]);
  else if (argv[i] === '--seed') opts.seed = Number(argv[++i]);
  else if (argv[i] === '--timeout') opts.timeout = Number(argv[++i]);
  else {
    console.error(`unknown option ${argv[i]}; usage: npm run fuzz -- [--cases N] [--seed N] [--timeout SECONDS]`);
    process.exit(2);
  }
}
const { runFuzz, formatReport } = createRequire(import.meta.url)(path.join(repo, 'out/test/helpers/fuzz.js'));
console.log(`fuzz: ${opts.cases} cases, seed ${opts.seed} (replay with --seed ${opts.seed})`);
const report = await runFuzz({ cases: opts.cases, seed: opts.seed, timeoutMs: opts.timeout * 1000, progress: (l) => console.log(l) });
console.log(formatReport(report));
process.exitCode = report.exits + report.crashes + report.unanswered + report.outOfRange + report.idleTimeouts > 0 ? 1 : 0;
