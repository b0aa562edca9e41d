import type { Span } from '../findings';
import type { Framework } from '../config/config';

/** A piece of a path that could not be folded to a constant: kept as the source text. */
export interface Opaque {
  opaque: string;
}

/** A string value as far as it could be folded: literal pieces and opaque holes, in order. */
export type Folded = (string | Opaque)[];

export function isOpaque(part: string | Opaque): part is Opaque {
  return typeof part !== 'string';
}

export function foldedText(value: Folded): string {
  return value.map((p) => (typeof p === 'string' ? p : `\${${p.opaque}}`)).join('');
}

export function hasOpaque(value: Folded): boolean {
  return value.some(isOpaque);
}

export function concatFolded(...values: Folded[]): Folded {
  const out: Folded = [];
  for (const v of values) {
    for (const p of v) {
      const last = out[out.length - 1];
      if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
      else if (p !== '') out.push(p);
    }
  }
  return out;
}

/** One mount that contributed a prefix: `app.register(plugin, { prefix })`, `app.use('/v1', router)`... */
export interface MountStep {
  span: Span;
  prefix: Folded;
  /** What the user would call it: `register(sessionsPlugin, { prefix: "/sessions" })`. */
  label: string;
}

export type RouteKind = 'operation' | 'websocket' | 'static' | 'docs';

/**
 * A route the server registers, with the mount chain that produced its full path. Extractors
 * produce these; the matcher compares them with the spec. One registration can yield several
 * routes (a plugin mounted twice, array paths, API versions).
 */
export interface SourceRoute {
  framework: Framework;
  /** Lower-case HTTP methods; `*` matches any (Express `all`, Hono `all`). */
  methods: string[];
  /** The full path, mount prefixes included, in the framework's own syntax. */
  path: Folded;
  /** The path literal (or the call when there is no literal). */
  span: Span;
  /** The whole registration call, for navigation. */
  callSpan: Span;
  /** Outermost mount first. */
  chain: MountStep[];
  /** Registered under `if`, a ternary, a feature flag... */
  conditional: boolean;
  /** The framework marks it as intentionally undocumented (include_in_schema=False, @ApiExcludeEndpoint). */
  excluded: boolean;
  kind: RouteKind;
  /** When the code names the operation it implements. */
  operationId?: string;
}

/** An HTTP call made by an SDK or app. */
export interface SdkCall {
  client: string;
  method: string;
  /** The path as called, client base path included. */
  path: Folded;
  span: Span;
  callSpan: Span;
  /** The SDK's operation key, when the wrapper takes one (`sessions.create`). */
  key?: string;
}

/** What an extractor found in a set of files. */
export interface Extraction {
  routes: SourceRoute[];
  /** Files read, for dependency tracking and CodeLens. */
  files: string[];
}

export type { Framework };
