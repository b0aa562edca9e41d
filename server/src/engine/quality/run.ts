import { performance } from 'node:perf_hooks';
import type { ISpectralDiagnostic } from '@stoplight/spectral-core';
import type { CheckResult } from '../engine';
import { applyRules } from '../engine';
import { compareFindings, finding, type Finding, type Severity } from '../findings';
import type { FileSystem } from '../host';
import type { SpecResult } from '../context';
import { Locator } from './locate';
import type { ParsedDocument } from '../parse/document';
import { parseText } from '../parse/document';
import { SpecGraph } from '../spec/graph';
import { indexOperations } from '../spec/operations';
import type { QualityInput, QualityJob, QualityOutcome } from './model';
import { typedTargets } from './job';
import { builtinRuleset, planTargets } from './builtin';
import { loadRuleset } from './rulesets';
import { runSpectral, spectralCore, spectralInput, spectralRulesets, type SpectralRuleset } from './spectral';

/**
 * spectral:oas rules that the engine's own checks already report (with exact ranges and quick
 * fixes): their Spectral results are dropped so nothing is reported twice.
 */
export const supersededRules: Record<string, string> = {
  'operation-operationId': 'spec.missing-operation-id',
  'operation-operationId-unique': 'spec.duplicate-operation-id',
  'operation-operationId-valid-in-url': 'quality.operation-id-not-identifier',
  'path-params': 'spec.undeclared-path-parameter',
  'oas3-unused-component': 'spec.unused-component',
};

/**
 * spectral:oas rules that overlap a built-in rule on the schemas of typed operations: where both
 * report the same line, the built-in finding (with its quick fix and related operation) stays.
 */
const overlapping: Record<string, { code: string; lastSegment?: string }> = {
  'no-$ref-siblings': { code: 'quality.ref-siblings' },
  'oas3-schema': { code: 'quality.empty-enum', lastSegment: 'enum' },
};

const severities: Severity[] = ['error', 'warning', 'info', 'hint'];

/** The quality pass's input from a fast check's result (in-process: the CLI, tests, the bench). */
export function qualityInput(result: CheckResult, options: { trusted: boolean; fs: FileSystem }): QualityInput {
  return { project: result.project, specs: result.specs, targets: typedTargets(result), rulesets: result.quality?.rulesets ?? [], trusted: options.trusted, fs: options.fs };
}

/**
 * The schema-quality pass of one project: the built-in ruleset on every spec (operationIds for
 * all operations; bodies, looseness and the reachable schemas of typed operations), then
 * spectral:oas when the config asks for it, then the project's own ruleset. Every rule runs in
 * Spectral, on values built from the engine's trees; every result is mapped back to the engine's
 * nodes for exact ranges, also inside `$ref`'d files. Slow on large specs (Spectral's traversal),
 * so the server runs it in a worker and never waits for it.
 */
