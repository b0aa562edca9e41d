import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalog } from '../../server/src/engine/index';

const repo = path.resolve(__dirname, '../../..');
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

test('the README documents every finding code under its own heading, and no code that does not exist', () => {
  const headings = [...readme.matchAll(/^### `([a-z-]+\.[a-z-]+)`$/gm)].map((m) => m[1]);
  assert.deepEqual([...headings].sort(), Object.keys(catalog).sort());
});

test('every code in the catalog has a summary and a default severity', () => {
  for (const [code, info] of Object.entries(catalog)) {
    assert.match(code, /^[a-z]+\.[a-z-]+$/);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(info.severity), code);
    assert.ok(info.summary.length > 10, code);
  }
});
