import * as path from 'node:path';

/** True when `child` is `parent` or lies below it (no `..` escape). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A path relative to `base`, with forward slashes (what users and SARIF expect). */
export function relativePath(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join('/');
}
