import { nextTurn, runSteps } from './steps';
import { MemoStore } from './memo';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Host } from './host';
import { finding, compareFindings, movedFinding, type Finding, type Severity } from './findings';
import { holdNewest, parseText, parseTextSteps, type ParsedDocument } from './parse/document';
import { reparseSteps } from './parse/incremental';
import { SpecGraph, type DocumentSource } from './spec/graph';
import { indexOperations, indexOperationsSteps } from './spec/operations';
import type { ProjectContext, SpecResult } from './context';
import { SourceParser } from './source/treesitter';
import { checkParity, type ParityResult } from './parity/parity';
import { checkStructureSteps } from './checks/structure';
import { unusedComponentsSteps } from './checks/unused';
import { checkGenerated } from './generate/index';
import { checkCoverage } from './coverage/check';
import type { CoverageResult } from './coverage/model';
import type { RulesetRef } from './quality/model';
import { findRulesets } from './quality/discover';
import { loadConfig } from './config/load';
import { configFileName, defaultConfig, defaultMaxFileSize, type ProjectConfig } from './config/config';
import { discoverConfigs, discoverSpecs, looksLikeOpenApi } from './project';
import { LineIndex, type TextChange } from './text';
import { isInside, relativePath } from './paths';

/** A project to check: a contract-lens.yaml, or a lone spec found without one. */
export type ProjectRef = { kind: 'config'; configFile: string } | { kind: 'spec'; specFile: string; root: string };

export type { SpecResult } from './context';

export interface CheckSummary {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  specs: number;
  specFiles: number;
  paths: number;
  operations: number;
}

/** What one check of one project produced. Plain data; the doors convert it for their users. */
export interface CheckResult {
  project: ProjectConfig;
  ref: ProjectRef;
  findings: Finding[];
  specs: SpecResult[];
  /** Every file whose content the result depends on (an edit to any of them means re-check). */
  dependencies: Set<string>;
  summary: CheckSummary;
  /** Route parity (spec ↔ server routes ↔ SDK calls), when the project configures a server or clients. */
  parity?: ParityResult;
  /** Typed coverage (typed/raw/undeclared partition, declarations), when the project configures `coverage`. */
  coverage?: CoverageResult;
  /** What the (asynchronous) quality pass will need: the Spectral ruleset of each spec, if any. */
  quality?: { rulesets: RulesetRef[] };
  /** Line index of a file the result mentions (for converting offsets at the edge). */
  lines(file: string): LineIndex;
  /**
   * The text of a file as this check read it (undefined: not read). A door that publishes the
   * result compares it with the file's current text: findings are only valid for that text.
   */
  textOf(file: string): string | undefined;
}

export interface CheckOptions {
  /**
   * Polled between phases with the files the check has read so far; a superseded check stops
   * early and its result is discarded.
   */
  isCancelled?: (dependencies: ReadonlySet<string>) => boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('check cancelled');
  }
}

/** About how many characters of JSON are parsed between two pauses of a check (5-10 ms of Microsoft Graph's description). */
const parseSlice = 1 << 18;

/** About how many nodes an incremental re-parse copies between two pauses (a few milliseconds). */
const reparseSlice = 20_000;

/**
 * The engine's front object: parses (with a cache keyed by path and text), loads projects and
 * runs every check. Holds no global state; the server keeps one per workspace, the CLI one per run.
 */
export class ContractEngine {
  private readonly cache = new Map<string, ParsedDocument>();
  /** Per project: work reused across checks while its inputs are unchanged (see memo.ts). */
  private readonly memos = new Map<string, MemoStore>();
  /** How often the incremental paths were taken (re-parses of the edited value only; `$ref` graphs carried over): for logs, benchmarks and tests. */
  readonly incremental = { reparsed: 0, carried: 0 };
  /** Documents re-parsed after an edit inside a plain scalar: the document before, and the edit. */
  private readonly scalarEdits = new WeakMap<ParsedDocument, { previous: WeakRef<ParsedDocument>; change: TextChange }>();
  /**
   * Per project, from its last complete check: each spec's `$ref` graph and the unused components.
   * After edits inside plain scalars (typing in a description), both are carried over with moved
   * offsets instead of walking a large tree again.
   */
  private readonly carried = new Map<string, { graphs: Map<string, SpecGraph>; unused: Finding[] }>();
  readonly sources: SourceParser;

  constructor(readonly host: Host, options: { wasmDir?: string } = {}) {
    this.sources = new SourceParser(options.wasmDir);
  }

