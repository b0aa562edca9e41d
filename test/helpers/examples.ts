import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repo = path.resolve(__dirname, '../../..');
export const cli = path.join(repo, 'dist/cli.js');
export const serverBundle = path.join(repo, 'dist/server.js');

/** A fresh copy of an example in a temp folder, so tests never touch the repository. */
export function copyExample(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cl-${name}-`));
  fs.cpSync(path.join(repo, 'examples', name), dir, { recursive: true });
  return dir;
}

/** A fresh copy of a test fixture folder (`test/fixtures/<name>`) in a temp folder. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cl-${path.basename(name)}-`));
  fs.cpSync(path.join(repo, 'test/fixtures', name), dir, { recursive: true });
  return dir;
}

interface Repair {
  break: number;
  code: string;
  file: string;
  find?: string;
  replace?: string;
  create?: string;
}

export function repairsOf(name: string): Repair[] {
  return JSON.parse(fs.readFileSync(path.join(repo, 'test/fixtures/repairs', `${name}.json`), 'utf8')).repairs;
}

/** Applies the example's documented repairs whose code matches `which` (each find must be unique). */
export function applyRepairs(dir: string, name: string, which: (code: string) => boolean): Repair[] {
  const applied = repairsOf(name).filter((r) => which(r.code));
  for (const r of applied) {
    const file = path.join(dir, r.file);
    if (r.create !== undefined) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, r.create);
      continue;
    }
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf(r.find!);
    if (at < 0 || text.indexOf(r.find!, at + 1) >= 0) throw new Error(`repair ${name}#${r.break}: find string must occur exactly once in ${r.file}`);
    fs.writeFileSync(file, text.slice(0, at) + r.replace! + text.slice(at + r.find!.length));
  }
  return applied;
}
