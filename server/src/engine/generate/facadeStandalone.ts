import * as path from 'node:path';
import { ContractEngine } from '../engine';
import { nodeHost } from '../nodeHost';
import type { Host } from '../host';
import { loadForGeneration } from './load';
import { ModelBuilder, type TypeRef } from './model';
import { generateFacade, type FacadeDeclarations, type FacadeTyped } from './facade';
import type { GeneratedFile } from './index';

export interface FacadeStandaloneResult {
  files: GeneratedFile[];
  /** Typed operations in the synthesized declarations. */
  typed: number;
  /** True when generating again from the same declarations in reverse order gave the same bytes. */
  deterministic: boolean;
  ms: number;
}

/**
 * The python-facade target for a spec without declarations (the corpus sweep): every operation
 * with an operationId is typed, under the key `<first tag or "default">.<operationId>`, with the
 * generated models of its `$ref`'d request body and responses. Outputs go to `outDir/python-facade/`
 * and import the models from `modelsModule`. Generates twice (declarations in reverse order the
 * second time) to check that the output does not depend on declaration order.
 */
export function generateFacadeFromFile(specFile: string, outDir: string, modelsModule = '..models', host: Host = nodeHost()): FacadeStandaloneResult {
  const started = performance.now();
  const engine = new ContractEngine(host);
  const file = path.resolve(specFile);
  const project = loadForGeneration(engine, { kind: 'spec', specFile: file, root: path.dirname(file) });
  project.config.maxFileSize = 256 * 1024 * 1024;
  const spec = project.specs[0];
  if (!spec) throw new Error(`${specFile} could not be read`);
  const model = new ModelBuilder(spec.graph, spec.index).build();
  const tagOf = new Map(spec.index.operations.filter((o) => o.operationId !== undefined).map((o) => [o.operationId!, o.tags[0] ?? 'default']));
  const name = (t: TypeRef | undefined) => (t?.k === 'ref' ? t.decl.name : undefined);
  const typed: FacadeTyped[] = [];
  const keys = new Set<string>();
  for (const op of model.operations) {
    const key = `${tagOf.get(op.operationId) ?? 'default'}.${op.operationId}`;
    if (keys.has(key)) continue;
    keys.add(key);
    const responses = op.responses.flatMap((r) => {
      const m = name(r.type);
      return m ? [{ status: r.status, model: m }] : [];
    });
    typed.push({ key, operationId: op.operationId, request: name(op.request), responses, strict: false });
  }
  const gen = { target: 'python-facade' as const, output: path.join(outDir, 'python-facade'), options: { modelsModule } };
  const decls: FacadeDeclarations = { mode: 'typed-only', typed };
  const files = generateFacade(spec, gen, project.config, decls).outputs;
  const again = generateFacade(spec, gen, project.config, { ...decls, typed: [...typed].reverse() }).outputs;
  const deterministic = again.length === files.length && again.every((f, i) => f.text === files[i].text && f.file === files[i].file);
  return { files, typed: typed.length, deterministic, ms: performance.now() - started };
}
