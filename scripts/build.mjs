// Bundles the three doors (client, server, CLI) with esbuild. Everything the extension needs at
// run time ends up in dist/, so the .vsix ships no node_modules.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');

/**
 * Escapes what esbuild leaves non-ASCII (regular expression literals and comments of some
 * dependencies, a few of our own comments). V8 holds a script's source for as long as the script
 * lives, and one character above U+00FF makes the whole source a two-byte string: the quality
 * worker's 9.4 MB bundle then held 18.8 MB in every worker, the server's 2 MB held 4 MB.
 * A \uXXXX escape means the same character in a string, a template, a regular expression (with or
 * without the u flag) and an identifier, and nothing in a comment.
 */
const asciiOnly = {
  name: 'ascii-only',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const file = build.initialOptions.outfile;
      const text = readFileSync(file, 'utf8');
      if (!/[^\x00-\x7f]/.test(text)) return;
      writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    });
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD entry uses dynamic requires esbuild cannot follow; its ESM entry bundles cleanly.
  mainFields: ['module', 'main'],
  // ESM dependencies (fdir) read import.meta.url, which a CommonJS bundle must supply.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  plugins: [asciiOnly],
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', external: ['fsevents'], banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('url').pathToFileURL(__filename).href;" } },
  // Spectral runs here, in a worker thread of the server (the CLI runs it in-process). Rollup,
  // which Spectral's ruleset bundler uses, only asks for fsevents on macOS watch mode.
  { entryPoints: ['server/src/qualityWorker.ts'], outfile: 'dist/qualityWorker.js', external: ['fsevents'] },
];

for (const b of builds) {
  const options = { ...common, ...b };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
}
if (!watch) chmodSync('dist/cli.js', 0o755);

// tree-sitter's runtime and the grammars the engine parses server and SDK sources with.
const require = createRequire(import.meta.url);
const wasmDir = path.dirname(require.resolve('@vscode/tree-sitter-wasm'));
mkdirSync('dist/wasm', { recursive: true });
for (const f of ['tree-sitter.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm']) {
  copyFileSync(path.join(wasmDir, f), path.join('dist/wasm', f));
}
