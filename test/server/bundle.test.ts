import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repo } from '../helpers/examples';

// V8 keeps a script's source for as long as the script lives, and one character above U+00FF
// makes the whole source a two-byte string: the quality worker's 9.4 MB bundle held 18.8 MB in
// every worker. The build escapes what esbuild leaves non-ASCII (regular expressions, comments).
test('every bundle the extension runs is ASCII (one byte a character in memory)', () => {
  for (const name of ['server.js', 'qualityWorker.js', 'cli.js', 'client.js']) {
    const text = fs.readFileSync(path.join(repo, 'dist', name), 'utf8');
    const at = text.search(/[^\x00-\x7f]/);
    assert.equal(at, -1, `${name}: non-ASCII at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`);
  }
});