  /** Loads the source parsers (wasm); must complete before the first check. */
  init(): Promise<void> {
    return this.sources.init();
  }

  /** Parses a file through the host's file system, reusing the last parse when the text is unchanged. */
  readDocument(file: string, maxSize = defaultMaxFileSize): ParsedDocument | { error: 'missing' | 'too-large' | 'unreadable'; detail?: string } {
    const size = this.host.fs.size(file);
    if (size === undefined) return { error: 'missing' };
    if (size > maxSize) return { error: 'too-large', detail: `${(size / 1048576).toFixed(1)} MB` };
    const text = this.host.fs.readFile(file);
    if (text === undefined) return { error: 'unreadable' };
    return this.parse(file, text);
  }

  parse(file: string, text: string): ParsedDocument {
    const cached = this.cache.get(file);
    if (cached && cached.text === text) return holdNewest(cached, text);
    const doc = runSteps(this.reparse(cached, text, Infinity)) ?? parseText(file, text);
    this.cache.set(file, doc);
    return doc;
  }

  /**
   * Parses a file into the cache as {@link readDocument} would, pausing every few megabytes.
   * Nothing happens for a file that is cached, missing or too large (readDocument reports those).
   */
  private *parseInSlices(file: string, maxSize: number): Generator<void, void> {
    const size = this.host.fs.size(file);
    if (size === undefined || size > maxSize || size < parseSlice) return;
    const text = this.host.fs.readFile(file);
    if (text === undefined) return;
    const cached = this.cache.get(file);
    if (cached && cached.text === text) return void holdNewest(cached, text);
    this.cache.set(file, (yield* this.reparse(cached, text, reparseSlice)) ?? (yield* parseTextSteps(file, text, parseSlice)));
  }

  /** `cached` re-parsed incrementally for `text` (JSON), remembering an edit inside a plain scalar (see {@link SpecGraph.rebased}). */
  private *reparse(cached: ParsedDocument | undefined, text: string, slice: number): Generator<void, ParsedDocument | undefined> {
    const r = cached && (yield* reparseSteps(cached, text, slice));
    if (!r) return undefined;
    this.incremental.reparsed++;
    if (r.scalarOnly) this.scalarEdits.set(r.doc, { previous: new WeakRef(cached), change: r.change });
    return r.doc;
  }

  /** The edit that made `now` out of `before`, when it stayed inside a plain scalar. */
  private readonly scalarEdit = (now: ParsedDocument, before: ParsedDocument): TextChange | undefined => {
    const edit = this.scalarEdits.get(now);
    return edit && edit.previous.deref() === before ? edit.change : undefined;
  };

  /** Line starts of `text` (the parse's, when this text of `file` has been parsed; else derived from the last parse's). */
  linesOf(file: string, text: string): LineIndex {
    const cached = this.cache.get(file);
    if (!cached) return new LineIndex(text);
    return cached.text === text ? cached.lines : LineIndex.after(cached.lines, text);
  }

  /** Drops cached parses of files that no longer matter (closed, deleted). */
  forget(file: string): void {
    this.cache.delete(file);
    this.sources.forget(file);
  }

  private specGraph(specFile: string, config: ProjectConfig, source: DocumentSource): SpecGraph {
    return new SpecGraph(
      specFile,
      source,
      config.root,
      (p) => this.host.fs.realpath(p),
      (dir) => this.host.fs.glob(['*'], dir).map((f) => path.basename(f)),
    );
  }

  /**
   * Loads one spec of a project (its `$ref` graph and operation index) from the current texts,
   * without running any check. Navigation uses it when an edit has made the last result's offsets
   * stale; the parse cache makes it cheap. Undefined when the root cannot be read.
   */
  loadSpec(specFile: string, config: ProjectConfig): SpecResult | undefined {
    const graph = this.specGraph(specFile, config, { read: (file) => this.readDocument(file, config.maxFileSize) });
    if (!graph.load()) return undefined;
    return { root: specFile, graph, index: indexOperations(graph) };
  }

  /** Projects under a folder: each contract-lens.yaml, and each spec no config claims. */
  discover(dir: string): ProjectRef[] {
    const fs = this.host.fs;
    const configs = discoverConfigs(dir, fs);
    const refs: ProjectRef[] = configs.map((configFile) => ({ kind: 'config', configFile }));
    const configDirs = configs.map((c) => path.dirname(c));
    for (const spec of discoverSpecs(dir, fs)) {
      if (configDirs.some((d) => isInside(d, spec))) continue;
      refs.push({ kind: 'spec', specFile: spec, root: dir });
    }
    return refs;
  }

