import type { Framework } from '../config/config';
import { isOpaque, type Folded } from './model';

/** A path segment in a form every framework and the spec can be compared in. */
export type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string; spansSlash?: boolean }
  | { kind: 'wildcard' }
  | { kind: 'opaque'; text: string };

export type PathSyntax = Framework | 'openapi' | 'client';

/**
 * Splits a folded path into segments, expanding optional parts into variants. Each framework's
 * parameter syntax is understood: `:id`, `:id?`, `:id(\\d+)`, `{id}`, `{/:id}` (Express 5),
 * `<int:id>` (Flask), `{p:path}` (Starlette), `*`, `*splat`. Parameters compare by position.
 */
export function parsePath(value: Folded, syntax: PathSyntax): Segment[][] {
  // Opaque holes become placeholders so the string can be split on slashes.
  const holes: string[] = [];
  const text = value.map((p) => (isOpaque(p) ? `\u0000${holes.push(p.opaque) - 1}\u0000` : p)).join('');
  let variants: string[] = [stripQuery(text)];
  // Express 5 optional groups: /users{/:id}
  if (syntax === 'express' || syntax === 'hono' || syntax === 'koa') {
    variants = expandBraceOptionals(variants);
  }
  const out: Segment[][] = [];
  for (const v of variants) {
    let segs: Segment[][] = [[]];
    for (const raw of v.split('/')) {
      if (raw === '') continue;
      const parsed = parseSegment(raw, syntax, holes);
      const next: Segment[][] = [];
      for (const prefix of segs) {
        for (const alt of parsed) next.push(alt === null ? prefix : [...prefix, alt]);
      }
      segs = next;
    }
    out.push(...segs);
  }
  return dedupeVariants(out);
}

function stripQuery(text: string): string {
  const q = text.indexOf('?');
  // Express-style optional params also use `?` (`:id?`), so only cut at a `?` not right after a name.
  if (q >= 0 && (q === 0 || text[q - 1] === '/')) return text.slice(0, q);
  return text;
}

function expandBraceOptionals(variants: string[]): string[] {
  const out: string[] = [];
  const re = /\{(\/[^{}]*)\}/;
  const queue = [...variants];
  while (queue.length) {
    const v = queue.shift()!;
    const m = re.exec(v);
    if (!m || !/^\/[:*]/.test(m[1]) && !m[1].includes(':')) {
      out.push(v);
      continue;
    }
    queue.push(v.slice(0, m.index) + v.slice(m.index + m[0].length));
    queue.push(v.slice(0, m.index) + m[1] + v.slice(m.index + m[0].length));
  }
  return out;
}

/** One raw segment → its alternatives (null = the segment is absent in that variant). */
function parseSegment(raw: string, syntax: PathSyntax, holes: string[]): (Segment | null)[] {
  const hole = /^\u0000(\d+)\u0000$/.exec(raw);
  if (hole) return [{ kind: 'opaque', text: holes[Number(hole[1])] }];
  if (raw.includes('\u0000')) return [{ kind: 'opaque', text: raw.replace(/\u0000(\d+)\u0000/g, (_, i) => `\${${holes[Number(i)]}}`) }];
  if (syntax === 'openapi' || syntax === 'client' || syntax === 'fastapi') {
    const m = /^\{([^{}:]+)(?::([^{}]+))?\}$/.exec(raw);
    if (m) return [{ kind: 'param', name: m[1], spansSlash: m[2] === 'path' }];
    if (/\{[^{}]+\}/.test(raw)) return [{ kind: 'param', name: raw.replace(/[{}]/g, '') }];
    return [{ kind: 'literal', value: raw }];
  }
  if (syntax === 'flask') {
    const m = /^<(?:([a-z_]+):)?([A-Za-z_][A-Za-z0-9_]*)>$/.exec(raw);
    if (m) return [{ kind: 'param', name: m[2], spansSlash: m[1] === 'path' }];
    if (/<[^<>]+>/.test(raw)) return [{ kind: 'param', name: raw }];
    return [{ kind: 'literal', value: raw }];
  }
  if (syntax === 'nestjs' || syntax === 'express' || syntax === 'koa' || syntax === 'hono' || syntax === 'fastify') {
    if (raw === '*' || /^\*[A-Za-z_]\w*$/.test(raw) || raw === '(.*)') return [{ kind: 'wildcard' }];
    // :name, :name?, :name(regex), :name{regex} (Hono), :from-:to (Fastify: one segment, two params)
    const m = /^:([A-Za-z_$][\w$]*)(\([^/]*\)|\{[^/]*\})?(\?)?$/.exec(raw);
    if (m) {
      const seg: Segment = { kind: 'param', name: m[1] };
      return m[3] ? [seg, null] : [seg];
    }
    if (raw.includes(':')) {
      const unescaped = raw.replace(/::/g, ':');
      if (unescaped !== raw && !/(^|[^:]):[A-Za-z_]/.test(raw.replace(/::/g, ''))) return [{ kind: 'literal', value: unescaped }];
      return [{ kind: 'param', name: raw }];
    }
    if (/^\{[A-Za-z_]\w*\}$/.test(raw)) return [{ kind: 'param', name: raw.slice(1, -1) }];
    return [{ kind: 'literal', value: raw }];
  }
  return [{ kind: 'literal', value: raw }];
}

function dedupeVariants(variants: Segment[][]): Segment[][] {
  const seen = new Set<string>();
  return variants.filter((v) => {
    const k = shapeKey(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A key that is equal for paths that match: parameters by position, names ignored. */
export function shapeKey(segments: Segment[]): string {
  return '/' + segments.map((s) => (s.kind === 'literal' ? s.value.toLowerCase() : s.kind === 'param' ? '{}' : s.kind === 'wildcard' ? '*' : '?')).join('/');
}

/** Renders segments as an OpenAPI path template (for messages and spec stubs). */
export function toTemplate(segments: Segment[]): string {
  return (
    '/' +
    segments
      .map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name.replace(/[^A-Za-z0-9_]/g, '') || 'param'}}` : s.kind === 'wildcard' ? '*' : `{${s.text}}`))
      .join('/')
  );
}

export function hasUnknown(segments: Segment[]): boolean {
  return segments.some((s) => s.kind === 'opaque' || s.kind === 'wildcard');
}

/** Strips a literal prefix (as segments) from a path when it starts with it. */
export function stripPrefix(segments: Segment[], prefix: Segment[]): Segment[] | undefined {
  if (prefix.length > segments.length) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    const a = segments[i];
    const b = prefix[i];
    if (a.kind !== 'literal' || b.kind !== 'literal' || a.value.toLowerCase() !== b.value.toLowerCase()) return undefined;
  }
  return segments.slice(prefix.length);
}
