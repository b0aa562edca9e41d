import * as path from 'node:path';
import type { FileSystem } from './host';
import { configFileName } from './config/config';

/** Cheap detection of an OpenAPI (or Swagger) document from its first characters. */
export function looksLikeOpenApi(head: string): boolean {
  return /(^|\n)(openapi|swagger)\s*:|(^|\n)["']?(openapi|swagger)["']?\s*:|"(openapi|swagger)"\s*:/.test(head.slice(0, 4096));
}

const specGlobs = ['**/*.yaml', '**/*.yml', '**/*.json'];
const notSpecs = ['**/package.json', '**/package-lock.json', '**/tsconfig*.json', '**/.vscode/**', '**/' + configFileName];

/** The OpenAPI documents under `dir` (by content, not by name). */
export function discoverSpecs(dir: string, fs: FileSystem): string[] {
  return fs.glob(specGlobs, dir, notSpecs).filter((f) => {
    const head = fs.readPrefix(f, 4096);
    return head !== undefined && looksLikeOpenApi(head);
  });
}

/** Every contract-lens.yaml under `dir`. */
export function discoverConfigs(dir: string, fs: FileSystem): string[] {
  return fs.glob(['**/' + configFileName], dir);
}

/** The nearest contract-lens.yaml at or above the folder of `file`, not above `stop`. */
export function nearestConfig(file: string, stop: string, fs: FileSystem): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    const candidate = path.join(dir, configFileName);
    if (fs.stat(candidate) === 'file') return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || !path.relative(stop, dir) || path.relative(stop, dir).startsWith('..')) return undefined;
    dir = parent;
  }
}
