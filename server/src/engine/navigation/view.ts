import * as path from 'node:path';
import type { CheckResult, ContractEngine } from '../engine';
import type { SpecResult } from '../context';
import type { ParsedDocument } from '../parse/document';
import type { SpecGraph } from '../spec/graph';
import { rootFilesOf, usesOf, type Use } from '../spec/components';
import { LineIndex } from '../text';
import type { FileSystem } from '../host';
import type { ParsedSource } from '../source/treesitter';

/** A spec loaded from the current texts, and the check result (project, parity, coverage) it belongs to. */
export interface NavSpec extends SpecResult {
  result: CheckResult;
}

/**
 * What every navigation request works from: the file's current parse and the specs that include
 * it, both taken from the current texts (unsaved editors included). When the last check read the
 * same texts its graphs are reused as they are; when an edit made them stale, the spec is loaded
 * again without checking it (the parse cache makes that cheap), so offsets are never out of date.
 * Parity and coverage are taken from the last result as they are: re-extracting routes on every
 * request would cost what a check costs.
 */
export interface NavigationView {
  file: string;
  /** The current parse of the file, when it is YAML or JSON. */
  doc?: ParsedDocument;
  /** The specs whose graph contains the file. */
  specs: NavSpec[];
  /** The last good results involving the file. */
  results: CheckResult[];
  /** Root files of every spec of those results (a root is never a definitions file). */
  rootFiles: Set<string>;
  /** Every spec of a result, loaded from the current texts. */
  specsOf(result: CheckResult): NavSpec[];
  /** Uses (`$ref`s, discriminator mappings) of a spec, computed once per graph. */
  uses(graph: SpecGraph): Use[];
  /** The current parse of a YAML or JSON file. */
  document(file: string): ParsedDocument | undefined;
  /** Runs `use` on a tree-sitter parse of a source file's current text (undefined when parsers are not loaded). */
  source<T>(file: string, use: (src: ParsedSource) => T): T | undefined;
  /** The file system (current texts; globs for file completion). */
  fs: FileSystem;
  /** Line index for converting offsets of `file` (current text for YAML/JSON, the checked text for sources). */
  lines(file: string): LineIndex;
}

const specLike = /\.(ya?ml|json)$/i;

/**
 * Builds navigation views. Holds the specs it had to reload and the uses it computed, keyed weakly
 * by the objects they came from, so nothing outlives the results it belongs to.
 */
export class Navigator {
  private readonly reloaded = new WeakMap<SpecResult, { docs: ParsedDocument[]; spec: SpecResult }>();
  private readonly usesCache = new WeakMap<SpecGraph, Use[]>();

  constructor(readonly engine: ContractEngine) {}

  /**
   * `asChecked`: the specs exactly as checked, even where a text has changed since (no reload).
   * For answers that must not wait for a parse of a large file; the caller maps offsets with a
   * {@link textDelta} of the checked and current texts.
   */
  view(results: CheckResult[], file: string, options: { asChecked?: boolean } = {}): NavigationView {
    // Once per view and file: a rename may ask for the same file once per $ref.
    const read = new Map<string, ParsedDocument | undefined>();
    const document = (f: string): ParsedDocument | undefined => {
      if (!specLike.test(f)) return undefined;
      if (!read.has(f)) {
        const inGraph = specs.find((s) => s.graph.documents.has(f))?.graph.documents.get(f);
        const d = inGraph ?? this.engine.readDocument(f);
        read.set(f, 'error' in d ? undefined : d);
      }
      return read.get(f);
    };
    const bySpec = new Map<CheckResult, NavSpec[]>();
    const specsOf = (result: CheckResult): NavSpec[] => {
      let list = bySpec.get(result);
      if (!list) {
        list = result.specs.map((s) => ({ ...(options.asChecked ? s : this.current(s, result)), result }));
        bySpec.set(result, list);
      }
      return list;
    };
    const specs: NavSpec[] = [];
    for (const result of results) {
      for (const s of result.specs) {
        // Only the specs that can involve the file are brought up to date.
        if (s.root !== file && !s.graph.documents.has(file)) continue;
        const fresh = specsOf(result).find((x) => x.root === s.root);
        if (fresh && fresh.graph.documents.has(file)) specs.push(fresh);
      }
    }
    const rootFiles = rootFilesOf(results.flatMap((r) => r.specs.map((s) => s.graph)));
    const view: NavigationView = {
      file,
      // The graph's own parse when a spec includes the file, so its nodes are the graph's nodes.
      doc: document(file),
      specs,
      results,
      rootFiles,
      specsOf,
      uses: (graph) => {
        let u = this.usesCache.get(graph);
        if (!u) this.usesCache.set(graph, (u = usesOf(graph)));
        return u;
      },
      document,
      source: (f, use) => {
        const text = this.engine.host.fs.readFile(f);
        if (text === undefined || !this.engine.sources.ready) return undefined;
        return this.engine.sources.peek(f, text, use);
      },
      fs: this.engine.host.fs,
      lines: (f) => {
        const d = document(f);
        if (d) return d.lines;
        const owner = results.find((r) => r.dependencies.has(f)) ?? results[0];
        if (owner) return owner.lines(f);
        return new LineIndex(this.engine.host.fs.readFile(f) ?? '');
      },
    };
    return view;
  }

  /** The spec as the current texts describe it: the checked graph when nothing changed, else a reload. */
  private current(spec: SpecResult, result: CheckResult): SpecResult {
    if (this.isCurrent(spec.graph.documents.values(), result)) return spec;
    const memo = this.reloaded.get(spec);
    if (memo && this.isCurrent(memo.docs.values(), result)) return memo.spec;
    const fresh = this.engine.loadSpec(spec.root, result.project);
    if (!fresh) return spec;
    this.reloaded.set(spec, { docs: [...fresh.graph.documents.values()], spec: fresh });
    return fresh;
  }

  private isCurrent(docs: Iterable<ParsedDocument>, result: CheckResult): boolean {
    for (const d of docs) {
      const now = this.engine.readDocument(d.path, result.project.maxFileSize);
      if ('error' in now || now.text !== d.text) return false;
    }
    return true;
  }
}

/** The text a result's spec had for a file when it was checked, if a spec includes it. */
export function checkedText(results: CheckResult[], file: string): string | undefined {
  for (const r of results) for (const s of r.specs) {
    const d = s.graph.documents.get(file);
    if (d) return d.text;
  }
  return undefined;
}

/** A path relative to the project root of a result, for display. */
export function displayPath(result: CheckResult | undefined, file: string): string {
  if (!result) return path.basename(file);
  return path.relative(result.project.root, file).split(path.sep).join('/');
}