export async function runQuality(input: QualityInput): Promise<QualityOutcome> {
  const cfg = input.project.quality;
  const findings: Finding[] = [];
  let prepareMs = 0;
  let spectralMs = 0;
  const runs: QualityOutcome['timings']['runs'] = [];
  if (!cfg.enabled) return { findings, timings: { prepareMs, spectralMs, runs } };
  const { Ruleset } = spectralCore();
  for (const spec of input.specs) {
    if (!/^3\./.test(spec.index.version ?? '')) continue;
    let t = performance.now();
    const data = spectralInput(spec.graph);
    if (!data) continue;
    const locator = new Locator(spec.graph);
    const plans = planTargets(spec, input.targets, cfg);
    const builtin = builtinRuleset(spec, plans, locator);
    prepareMs += performance.now() - t;

    t = performance.now();
    let r = performance.now();
    const own = builtin.decode(await runSpectral(data, new Ruleset(builtin.definition, { severity: 'recommended' })));
    runs.push({ spec: spec.root, ruleset: 'built-in', ms: performance.now() - r, results: own.length });
    findings.push(...own);
    const lineOf = (file: string, offset: number) => spec.graph.documents.get(file)?.lines.positionAt(offset).line ?? -1;
    const ownLines = new Set(own.map((f) => `${f.code}|${f.span.file}|${lineOf(f.span.file, f.span.start)}`));
    const extra: { ruleset: SpectralRuleset; name: string }[] = [];
    if (cfg.spectralOas) extra.push({ ruleset: new Ruleset(spectralRulesets().oas, { severity: 'recommended' }), name: 'spectral:oas' });
    for (const ref of input.rulesets.filter((r) => r.spec === spec.root)) {
      const loaded = await loadRuleset(ref, { trusted: input.trusted, fs: input.fs, root: input.project.root });
      if ('finding' in loaded) findings.push(loaded.finding);
      else extra.push({ ruleset: loaded.ruleset, name: loaded.file });
    }
    for (const { ruleset, name } of extra) {
      let results: ISpectralDiagnostic[];
      r = performance.now();
      try {
        results = await runSpectral(data, ruleset);
        runs.push({ spec: spec.root, ruleset: name, ms: performance.now() - r, results: results.length });
      } catch (e) {
        findings.push(finding('quality.ruleset-error', `The Spectral ruleset ${name} failed while running: ${(e as Error).message}`, name.startsWith('spectral:') ? { file: spec.root, start: 0, end: 0 } : { file: name, start: 0, end: 0 }, { data: { ruleset: name } }));
        continue;
      }
      for (const f of userFindings(results, ruleset, name, spec, locator)) {
        const rule = String(f.data?.rule);
        const overlap = overlapping[rule];
        const segments = (f.data?.path ?? []) as string[];
        if (overlap && (!overlap.lastSegment || segments[segments.length - 1] === overlap.lastSegment) && ownLines.has(`${overlap.code}|${f.span.file}|${lineOf(f.span.file, f.span.start)}`)) continue;
        findings.push(f);
      }
    }
    spectralMs += performance.now() - t;
  }
  return { findings: applyRules(dedupe(findings), input.project).sort(compareFindings), timings: { prepareMs, spectralMs, runs } };
}

/** Spectral results of a user ruleset (or spectral:oas) as findings at the engine's nodes. */
function userFindings(results: ISpectralDiagnostic[], ruleset: SpectralRuleset, name: string, spec: SpecResult, locator: Locator): Finding[] {
  const out: Finding[] = [];
  for (const r of results) {
    const rule = String(r.code);
    if (rule in supersededRules || rule === 'unrecognized-format' || rule === 'invalid-ref' || rule === 'parser') continue;
    const resolved = ruleset.rules[rule]?.resolved ?? true;
    const at = locator.locate(r.path, resolved);
    const span = at ? locator.anchor(at.file, at.node) : { file: spec.root, start: 0, end: 0 };
    out.push(
      finding('quality.spectral-rule', `${rule}: ${r.message}`, span, {
        severity: severities[r.severity] ?? 'warning',
        data: { rule, ruleset: name, path: r.path.map(String) },
      }),
    );
  }
  return out;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.span.file}|${f.span.start}|${f.span.end}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Parses a job's texts with the engine's own parser (so every offset is the one the fast check
 * computed), rebuilds each spec's graph from them alone, and runs the pass. `cache` keeps parses
 * between jobs: an unchanged file is not parsed again.
 */
export function runQualityJob(job: QualityJob, fs: FileSystem, cache: Map<string, ParsedDocument> = new Map()): Promise<QualityOutcome> {
  const texts = new Map<string, string>();
  for (const s of job.specs) for (const f of s.files) texts.set(f.path, f.text);
  const read = (file: string): ParsedDocument | { error: 'missing' } => {
    const text = texts.get(file);
    if (text === undefined) return { error: 'missing' };
    const known = cache.get(file);
    if (known && known.text === text) return known;
    const doc = parseText(file, text);
    cache.set(file, doc);
    return doc;
  };
  for (const file of [...cache.keys()]) if (!texts.has(file)) cache.delete(file);
  const specs: SpecResult[] = [];
  for (const s of job.specs) {
    // Only the files the fast check loaded are available: its ref findings already cover the rest.
    const graph = new SpecGraph(s.root, { read }, job.project.root);
    if (!graph.load()) continue;
    specs.push({ root: s.root, graph, index: indexOperations(graph) });
  }
  return runQuality({ project: job.project, specs, targets: job.targets, rulesets: job.rulesets, trusted: job.trusted, fs });
}
