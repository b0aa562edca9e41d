import type { SpecResult } from '../context';
import type { ProjectConfig } from '../config/config';
import type { Finding } from '../findings';
import type { FileSystem } from '../host';

/**
 * One operation the coverage declarations type, as the quality rules need it: which operation,
 * and the models the declaration names (they decide which response statuses must carry a schema).
 */
export interface TypedTarget {
  /** The root spec the operation belongs to. */
  spec: string;
  method: string;
  path: string;
  operationId?: string;
  request?: string;
  responses: { status?: string; model: string }[];
}

/** The Spectral ruleset a spec is checked with: a file next to it, or the config's `quality.ruleset`. */
export interface RulesetRef {
  spec: string;
  /** Absolute path of the ruleset file. */
  file: string;
  /** Its text when the caller has it (an unsaved editor buffer); otherwise read from disk. */
  text?: string;
}

/**
 * Everything the quality pass needs, already loaded: the project's config, its specs (graph and
 * operation index, as the fast check built them), the typed targets and the rulesets. `trusted`
 * says whether JavaScript from the workspace (custom Spectral functions) may run.
 */
export interface QualityInput {
  project: ProjectConfig;
  specs: SpecResult[];
  targets: TypedTarget[];
  rulesets: RulesetRef[];
  trusted: boolean;
  /** Reads ruleset files (and the local files they extend). */
  fs: FileSystem;
}

/** What one quality pass produced. Findings have the project's `rules` applied. */
export interface QualityOutcome {
  findings: Finding[];
  timings: {
    /** Building Spectral's input (plain values, resolved view) from the engine's trees. */
    prepareMs: number;
    /** Spectral runs (built-in ruleset, spectral:oas, the project's ruleset). */
    spectralMs: number;
    /** Each Spectral run: `built-in`, `spectral:oas` or the ruleset file, per spec. */
    runs: { spec: string; ruleset: string; ms: number; results: number }[];
  };
}

/**
 * A quality pass as plain data, for a worker thread: the texts of every spec file instead of
 * parsed trees (the worker parses them again with the same parser, so offsets agree).
 */
export interface QualityJob {
  project: ProjectConfig;
  specs: { root: string; files: { path: string; text: string }[] }[];
  targets: TypedTarget[];
  rulesets: RulesetRef[];
  trusted: boolean;
}
