import * as path from 'node:path';
import { ContractEngine } from '../engine';
import { nodeHost } from '../nodeHost';
import type { Host } from '../host';
import { loadForGeneration } from './load';
import { ModelBuilder } from './model';
import { generateTarget, type GeneratedFile } from './index';

type Target = GeneratedFile['target'];

export interface StandaloneResult {
  files: GeneratedFile[];
  lossy: number;
  /** Milliseconds: reading and parsing the spec, building the model, printing each target. */
  timings: { parse: number; model: number; targets: Partial<Record<Target, number>> };
}

/**
 * Generates the given targets from one spec file, without a project config (the corpus sweep and
 * the benchmark use this). Outputs go under `outDir/<target>/`; nothing is written here.
 */
export function generateFromFile(specFile: string, outDir: string, targetList: readonly Target[], host: Host = nodeHost()): StandaloneResult {
  const engine = new ContractEngine(host);
  const file = path.resolve(specFile);
  const t0 = performance.now();
  const project = loadForGeneration(engine, { kind: 'spec', specFile: file, root: path.dirname(file) });
  project.config.maxFileSize = 256 * 1024 * 1024;
  const t1 = performance.now();
  const spec = project.specs[0];
  if (!spec) throw new Error(`${specFile} could not be read`);
  const model = new ModelBuilder(spec.graph, spec.index).build();
  const t2 = performance.now();
  const files: GeneratedFile[] = [];
  const targets: Partial<Record<Target, number>> = {};
  let lossy = 0;
  for (const target of targetList) {
    const s = performance.now();
    const r = generateTarget(model, spec, { target, output: path.join(outDir, target), options: {} }, path.dirname(file));
    targets[target] = performance.now() - s;
    files.push(...r.outputs);
    lossy += r.findings.length;
  }
  return { files, lossy, timings: { parse: t1 - t0, model: t2 - t1, targets } };
}
