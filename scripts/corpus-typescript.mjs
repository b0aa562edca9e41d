// The typescript-client part of the corpus sweep (scripts/corpus.mjs): compiles the generated
// clients with the repository's tsc under --strict (plus the stricter flags projects commonly turn
// on), many descriptions per tsc run, and maps every error back to the description's folder.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tscBin = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/** What every generated client must compile under (the README promises these). */
export const typescriptOptions = {
  strict: true,
  target: 'es2022',
  lib: ['es2022', 'dom'],
  module: 'nodenext',
  types: [],
  skipLibCheck: true,
  noEmit: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  erasableSyntaxOnly: true,
};

const files = ['models.ts', 'client.ts', 'index.ts'];

function size(dir) {
  let n = 0;
  for (const f of files) {
    try {
      n += fs.statSync(path.join(dir, f)).size;
    } catch {
      /* missing: tsc reports it through index.ts */
    }
  }
  return n;
}

/**
 * Packs folders into tsc runs of at most `batchBytes` of TypeScript (a description bigger than
 * that gets a run of its own), runs `jobs` of them at a time, and returns the folders that failed
 * with their first errors. One tsc start per batch instead of per description: thousands of
 * descriptions compile in minutes.
 */
export async function compileTypeScript(dirs, { jobs = 2, batchBytes = 6_000_000, maxDirs = 400 } = {}) {
  const sized = dirs.map((d) => ({ dir: d, bytes: size(d) })).sort((a, b) => a.bytes - b.bytes || (a.dir < b.dir ? -1 : 1));
  const batches = [];
  let current = { dirs: [], bytes: 0 };
  for (const s of sized) {
    if (current.dirs.length && (current.bytes + s.bytes > batchBytes || current.dirs.length >= maxDirs)) {
      batches.push(current);
      current = { dirs: [], bytes: 0 };
    }
    current.dirs.push(s.dir);
    current.bytes += s.bytes;
  }
  if (current.dirs.length) batches.push(current);
  const failures = new Map();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lens-corpus-tsc-'));
  let next = 0;
  let done = 0;
  const run = async () => {
    while (next < batches.length) {
      const i = next++;
      const batch = batches[i];
      const project = path.join(work, `tsconfig.${i}.json`);
      fs.writeFileSync(project, JSON.stringify({ compilerOptions: typescriptOptions, files: batch.dirs.flatMap((d) => files.map((f) => path.join(d, f))) }));
      const { code, output } = await new Promise((resolve) => {
        const child = spawn(process.execPath, ['--max-old-space-size=8192', tscBin, '-p', project, '--pretty', 'false'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (c) => resolve({ code: c, output: out }));
      });
      const attributed = new Set();
      for (const line of output.split('\n')) {
        const m = /^(.+?)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line);
        if (!m) continue;
        const dir = path.dirname(path.resolve(work, m[1]));
        const list = failures.get(dir) ?? [];
        if (list.length < 3) list.push(`${path.basename(m[1])}: ${m[2].slice(0, 200)}`);
        failures.set(dir, list);
        attributed.add(dir);
      }
      // A crash or an error tsc could not place (out of memory...) fails the whole batch.
      if (code !== 0 && attributed.size === 0) for (const d of batch.dirs) failures.set(d, [`tsc exited ${code}: ${output.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`]);
      done += batch.dirs.length;
      console.error(`  tsc: ${done}/${dirs.length} descriptions`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, run));
  fs.rmSync(work, { recursive: true, force: true });
  return failures;
}
