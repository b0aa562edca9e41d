import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serverEnvironment } from '../../server/src/launch';

// The server's launch environment: a fixed malloc mmap threshold, unless the user set one. The
// second test shows what it is for, with glibc's real allocator: after one large buffer is
// freed, later large buffers freed below one still alive stay resident without it.

test('launch environment: sets the mmap threshold, keeps a user value, leaves the base alone', () => {
  const base = { PATH: '/bin', HOME: '/home/x' };
  const env = serverEnvironment(base);
  assert.equal(env.MALLOC_MMAP_THRESHOLD_, '131072');
  assert.equal(env.PATH, '/bin');
  assert.equal((base as NodeJS.ProcessEnv).MALLOC_MMAP_THRESHOLD_, undefined);
  assert.equal(serverEnvironment({ ...base, MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_, '65536');
});

const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;

test('launch environment: freed large buffers go back to the system (glibc)', { skip: glibc ? false : 'not glibc' }, () => {
  // A 13 MB buffer freed (a large LSP message), then six of 10 MB of which the last stays alive.
  const script = `
    const fs = require('fs');
    let a = Buffer.alloc(13 << 20, 1); a = null; gc();
    let bs = []; for (let i = 0; i < 6; i++) bs.push(Buffer.alloc(10 << 20, 2));
    const keep = bs.pop(); bs = null; gc(); gc();
    process.stdout.write(String(Number(fs.readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\\s+(\\d+)/)[1]) >> 10) + ' ' + keep.length);`;
  // (Run from a file: under -e the allocations come out differently.)
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-launch-')), 'buffers.js');
  fs.writeFileSync(file, script);
  const { MALLOC_MMAP_THRESHOLD_: _, ...plain } = process.env;
  const rss = (env: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, ['--expose-gc', file], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return Number(r.stdout.split(' ')[0]);
  };
  const without = rss(plain);
  const withIt = rss(serverEnvironment(plain));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  assert.ok(without - withIt >= 30, `resident: ${without} MB without the setting, ${withIt} MB with it`);
});
