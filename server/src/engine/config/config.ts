import type { Severity } from '../findings';

export const frameworks = ['fastify', 'express', 'koa', 'hono', 'nestjs', 'fastapi', 'flask'] as const;
export type Framework = (typeof frameworks)[number];

export interface ServerConfig {
  framework?: Framework;
  sources: string[];
  exclude: string[];
  prefix?: string;
  tsconfig?: string;
}

export interface CallSiteConfig {
  kind: 'wrapper' | 'httpx' | 'requests' | 'fetch' | 'axios' | 'openapi-fetch';
  function?: string;
  keyArgument?: number;
  methodArgument: number;
  pathArgument: number;
  basePath: string;
}

export interface ClientConfig {
  name: string;
  language: 'python' | 'typescript';
  sources: string[];
  exclude: string[];
  callSite: CallSiteConfig;
}

export type ValidationMode = 'typed-only' | 'off' | 'strict';

export interface CoverageConfig {
  source: 'yaml' | 'python';
  /** Absolute path. */
  file?: string;
  mode: ValidationMode;
  python: { contractsVariable: string; allVariable: string; rawVariable: string; strictVariable: string; contractClass: string };
}

export interface GenerateConfig {
  target: 'pydantic-v2' | 'pydantic-v1' | 'dataclasses' | 'typeddict' | 'python-facade' | 'typescript-client';
  /** Absolute path. */
  output: string;
  options: Record<string, unknown>;
}

/**
 * The schema-quality pass (Spectral): the built-in rules on typed-target operations, spectral:oas,
 * and the project's own ruleset.
 */
export interface QualityConfig {
  /** Run the quality pass at all (default true). */
  enabled: boolean;
  /**
   * Which documented statuses of a typed operation must carry a JSON response schema: exact codes
   * (`"404"`), ranges (`"2XX"`), `"default"`, and `"declared"` (every status a declared response
   * model stands for). Default `["2XX", "declared"]`.
   */
  requiredStatuses: string[];
  /** Per operationId, statuses that replace `requiredStatuses` for that operation. */
  operations: Record<string, { requiredStatuses?: string[] }>;
  /** Also run Spectral's `spectral:oas` ruleset (default false). */
  spectralOas: boolean;
  /** Absolute path of the project's Spectral ruleset; undefined: look for `.spectral.yaml` (…) next to each spec; false: none. */
  ruleset?: string | false;
}

export const defaultRequiredStatuses = ['2XX', 'declared'];

export interface IgnoreRule {
  code?: string;
  method?: string;
  path?: string;
  file?: string;
}

/** A project's configuration after validation, with defaults filled in and paths made absolute. */
export interface ProjectConfig {
  /** The project folder: where contract-lens.yaml is (or the spec's folder without one). */
  root: string;
  configFile?: string;
  /** Absolute paths of the root spec documents. */
  specs: string[];
  server?: ServerConfig;
  clients: ClientConfig[];
  coverage?: CoverageConfig;
  generate: GenerateConfig[];
  rules: { severity: Record<string, Severity | 'off'>; ignore: IgnoreRule[] };
  maxFileSize: number;
  quality: QualityConfig;
}

export const configFileName = 'contract-lens.yaml';
export const defaultMaxFileSize = 64 * 1024 * 1024;

export function defaultConfig(root: string): ProjectConfig {
  return {
    root,
    specs: [],
    clients: [],
    generate: [],
    rules: { severity: {}, ignore: [] },
    maxFileSize: defaultMaxFileSize,
    quality: { enabled: true, requiredStatuses: [...defaultRequiredStatuses], operations: {}, spectralOas: false },
  };
}
