import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OverlayFileSystem } from '../../server/src/session';
import { nodeFileSystem, readRegularFileAsync, type FileSystem } from '../../server/src/engine/index';

// A large spec is read off the thread before its check; the check then finds it cached and never
// reads it synchronously. A change reported while the read is under way wins over the read.

function counting(): { fs: FileSystem; reads: string[] } {
  const base = nodeFileSystem();
  const reads: string[] = [];
  return { reads, fs: { ...base, readFile: (p) => (reads.push(p), base.readFile(p)) } };
}

test('overlay: a large file is preloaded off the thread, a small one is left to the check', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-preload-'));
  const large = path.join(dir, 'large.json');
  const small = path.join(dir, 'small.json');
  fs.writeFileSync(large, JSON.stringify({ openapi: '3.1.0', pad: 'é'.repeat(3 << 20) }));
  fs.writeFileSync(small, '{"openapi": "3.1.0"}');
  const { fs: base, reads } = counting();
  const overlay = new OverlayFileSystem(base, readRegularFileAsync);
  await overlay.preload([large, small, path.join(dir, 'missing.json')], 4 << 20);
  assert.equal(overlay.readFile(large), fs.readFileSync(large, 'utf8'));
  assert.deepEqual(reads, [], 'the large file was read synchronously');
  assert.equal(overlay.readFile(small), '{"openapi": "3.1.0"}');
  assert.deepEqual(reads, [small]);
  assert.equal(overlay.readFile(path.join(dir, 'missing.json')), undefined);
});

test('overlay: a change reported during a preload wins over the text the preload read', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-preload-'));
  const file = path.join(dir, 'spec.json');
  fs.writeFileSync(file, 'old'.repeat(2 << 20));
  const overlay = new OverlayFileSystem(nodeFileSystem(), async (p) => {
    const text = await readRegularFileAsync(p);
    // The file changes on disk, and the watcher says so, before the read is stored.
    fs.writeFileSync(file, 'new');
    overlay.invalidate(file);
    return text;
  });
  await overlay.preload([file], 1 << 20);
  assert.equal(overlay.readFile(file), 'new');
});
