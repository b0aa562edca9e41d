// The schema-quality pass on GitHub's REST description (@octokit/openapi), side by side with the
// Spectral CLI running the same ruleset, in one run on this machine. Prints a Markdown table (and
// writes it to --out FILE when given). A benchmark, not a test: nothing here fails the build.
//
//   npm run build && npm run compile-tests && node scripts/bench-quality.mjs [--quick] [--out FILE]
//
// Rows: the fast check (for scale); the quality pass in-process with the built-in ruleset (no
// typed operations, then every operation typed, the heavy case); ruleset R (every operation's id
// present and usable as an identifier, with Spectral's own functions) as the project's ruleset,
// in-process and in the server's worker thread; and the Spectral CLI with the same file R.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = (p) => path.join(repo, 'out', p);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const runs = quick ? 1 : 3;
const note = (s) => process.stderr.write(`[bench-quality] ${s}\n`);

for (const f of ['server/src/engine/index.js', 'server/src/engine/quality/index.js']) {
  if (!fs.existsSync(out(f))) throw new Error(`missing out/${f}: run npm run compile-tests first`);
}
const workerScript = path.join(repo, 'dist/qualityWorker.js');
if (!fs.existsSync(workerScript)) throw new Error('missing dist/qualityWorker.js: run npm run build first');
const { ContractEngine, nodeHost, silentLogger } = require(out('server/src/engine/index.js'));
const { runQuality, qualityInput, qualityJob } = require(out('server/src/engine/quality/index.js'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
async function timeIt(fn, n = runs) {
  const times = [];
  let last;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    last = await fn(i);
    times.push(performance.now() - t);
  }
  return { ms: median(times), last };
}

// ---------------------------------------------------------------- the workload
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-quality-'));
const ghSrc = require.resolve('@octokit/openapi/generated/api.github.com.json');
const ghVersion = require('@octokit/openapi/package.json').version;
const spectralVersion = require('@stoplight/spectral-cli/package.json').version;
const ruleset = `# R: every operation's id is present and usable as an identifier (Spectral's own functions only).
rules:
  operation-id-present:
    description: every operation has an operationId
    given: "$.paths[*][get,put,post,delete,options,head,patch,trace]"
    severity: warn
    then: {field: operationId, function: truthy}
  operation-id-identifier:
    description: operationIds are usable as identifiers
    given: "$.paths[*][get,put,post,delete,options,head,patch,trace]"
    severity: warn
    then:
      field: operationId
      function: pattern
      functionOptions: {match: "^[A-Za-z_][A-Za-z0-9_]*$"}
`;
const ids = Object.values(JSON.parse(fs.readFileSync(ghSrc, 'utf8')).paths).flatMap((item) =>
  ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].map((m) => item[m]?.operationId).filter(Boolean),
);
/** A project folder: the description, optionally a config, declarations and ruleset R. */
function project(name, { typed = false, withRuleset = false } = {}) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(ghSrc, path.join(dir, 'api.github.com.json'));
  if (withRuleset) fs.writeFileSync(path.join(dir, '.spectral.yaml'), ruleset);
  if (typed) {
    fs.writeFileSync(path.join(dir, 'contract-lens.yaml'), 'spec: api.github.com.json\ncoverage:\n  source: yaml\n');
    fs.writeFileSync(path.join(dir, 'contract-lens.coverage.yaml'), `typed:\n${[...new Set(ids)].map((id, i) => `  - {operationId: ${JSON.stringify(id)}, key: op${i}}`).join('\n')}\n`);
  }
  return dir;
}
const plainDir = project('plain');
const typedDir = project('typed', { typed: true });
const rulesetDir = project('ruleset', { withRuleset: true });
const rulesetFile = path.join(work, 'ruleset-R.yaml');
fs.writeFileSync(rulesetFile, ruleset);

function check(dir) {
  const engine = new ContractEngine({ ...nodeHost(), logger: silentLogger });
  const [ref] = engine.discover(dir);
  return { engine, result: engine.check(ref) };
}

const rows = [];
const row = (what, ms, detail = '') => {
  rows.push({ what, ms, detail });
  note(`${what}: ${fmt(ms)}${detail ? ` (${detail})` : ''}`);
};

// ---------------------------------------------------------------- Contract Lens, in-process
note(`workload: ${ids.length} operations, ${(fs.statSync(ghSrc).size / 1048576).toFixed(1)} MB; ${runs} run(s) each`);
const fast = await timeIt(() => check(plainDir));
row('Contract Lens fast check (parse, $refs, operations, structure)', fast.ms, 'engine.check; not the quality pass');