  /** Loads a project's configuration; without a config file, a default one around the spec. */
  loadProject(ref: ProjectRef): { config: ProjectConfig; findings: Finding[]; files: string[]; doc?: ParsedDocument } {
    if (ref.kind === 'spec') {
      const config = defaultConfig(ref.root);
      config.specs = [ref.specFile];
      return { config, findings: [], files: [] };
    }
    const doc = this.readDocument(ref.configFile);
    if ('error' in doc) {
      const config = defaultConfig(path.dirname(ref.configFile));
      return {
        config,
        findings: [finding('file.unreadable', `${configFileName} could not be read (${doc.error}).`, { file: ref.configFile, start: 0, end: 0 })],
        files: [ref.configFile],
      };
    }
    const findings = problemFindings(doc);
    const { config, findings: configFindings } = loadConfig(doc, this.host.fs);
    findings.push(...configFindings);
    if (config.specs.length === 0 && !hasSpecKey(doc)) {
      config.specs = discoverSpecs(config.root, this.host.fs);
      if (config.specs.length === 0) {
        findings.push(finding('config.no-spec', `No OpenAPI document found: name one with \`spec:\` in ${configFileName}.`, { file: doc.path, start: 0, end: 0 }));
      }
    }
    return { config, findings, files: [ref.configFile], doc };
  }

  /** Runs every check of a project. Never throws on bad input: problems become findings. */
  check(ref: ProjectRef, options: CheckOptions = {}): CheckResult {
    return runSteps(this.checkSteps(ref, options));
  }

  /**
   * The same check, giving the event loop a turn between phases (parsing, $refs and operations,
   * unused components, generated files, coverage, parity), so that a language server answers
   * hovers and CodeLens while a large contract is checked. A phase starts only after
   * `isCancelled` said no: a file the check already read that changed in between stops it.
   */
  async checkAsync(ref: ProjectRef, options: CheckOptions & { onPhase?: (phase: string) => void } = {}): Promise<CheckResult> {
    const steps = this.checkSteps(ref, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      options.onPhase?.(step.value);
      await nextTurn();
    }
  }

