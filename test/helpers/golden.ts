import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

/** Compares a text with its golden file; `UPDATE_GOLDEN=1` writes the file instead (review the diff). */
export function expectGolden(goldenFile: string, text: string): void {
  const name = path.relative(repo, goldenFile);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(goldenFile), { recursive: true });
    fs.writeFileSync(goldenFile, text);
    return;
  }
  assert.ok(fs.existsSync(goldenFile), `missing golden ${name} (run with UPDATE_GOLDEN=1)`);
  assert.equal(text, fs.readFileSync(goldenFile, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it after review)`);
}