// The pass only: each project is checked once, outside the timings (the pass reuses its trees).
const plain = check(plainDir);
const builtin = await timeIt(() => runQuality(qualityInput(plain.result, { trusted: true, fs: plain.engine.host.fs })));
row('quality pass, built-in ruleset, no typed operations', builtin.ms, `prepare ${fmt(builtin.last.timings.prepareMs)}, Spectral ${fmt(builtin.last.timings.spectralMs)}; ${builtin.last.findings.length} findings`);

const typedCheck = check(typedDir);
const typed = await timeIt(() => runQuality(qualityInput(typedCheck.result, { trusted: true, fs: typedCheck.engine.host.fs })));
const typedTargets = typedCheck.result.coverage?.totals.typed ?? 0;
row(`quality pass, built-in ruleset, all ${typedTargets} operations typed`, typed.ms, `prepare ${fmt(typed.last.timings.prepareMs)}, Spectral ${fmt(typed.last.timings.spectralMs)}; ${typed.last.findings.length} findings`);

const rChecked = check(rulesetDir);
const withR = await timeIt(() => runQuality(qualityInput(rChecked.result, { trusted: true, fs: rChecked.engine.host.fs })));
const rRun = withR.last.timings.runs.find((r) => r.ruleset.endsWith('.spectral.yaml'));
row('quality pass, ruleset R as the project ruleset (Spectral run of R alone)', rRun.ms, `${rRun.results} results; the whole pass with the built-in ruleset: ${fmt(withR.ms)}`);

// ---------------------------------------------------------------- Contract Lens, in the server's worker thread
{
  const job = qualityJob(rChecked.result, { trusted: true, readFile: (f) => fs.readFileSync(f, 'utf8') });
  const root = job.specs[0].files[0];
  const worker = new Worker(workerScript, { stdout: true, stderr: true });
  let id = 0;
  // Each job is an edit: the spec's text differs (trailing spaces), so the worker parses it again.
  const ask = () =>
    new Promise((resolve, reject) => {
      const mine = ++id;
      root.text = root.text.trimEnd() + ' '.repeat(mine) + '\n';
      const onMessage = (m) => {
        if (m.id !== mine) return;
        worker.off('message', onMessage);
        if (m.error) reject(new Error(m.error));
        else resolve(m);
      };
      worker.on('message', onMessage);
      worker.postMessage({ id: mine, job });
    });
  const cold = performance.now();
  await ask();
  const coldMs = performance.now() - cold;
  const warm = await timeIt(() => ask());
  await worker.terminate();
  row('quality pass in the worker thread, as the server runs it after an edit (built-in + R; the edited text parsed there)', warm.ms, `first job, worker start and Spectral load included: ${fmt(coldMs)}; the server's thread only posts the texts`);
}

// ---------------------------------------------------------------- Spectral CLI, same ruleset R
const spectralBin = path.join(path.dirname(require.resolve('@stoplight/spectral-cli/package.json')), 'dist/index.js');
let lastCount = 0;
const cli = await timeIt(() => {
  const r = spawnSync(process.execPath, [spectralBin, 'lint', path.join(plainDir, 'api.github.com.json'), '--ruleset', rulesetFile, '-f', 'json', '--quiet', '--fail-severity', 'error'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`spectral exited ${r.status}: ${r.stderr}`);
  try {
    lastCount = JSON.parse(r.stdout).length;
  } catch {
    lastCount = NaN;
  }
});
row(`Spectral CLI ${spectralVersion}, ruleset R (its own parse and $ref resolution included)`, cli.ms, `${lastCount} results`);

// ---------------------------------------------------------------- the table
const rOurs = rRun.ms;
const lines = [
  `### Schema quality on GitHub's REST description (@octokit/openapi ${ghVersion}, ${ids.length} operations)`,
  '',
  `${os.cpus().length} cores, Node ${process.version}, median of ${runs} run(s).`,
  '',
  '| measure | median | notes |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${fmt(r.ms)} | ${r.detail} |`),
  '',
  `Ruleset R in Contract Lens's Spectral run: ${fmt(rOurs)}; in the Spectral CLI: ${fmt(cli.ms)} (${(cli.ms / rOurs).toFixed(0)}× as long). The Spectral CLI reads, parses and resolves the file itself on every run; Contract Lens hands Spectral the trees its fast check already parsed and a resolved view built from them.`,
];
process.stdout.write(lines.join('\n') + '\n');
if (outFile) fs.writeFileSync(outFile, lines.join('\n') + '\n');
// For scripts/bench.mjs: one JSON line with the rows, folded into docs/benchmarks.md.
if (args.includes('--json')) process.stdout.write(JSON.stringify({ rows: rows.map((r) => ({ workload: `GitHub JSON (13 MB), schema quality`, measure: r.what, ms: r.ms, extra: r.detail })) }) + '\n');
fs.rmSync(work, { recursive: true, force: true });
