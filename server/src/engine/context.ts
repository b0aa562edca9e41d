import type { Host } from './host';
import type { ProjectConfig } from './config/config';
import type { ParsedDocument } from './parse/document';
import type { ParsedSource, SourceParser } from './source/treesitter';
import type { SpecGraph } from './spec/graph';
import type { OperationIndex } from './spec/operations';
import type { MemoStore } from './memo';

export interface SpecResult {
  root: string;
  graph: SpecGraph;
  index: OperationIndex;
}

/**
 * What a feature check (parity, coverage, quality, generation) gets to work with: the loaded
 * project and ways to read more files. Every read goes through here so that the file becomes a
 * dependency of the result, and an edit to it triggers a re-check.
 */
export interface ProjectContext {
  config: ProjectConfig;
  specs: SpecResult[];
  host: Host;
  sources: SourceParser;
  /** Absolute paths of the project's files matching globs relative to the project root. */
  glob(patterns: readonly string[], exclude?: readonly string[]): string[];
  /** A file's text (open editor buffer first), recorded as a dependency. */
  readText(file: string): string | undefined;
  /** A source file parsed with tree-sitter, recorded as a dependency. */
  source(file: string): ParsedSource | undefined;
  /** A YAML/JSON file parsed into the position-keeping tree, recorded as a dependency. */
  document(file: string): ParsedDocument | undefined;
  /** Registers a parsed file so findings in it can be converted to lines. */
  dependencies: Set<string>;
  /** Work kept from the previous check of this project, reused while its inputs are unchanged. */
  memo?: MemoStore;
}