  private *checkSteps(ref: ProjectRef, options: CheckOptions): Generator<string, CheckResult> {
    const loaded = this.loadProject(ref);
    const { config } = loaded;
    const findings: Finding[] = [...loaded.findings];
    const dependencies = new Set<string>(loaded.files);
    const cancelled = () => {
      if (options.isCancelled?.(dependencies)) throw new CancelledError();
    };
    /** Sliced work (a large parse, the $ref graph, the unused-component walk), pausing as `label` between slices. */
    function* paced<T>(steps: Generator<unknown, T>, label: string): Generator<string, T> {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        yield label;
        cancelled();
      }
    }
    const docs = new Map<string, ParsedDocument>();
    const sourceLines = new Map<string, LineIndex>();
    const sourceTexts = new Map<string, string>();
    // The config as this check read it (not whatever the parse cache holds for its path: when the
    // file could not be read, that is an older text, and findings would be published against it).
    if (loaded.doc) docs.set(loaded.doc.path, loaded.doc);
    const source: DocumentSource = {
      read: (file) => {
        dependencies.add(file);
        return this.readDocument(file, config.maxFileSize);
      },
    };
    const specs: SpecResult[] = [];
    const prior = this.carried.get(projectKey(ref));
    const graphs = new Map<string, SpecGraph>();
    const changes = new Map<string, TextChange>();
    let allCarried = prior !== undefined && prior.graphs.size === config.specs.length;
    for (const specFile of config.specs) {
      yield `reading ${path.basename(specFile)} and its $refs`;
      cancelled();
      // A large root document is parsed in slices here, with pauses; the graph then finds it cached.
      dependencies.add(specFile);
      yield* paced(this.parseInSlices(specFile, config.maxFileSize), `reading ${path.basename(specFile)}`);
      const before = prior?.graphs.get(specFile);
      const carried = before?.allowedRoot === config.root ? before.rebased(source, this.scalarEdit) : undefined;
      for (const [file, change] of carried?.changes ?? []) changes.set(file, change);
      if (carried) this.incremental.carried++;
      else allCarried = false;
      const graph = carried?.graph ?? this.specGraph(specFile, config, source);
      if (!carried && !(yield* paced(graph.loadSteps(), `following the $refs of ${path.basename(specFile)}`))) {
        const why = source.read(specFile);
        const detail = 'error' in why ? why : undefined;
        findings.push(
          detail?.error === 'too-large'
            ? finding('file.too-large', `${path.basename(specFile)} is ${detail.detail}, above the limit of ${(config.maxFileSize / 1048576).toFixed(0)} MB (limits.maxFileSizeMB); it was not parsed.`, { file: specFile, start: 0, end: 0 })
            : finding('file.unreadable', `${path.basename(specFile)} could not be read.`, { file: specFile, start: 0, end: 0 }),
        );
        continue;
      }
      for (const [file, doc] of graph.documents) {
        docs.set(file, doc);
        findings.push(...problemFindings(doc));
      }
      findings.push(...graph.findings);
      const rootDoc = graph.documents.get(specFile)!;
      if (rootDoc.root && (rootDoc.root.kind !== 'object' || (!rootDoc.root.map.has('openapi') && !rootDoc.root.map.has('swagger')))) {
        findings.push(finding('spec.not-openapi', `${path.basename(specFile)} has no \`openapi\` version at its root, so it is not an OpenAPI document.`, { file: specFile, start: rootDoc.root.start, end: rootDoc.root.start }));
      } else if (!rootDoc.root && rootDoc.problems.length === 0) {
        // An empty file (or only comments) parses without a problem; say so rather than pass it.
        findings.push(finding('spec.not-openapi', `${path.basename(specFile)} is empty, so it is not an OpenAPI document.`, { file: specFile, start: 0, end: 0 }));
      }
      yield `indexing the operations of ${path.basename(specFile)}`;
      cancelled();
      const index = yield* paced(indexOperationsSteps(graph), `indexing the operations of ${path.basename(specFile)}`);
      yield `checking the structure of ${path.basename(specFile)}`;
      cancelled();
      findings.push(...(yield* paced(checkStructureSteps(graph, index), `checking the structure of ${path.basename(specFile)}`)));
      specs.push({ root: specFile, graph, index });
      graphs.set(specFile, graph);
    }
    yield 'looking for unused components';
    cancelled();
    const unused = allCarried && prior ? prior.unused.map((f) => movedFinding(f, changes)) : yield* paced(unusedComponentsSteps(specs), 'looking for unused components');
    findings.push(...unused);
    // The quality pass runs later (quality/run.ts); its rulesets are dependencies now, so editing one re-checks.
    const rulesets = findRulesets(config, specs.map((s) => s.root), this.host.fs);
    for (const r of rulesets) dependencies.add(r.file);
    yield config.generate.length ? 'checking generated files' : 'checking typed coverage';
    cancelled();
    const ctx: ProjectContext = {
      config,
      specs,
      host: this.host,
      sources: this.sources,
      dependencies,
      memo: this.memos.get(projectKey(ref)) ?? this.memos.set(projectKey(ref), new MemoStore()).get(projectKey(ref))!,
      glob: (patterns, exclude = []) => this.host.fs.glob(patterns, config.root, exclude),
      readText: (file) => {
        dependencies.add(file);
        return this.host.fs.readFile(file);
      },
      source: (file) => {
        dependencies.add(file);
        const text = this.host.fs.readFile(file);
        if (text === undefined || text.length > config.maxFileSize) return undefined;
        const parsed = this.sources.parse(file, text);
        if (parsed) {
          sourceLines.set(file, parsed.lines);
          sourceTexts.set(file, text);
        }
        return parsed;
      },
      document: (file) => {
        dependencies.add(file);
        const d = this.readDocument(file, config.maxFileSize);
        if ('error' in d) return undefined;
        docs.set(file, d);
        return d;
      },
    };
    void ctx;
    if (config.generate.length) {
      findings.push(...checkGenerated(ctx));
      yield 'checking typed coverage';
      cancelled();
    }
    const coverage = config.coverage ? checkCoverage(ctx) : undefined;
    if (coverage) findings.push(...coverage.findings);
    yield 'checking routes and SDK calls';
    cancelled();
    let parity: ParityResult | undefined;
    if (config.server?.sources.length || config.clients.length) {
      const out = checkParity(ctx);
      parity = out.result;
      findings.push(...out.findings);
    }
    yield 'collecting the findings';
    cancelled();
    const final = applyRules(dedupeFindings(findings), config).sort(compareFindings);
    // Line indexes must describe the text this check read, not whatever a file holds when the
    // result is converted (a later round may re-publish this result; the parse cache is shared
    // with quick fixes, which parse any file they are asked about). No pause follows the last
    // cancellation test, so the text read now is the text the findings were computed on.
    const lineCache = new Map<string, LineIndex>();
    const snapshotTexts = new Map<string, string>();
    const snapshot = (file: string) => {
      if (docs.has(file) || sourceLines.has(file) || lineCache.has(file)) return;
      const read = this.host.fs.readFile(file);
      const text = read ?? '';
      const cached = this.cache.get(file);
      lineCache.set(file, cached && cached.text === text ? cached.lines : new LineIndex(text));
      if (read !== undefined) snapshotTexts.set(file, read);
    };
    for (const f of final) {
      snapshot(f.span.file);
      for (const r of f.related ?? []) snapshot(r.span.file);
    }
    this.carried.set(projectKey(ref), { graphs, unused });
    return {
      project: config,
      ref,
      findings: final,
      specs,
      dependencies,
      summary: summarize(final, specs),
      parity,
      coverage,
      quality: { rulesets },
      lines: (file) => {
        const d = docs.get(file);
        if (d) return d.lines;
        const s = sourceLines.get(file);
        if (s) return s;
        let l = lineCache.get(file);
        if (!l) {
          l = new LineIndex(this.host.fs.readFile(file) ?? '');
          lineCache.set(file, l);
        }
        return l;
      },
      textOf: (file) => docs.get(file)?.text ?? sourceTexts.get(file) ?? snapshotTexts.get(file),
    };
  }
}

