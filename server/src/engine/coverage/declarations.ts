import * as path from 'node:path';
import type { ProjectContext } from '../context';
import type { Declarations } from './model';
import { readPythonDeclarations } from './python';
import { declarationsFileName, readYamlDeclarations } from './yaml';
import { pythonModuleResolver, relativeModelsModule } from './models';

/**
 * The project's typed-coverage declarations, read the way the coverage check reads them (YAML
 * file, or the Python contracts module), for the generators that derive code from them. Undefined
 * when coverage is not configured, the file is missing or unreadable, or the Python parser is not
 * ready yet; the coverage check reports why.
 */
export function readDeclarations(ctx: ProjectContext): Declarations | undefined {
  const cfg = ctx.config.coverage;
  if (!cfg) return undefined;
  let file = cfg.file;
  if (!file && cfg.source === 'yaml') {
    const candidate = path.join(ctx.config.root, declarationsFileName);
    if (ctx.host.fs.stat(candidate) === 'file') file = candidate;
  }
  if (!file) return undefined;
  if (cfg.source === 'python') {
    if (!ctx.sources.ready) return undefined;
    const src = ctx.source(file);
    return src ? readPythonDeclarations(src, cfg.python, pythonModuleResolver(ctx, file), relativeModelsModule(ctx, file)) : undefined;
  }
  const doc = ctx.document(file);
  return doc ? readYamlDeclarations(doc) : undefined;
}
