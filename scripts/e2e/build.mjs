// Builds what the e2e harness installs and loads, into out/e2e/:
//  - the suite (test/e2e/suite/*.ts -> out/e2e/suite/*.js) and the desktop runner
//    (test/e2e/electron.ts -> out/e2e/electron.js), compiled file by file with esbuild: not bundled,
//    so `vscode` and `mocha` are resolved at run time (from the extension host and node_modules);
//    the suite is type-checked first (test/e2e/tsconfig.json);
//  - the test runner extension (test/e2e/runner) as out/e2e/contract-lens-e2e-runner.vsix;
//  - test/unit/grammar.test.ts bundled as out/e2e/grammar.test.js (run.sh runs it with VS Code's grammars).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(repo, 'test', 'e2e');
const out = join(repo, 'out', 'e2e');

// Stale outputs of deleted tests would otherwise still run.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const suiteDir = join(src, 'suite');
const entryPoints = [
  ...readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => join(suiteDir, f)),
  join(src, 'electron.ts'),
];
await esbuild.build({
  entryPoints,
  outbase: src,
  outdir: out,
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});

// The grammar unit test, bundled with the engine it uses, so that run.sh can run it against VS Code's
// own grammars (once setup.sh installed them) without depending on a compiled out/test.
await esbuild.build({
  entryPoints: [join(repo, 'test', 'unit', 'grammar.test.ts')],
  outfile: join(out, 'grammar.test.js'),
  bundle: true,
  // Loaded at run time from node_modules (their data files are found with require.resolve).
  external: ['vscode-textmate', 'vscode-oniguruma', 'tm-grammars', 'tm-grammars/*', 'vscode-oniguruma/*', '@vscode/tree-sitter-wasm'],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  mainFields: ['module', 'main'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});

// esbuild only strips types: check them, so a wrong use of the vscode API fails here, not in VS Code.
execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(src, 'tsconfig.json')], {
  stdio: 'inherit',
});

const vsix = join(out, 'contract-lens-e2e-runner.vsix');
execFileSync(
  process.execPath,
  [
    join(repo, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
    '-o',
    vsix,
  ],
  { cwd: join(src, 'runner'), stdio: ['ignore', 'ignore', 'inherit'] },
);
console.log(`[e2e build] suite -> ${join('out', 'e2e')}, runner -> ${join('out', 'e2e', 'contract-lens-e2e-runner.vsix')}`);
