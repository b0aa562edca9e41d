import * as path from 'node:path';
import type { ProjectConfig } from '../config/config';
import type { FileSystem } from '../host';
import { isInside } from '../paths';
import type { RulesetRef } from './model';

/** The file names Spectral itself looks for, in its order of preference. */
export const rulesetFileNames = ['.spectral.yaml', '.spectral.yml', '.spectral.json', '.spectral.js', '.spectral.mjs', '.spectral.cjs'];

/**
 * The ruleset of each spec: `quality.ruleset` when the config names one, otherwise the first
 * `.spectral.*` file in the spec's folder or a folder above it, up to the project root.
 */
export function findRulesets(config: ProjectConfig, specs: readonly string[], fs: FileSystem): RulesetRef[] {
  const q = config.quality;
  if (!q.enabled || q.ruleset === false) return [];
  const out: RulesetRef[] = [];
  for (const spec of specs) {
    if (typeof q.ruleset === 'string') {
      out.push({ spec, file: q.ruleset });
      continue;
    }
    for (let dir = path.dirname(spec); isInside(config.root, dir); dir = path.dirname(dir)) {
      const file = rulesetFileNames.map((n) => path.join(dir, n)).find((f) => fs.stat(f) === 'file');
      if (file) {
        out.push({ spec, file });
        break;
      }
      if (dir === config.root || path.dirname(dir) === dir) break;
    }
  }
  return out;
}
