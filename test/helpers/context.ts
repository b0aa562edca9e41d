import { ContractEngine, silentLogger } from '../../server/src/engine/index';
import { defaultConfig, type ProjectConfig } from '../../server/src/engine/config/config';
import type { ProjectContext } from '../../server/src/engine/context';
import { MemoryFileSystem } from './memoryFs';

let shared: ContractEngine | undefined;

/**
 * A ProjectContext over an in-memory tree, for testing feature modules directly. The engine and
 * its tree-sitter grammars are real; only the disk is in memory.
 */
export async function makeContext(files: Record<string, string>, configure: (c: ProjectConfig) => void = () => {}): Promise<{ ctx: ProjectContext; fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem(files);
  if (!shared) {
    shared = new ContractEngine({ fs, logger: silentLogger });
    await shared.init();
  }
  const engine = new ContractEngine({ fs, logger: silentLogger });
  const config = defaultConfig('/project');
  configure(config);
  const dependencies = new Set<string>();
  const ctx: ProjectContext = {
    config,
    specs: [],
    host: engine.host,
    sources: shared.sources,
    dependencies,
    glob: (patterns, exclude = []) => fs.glob(patterns, '/project', exclude),
    readText: (f) => {
      dependencies.add(f);
      return fs.readFile(f);
    },
    source: (f) => {
      dependencies.add(f);
      const text = fs.readFile(f);
      return text === undefined ? undefined : shared!.sources.parse(f, text);
    },
    document: (f) => {
      dependencies.add(f);
      const d = engine.readDocument(f);
      return 'error' in d ? undefined : d;
    },
  };
  return { ctx, fs };
}
