#!/usr/bin/env node
// The generator's benchmark: GitHub's description (13 MB JSON, about 1,000 schemas) to pydantic
// v2 models, side by side with the time to parse the same document (the floor), in one run.
// Medians of several runs in one warm process. Needs `npm run compile-tests` (out/) first;
// `npm run bench` runs it as one of its workloads.
//
//   node scripts/bench-generate.mjs [--quick] [--json] [--runs N] [--spec FILE]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const option = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const runs = Number(option('--runs', flag('--quick') ? 2 : 7));
const budgetMs = 500;

const out = (p) => path.join(repo, 'out', p);
if (!fs.existsSync(out('server/src/engine/generate/index.js'))) {
  console.error('bench-generate: run `npm run compile-tests` first (it compiles the engine into out/).');
  process.exit(2);
}
const { ContractEngine, nodeHost } = require(out('server/src/engine/index.js'));
const { parseText } = require(out('server/src/engine/parse/document.js'));
const { loadForGeneration } = require(out('server/src/engine/generate/load.js'));
const { ModelBuilder } = require(out('server/src/engine/generate/model.js'));
const { generateTarget } = require(out('server/src/engine/generate/index.js'));
const { specDigest } = require(out('server/src/engine/generate/header.js'));

function githubSpec() {
  const explicit = option('--spec');
  if (explicit) return path.resolve(explicit);
  try {
    return require.resolve('@octokit/openapi/generated/api.github.com.json');
  } catch {
    const cached = path.join(os.homedir(), '.cache/contract-lens/corpus/node_modules/@octokit/openapi/generated/api.github.com.json');
    if (fs.existsSync(cached)) return cached;
    console.error('bench-generate: @octokit/openapi is not installed (npm ci installs it), and no --spec was given.');
    process.exit(2);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const specFile = githubSpec();
const text = fs.readFileSync(specFile, 'utf8');
const root = path.dirname(specFile);
const times = { jsonParse: [], parse: [], model: [], emit: [], generate: [], endToEnd: [], digest: [] };
let lines = 0;
let classes = 0;
for (let i = 0; i < runs + 1; i++) {
  const warmup = i === 0;
  const push = (k, ms) => warmup || times[k].push(ms);
  let t = performance.now();
  JSON.parse(text);
  push('jsonParse', performance.now() - t);
  t = performance.now();
  parseText(specFile, text);
  push('parse', performance.now() - t);

  // End to end, as `contract-lens generate` does it: read, parse, follow $refs, model, print.
  const t0 = performance.now();
  const engine = new ContractEngine(nodeHost());
  const project = loadForGeneration(engine, { kind: 'spec', specFile, root });
  const spec = project.specs[0];
  const t1 = performance.now();
  const model = new ModelBuilder(spec.graph, spec.index).build();
  const t2 = performance.now();
  const result = generateTarget(model, spec, { target: 'pydantic-v2', output: path.join(os.tmpdir(), 'bench-models'), options: {} }, root);
  const t3 = performance.now();
  push('model', t2 - t1);
  push('emit', t3 - t2);
  push('generate', t3 - t1);
  push('endToEnd', t3 - t0);
  // The stale check after an edit hashes documents it has not seen (the digest of the same parsed
  // documents is kept, so the spec is loaded afresh here, as an edit would have it parsed).
  const edited = loadForGeneration(new ContractEngine(nodeHost()), { kind: 'spec', specFile, root }).specs[0];
  t = performance.now();
  specDigest(edited, root);
  push('digest', performance.now() - t);
  lines = result.outputs[0].text.split('\n').length;
  classes = (result.outputs[0].text.match(/^class /gm) ?? []).length;
}

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const rows = [
  { workload: 'GitHub JSON (13 MB)', measure: 'floor: JSON.parse', ms: m.jsonParse },
  { workload: 'GitHub JSON (13 MB)', measure: 'floor: parse with positions (what generation reads)', ms: m.parse, floorMs: m.jsonParse },
  { workload: 'GitHub JSON (13 MB)', measure: 'generate pydantic-v2 from the parsed spec (model + print)', ms: m.generate, floorMs: m.parse, extra: `${classes} classes, ${lines} lines; model ${m.model.toFixed(0)} ms, print ${m.emit.toFixed(0)} ms` },
  { workload: 'GitHub JSON (13 MB)', measure: 'generate pydantic-v2 end to end (read, parse, $refs, model, print)', ms: m.endToEnd, floorMs: m.parse },
  { workload: 'GitHub JSON (13 MB)', measure: 'stale check: inputs hash of the spec (per edit)', ms: m.digest, floorMs: m.parse },
];
const budgets = [{ what: "GitHub's description → pydantic-v2 models (after parsing)", ms: m.generate, limit: budgetMs }];

if (flag('--json')) {
  console.log(JSON.stringify({ rows, budgets }));
} else {
  console.log(`GitHub's description (${path.basename(specFile)}), median of ${runs} runs after a warm-up, node ${process.version}, ${os.cpus().length} cores\n`);
  console.log('| measure | median | × floor | notes |\n| --- | ---: | ---: | --- |');
  for (const r of rows) console.log(`| ${r.measure} | ${r.ms.toFixed(0)} ms | ${r.floorMs ? `${(r.ms / r.floorMs).toFixed(1)}×` : ''} | ${r.extra ?? ''} |`);
  console.log(`\nbudget: ${budgets[0].what} ≤ ${budgetMs} ms: ${m.generate.toFixed(0)} ms, ${m.generate <= budgetMs ? 'met' : 'NOT met'}`);
}
