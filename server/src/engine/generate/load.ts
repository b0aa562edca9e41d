import * as path from 'node:path';
import type { ContractEngine, ProjectRef } from '../engine';
import type { SpecResult } from '../context';
import type { ProjectConfig } from '../config/config';
import type { Finding } from '../findings';
import { SpecGraph } from '../spec/graph';
import { indexOperations } from '../spec/operations';
import type { ProjectContext } from '../context';
import { projectFacadeDeclarations, type FacadeDeclarations } from './facade';

/**
 * Loads what generation needs and nothing more: the project's config and its specs (graph and
 * operation index), through the engine's parse cache. Used by the CLI and by the server's
 * "Regenerate Models", which must not wait for the feature checks.
 */
export function loadForGeneration(engine: ContractEngine, ref: ProjectRef): { config: ProjectConfig; specs: SpecResult[]; findings: Finding[]; declarations?: FacadeDeclarations } {
  const { config, findings } = engine.loadProject(ref);
  const specs: SpecResult[] = [];
  for (const specFile of config.specs) {
    const graph = new SpecGraph(
      specFile,
      { read: (file) => engine.readDocument(file, config.maxFileSize) },
      config.root,
      (p) => engine.host.fs.realpath(p),
      (dir) => engine.host.fs.glob(['*'], dir).map((f) => path.basename(f)),
    );
    if (!graph.load()) continue;
    specs.push({ root: specFile, graph, index: indexOperations(graph) });
  }
  if (!config.generate.some((g) => g.target === 'python-facade')) return { config, specs, findings };
  // The facade derives from the typed-coverage declarations: read them as the coverage check does.
  const ctx: ProjectContext = {
    config,
    specs,
    host: engine.host,
    sources: engine.sources,
    dependencies: new Set(),
    glob: (patterns, exclude = []) => engine.host.fs.glob(patterns, config.root, exclude),
    readText: (file) => engine.host.fs.readFile(file),
    source: (file) => {
      const text = engine.host.fs.readFile(file);
      return text === undefined || text.length > config.maxFileSize || !engine.sources.ready ? undefined : engine.sources.parse(file, text);
    },
    document: (file) => {
      const d = engine.readDocument(file, config.maxFileSize);
      return 'error' in d ? undefined : d;
    },
  };
  return { config, specs, findings, declarations: projectFacadeDeclarations(ctx) };
}