function hasSpecKey(doc: ParsedDocument): boolean {
  return doc.root?.kind === 'object' && doc.root.map.has('spec');
}

function problemFindings(doc: ParsedDocument): Finding[] {
  return doc.problems.map((p) =>
    p.kind === 'duplicate-key'
      ? finding('syntax.duplicate-key', p.message, { file: doc.path, start: p.start, end: p.end }, {
          related: p.relatedStart !== undefined ? [{ span: { file: doc.path, start: p.relatedStart, end: p.relatedEnd! }, message: `"${p.key}" first defined here` }] : undefined,
          data: { key: p.key },
        })
      : finding('syntax.error', p.message, { file: doc.path, start: p.start, end: p.end }),
  );
}

function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.span.file}|${f.span.start}|${f.span.end}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Severity overrides and the ignore list of the project's `rules`. */
export function applyRules(findings: Finding[], config: ProjectConfig): Finding[] {
  const { severity, ignore } = config.rules;
  const matchers = ignore.map((rule) => ({ rule, file: rule.file ? picomatch(rule.file, { dot: true }) : undefined, code: rule.code ? picomatch(rule.code) : undefined }));
  const out: Finding[] = [];
  for (const f of findings) {
    const level = severity[f.code];
    if (level === 'off') continue;
    const ignored = matchers.some(({ rule, file, code }) => {
      if (code && !code(f.code)) return false;
      if (file && !file(relativePath(config.root, f.span.file))) return false;
      if (rule.path !== undefined && f.data?.path !== rule.path) return false;
      if (rule.method !== undefined && String(f.data?.method ?? '').toLowerCase() !== rule.method) return false;
      return true;
    });
    if (ignored) continue;
    out.push(level ? { ...f, severity: level as Severity } : f);
  }
  return out;
}

/**
 * A result with more findings (the quality pass's): merged in order, summary recounted. The extra
 * findings must already have the project's rules applied.
 */
export function withFindings(result: CheckResult, extra: readonly Finding[]): CheckResult {
  if (extra.length === 0) return result;
  const findings = [...result.findings, ...extra].sort(compareFindings);
  return { ...result, findings, summary: summarize(findings, result.specs) };
}

function summarize(findings: Finding[], specs: SpecResult[]): CheckSummary {
  const s: CheckSummary = { errors: 0, warnings: 0, infos: 0, hints: 0, specs: specs.length, specFiles: 0, paths: 0, operations: 0 };
  for (const f of findings) {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    else if (f.severity === 'info') s.infos++;
    else s.hints++;
  }
  for (const spec of specs) {
    s.specFiles += spec.graph.documents.size;
    s.paths += spec.index.pathItems.length;
    s.operations += spec.index.operations.length;
  }
  return s;
}

export { looksLikeOpenApi };

function projectKey(ref: ProjectRef): string {
  return ref.kind === 'config' ? `config:${ref.configFile}` : `spec:${JSON.stringify(ref)}`;
}
