import * as path from 'node:path';
import picomatch from 'picomatch';
import type { FileSystem } from '../../server/src/engine/index';

/** An in-memory file tree (a fake of the environment, not of the engine). Paths are absolute. */
export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();
  constructor(files: Record<string, string> = {}, root = '/project') {
    for (const [p, text] of Object.entries(files)) this.files.set(path.resolve(root, p), text);
  }
  readFile(p: string) {
    return this.files.get(p);
  }
  stat(p: string): 'file' | 'dir' | undefined {
    if (this.files.has(p)) return 'file';
    const prefix = p.endsWith('/') ? p : p + '/';
    for (const f of this.files.keys()) if (f.startsWith(prefix)) return 'dir';
    return undefined;
  }
  size(p: string) {
    return this.files.get(p)?.length;
  }
  readPrefix(p: string, n: number) {
    return this.files.get(p)?.slice(0, n);
  }
  glob(patterns: readonly string[], cwd: string, ignore: readonly string[] = []) {
    const isMatch = picomatch([...patterns], { dot: true });
    const isIgnored = ignore.length ? picomatch([...ignore], { dot: true }) : () => false;
    return [...this.files.keys()]
      .filter((f) => {
        const rel = path.relative(cwd, f);
        return !rel.startsWith('..') && isMatch(rel) && !isIgnored(rel);
      })
      .sort();
  }
  realpath(p: string) {
    return p;
  }
}
