import type { CheckResult } from '../engine';
import type { FileSystem } from '../host';
import type { QualityJob, TypedTarget } from './model';

/** The typed operations of a result's coverage, as the quality rules need them. */
export function typedTargets(result: CheckResult): TypedTarget[] {
  return (result.coverage?.operations ?? [])
    .filter((o) => o.state === 'typed')
    .map((o) => ({ spec: o.spec, method: o.method, path: o.path, operationId: o.operationId, request: o.request, responses: o.responses }));
}

/**
 * A quality pass as plain data, for a worker thread: the texts the fast check read (the editor's
 * unsaved buffers included), the typed targets and the rulesets (with the text of each ruleset
 * file as the editor has it). Cheap: strings are handed over, nothing is converted.
 */
export function qualityJob(result: CheckResult, options: { trusted: boolean; readFile: (file: string) => string | undefined }): QualityJob {
  return {
    project: result.project,
    specs: result.specs.map((s) => ({ root: s.root, files: [...s.graph.documents.values()].map((d) => ({ path: d.path, text: d.text })) })),
    targets: typedTargets(result),
    rulesets: (result.quality?.rulesets ?? []).map((r) => ({ ...r, text: options.readFile(r.file) })),
    trusted: options.trusted,
  };
}
