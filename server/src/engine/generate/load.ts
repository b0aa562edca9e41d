import * as path from 'node:path';
import type { ContractEngine, ProjectRef } from '../engine';
import type { SpecResult } from '../context';
import type { ProjectConfig } from '../config/config';
import type { Finding } from '../findings';
import { SpecGraph } from '../spec/graph';
import { indexOperations } from '../spec/operations';

/**
 * Loads what generation needs and nothing more: the project's config and its specs (graph and
 * operation index), through the engine's parse cache. Used by the CLI and by the server's
 * "Regenerate Models", which must not wait for the feature checks.
 */
export function loadForGeneration(engine: ContractEngine, ref: ProjectRef): { config: ProjectConfig; specs: SpecResult[]; findings: Finding[] } {
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
  return { config, specs, findings };
}
