import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Every module specifier a TypeScript file imports or requires. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

const forbidden = /^(vscode|vscode-languageserver|vscode-languageserver-protocol|vscode-languageclient|vscode-jsonrpc)(\/|$)/;

test('the engine imports neither VS Code nor LSP modules, nor anything outside the engine but schemas', () => {
  const engineDir = path.join(repo, 'server/src/engine');
  const files = tsFiles(engineDir);
  assert.ok(files.length > 10, 'engine sources found');
  const offenders: string[] = [];
  for (const file of files) {
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (forbidden.test(spec)) offenders.push(`${path.relative(repo, file)} imports ${spec}`);
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!target.startsWith(engineDir) && !target.startsWith(path.join(repo, 'schemas')) && !target.endsWith('package.json')) offenders.push(`${path.relative(repo, file)} reaches outside the engine: ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the import scanner catches every import form (so the boundary test can fail)', () => {
  const sample = `import * as v from 'vscode';\nimport { x } from "vscode-languageserver/node";\nconst y = require('vscode-languageclient');\nexport { z } from 'vscode-jsonrpc';\nimport 'vscode';\nconst w = await import('vscode-languageserver');`;
  assert.deepEqual(importsOf(sample).filter((s) => forbidden.test(s)).length, 6);
});
