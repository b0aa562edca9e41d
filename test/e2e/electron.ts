// Desktop runner for the same e2e suite, with @vscode/test-electron: it downloads a desktop VS Code
// and loads Contract Lens from the repo (extensionDevelopmentPath), so `npm run build` must have
// produced dist/ first. It cannot run on machines without access to VS Code's download servers
// (use scripts/e2e/run.sh there). Usage, from the repo root:
//   npm run build && node scripts/e2e/build.mjs && node out/e2e/electron.js
// Environment: CONTRACT_LENS_E2E_VSCODE_VERSION ('stable', 'insiders' or e.g. '1.95.0': the
// minimum in package.json's engines), CONTRACT_LENS_E2E_EXAMPLE (default examples/sessions-api),
// CONTRACT_LENS_E2E_GREP.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

async function main(): Promise<number> {
  // Compiled to out/e2e/electron.js: the repo is two levels up.
  const repo = path.resolve(__dirname, '..', '..');
  const example = path.resolve(repo, process.env.CONTRACT_LENS_E2E_EXAMPLE ?? path.join('examples', 'sessions-api'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lens-e2e-'));
  // The same two runs as scripts/e2e/harness.mjs: trusted on the example (plus an unconfigured
  // copy for "Create Configuration"), then Restricted Mode on test/e2e/workspaces/restricted.
  const runs = [
    { name: 'trusted', source: example, trusted: true },
    { name: 'restricted', source: path.join(repo, 'test', 'e2e', 'workspaces', 'restricted'), trusted: false },
  ];
  try {
    for (const run of runs) {
      const dir = path.join(tmp, run.name);
      // Tests run on copies, so they never modify the repo.
      const workspace = path.join(dir, 'workspace', path.basename(run.source));
      fs.cpSync(run.source, workspace, { recursive: true });
      const unconfigured = path.join(dir, 'unconfigured', path.basename(run.source));
      if (run.trusted) {
        fs.cpSync(run.source, unconfigured, { recursive: true });
        fs.rmSync(path.join(unconfigured, 'contract-lens.yaml'), { force: true });
      }
      const userData = path.join(dir, 'user-data');
      fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
      // Restricted: trust on, and the untrusted folder opens without the trust dialog.
      const settings = run.trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
      fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings));
      await runTests({
        version: process.env.CONTRACT_LENS_E2E_VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: repo,
        extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
        extensionTestsEnv: {
          CONTRACT_LENS_E2E_GREP: process.env.CONTRACT_LENS_E2E_GREP,
          CONTRACT_LENS_E2E_RESTRICTED: run.trusted ? '' : '1',
          CONTRACT_LENS_E2E_UNCONFIGURED: run.trusted ? unconfigured : '',
          CONTRACT_LENS_E2E_MARKER: run.trusted ? '' : path.join(workspace, 'spectral-ran.marker'),
        },
        launchArgs: [
          workspace,
          '--disable-extensions', // other installed extensions; the one under development still loads
          ...(run.trusted ? ['--disable-workspace-trust'] : []),
          '--skip-welcome',
          '--skip-release-notes',
          '--user-data-dir',
          userData,
          '--extensions-dir',
          path.join(dir, 'extensions'),
        ],
      });
    }
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
