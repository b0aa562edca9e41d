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
  // Tests run on a copy, so they never modify the repo.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lens-e2e-'));
  const workspace = path.join(tmp, path.basename(example));
  fs.cpSync(example, workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.CONTRACT_LENS_E2E_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { CONTRACT_LENS_E2E_GREP: process.env.CONTRACT_LENS_E2E_GREP },
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        path.join(tmp, 'user-data'),
        '--extensions-dir',
        path.join(tmp, 'extensions'),
      ],
    });
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
