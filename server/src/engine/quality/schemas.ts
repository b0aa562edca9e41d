import type { AstNode, ObjectNode } from '../parse/ast';
import { stringValue } from '../parse/ast';
import type { SpecGraph } from '../spec/graph';

/** A node and the file it is in. */
export interface Located {
  file: string;
  node: AstNode;
}

/** JSON media types: `application/json`, `application/problem+json`, with or without parameters. */
export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(.+\+)?json$/i.test(mediaType.split(';')[0].trim());
}

/** Keys that describe a schema without constraining it: a schema of only these accepts anything. */
const annotations = new Set(['description', 'title', 'example', 'examples', 'default', 'nullable', 'deprecated', 'readOnly', 'writeOnly', 'externalDocs', 'xml', '$comment', '$schema', '$id', '$anchor']);

function constraining(node: ObjectNode): string[] {
  return node.properties.map((p) => p.key).filter((k) => !annotations.has(k) && !k.startsWith('x-'));
}

/** The `type` of a schema as a set (3.1 allows a list). */
export function typesOf(node: ObjectNode): Set<string> {
  const t = node.map.get('type')?.value;
  if (t?.kind === 'scalar' && typeof t.value === 'string') return new Set([t.value]);
  if (t?.kind === 'array') return new Set(t.items.map(stringValue).filter((s): s is string => s !== undefined));
  return new Set();
}

export type Looseness = 'empty' | 'open-object';

/**
 * Why a schema (already dereferenced) accepts any value, if it does: it constrains nothing
 * (`{}`, `true`, only a description), or it is an object with no properties, no pattern
 * properties and no composition whose additionalProperties is absent, `true` or `{}`.
 * A map (`additionalProperties: {type: string}`) is not loose.
 */
export function looseness(node: AstNode): Looseness | undefined {
  if (node.kind === 'scalar') return node.value === true ? 'empty' : undefined;
  if (node.kind !== 'object') return undefined;
  const keys = constraining(node);
  if (keys.length === 0) return 'empty';
  if (['allOf', 'oneOf', 'anyOf', 'not', 'if', 'discriminator', 'enum', 'const', '$ref'].some((k) => node.map.has(k))) return undefined;
  const types = typesOf(node);
  const objectish = types.has('object') || (types.size === 0 && ['properties', 'additionalProperties', 'patternProperties'].some((k) => node.map.has(k)));
  if (!objectish) return undefined;
  const props = node.map.get('properties')?.value;
  if (props?.kind === 'object' && props.properties.length > 0) return undefined;
  const pattern = node.map.get('patternProperties')?.value;
  if (pattern?.kind === 'object' && pattern.properties.length > 0) return undefined;
  const ap = node.map.get('additionalProperties')?.value;
  const open = ap === undefined || (ap.kind === 'scalar' && ap.value === true) || (ap.kind === 'object' && constraining(ap).length === 0);
  return open ? 'open-object' : undefined;
}

/**
 * The property names a schema defines: its own `properties`, and those of its `allOf` branches
 * (through `$ref`s), since `required` may name a property an `allOf` sibling brings in.
 */
export function propertyNames(graph: SpecGraph, file: string, node: AstNode, depth = 0, seen = new Set<AstNode>()): Set<string> {
  const out = new Set<string>();
  const r = graph.deref(file, node);
  if (!r || r.node.kind !== 'object' || seen.has(r.node) || depth > 16) return out;
  seen.add(r.node);
  const props = r.node.map.get('properties')?.value;
  if (props?.kind === 'object') for (const p of props.properties) out.add(p.key);
  const allOf = r.node.map.get('allOf')?.value;
  if (allOf?.kind === 'array') for (const branch of allOf.items) for (const n of propertyNames(graph, r.file, branch, depth + 1, seen)) out.add(n);
  return out;
}

/** The JSON media of a `content` object (dereferenced), with their schemas as written. */
export function jsonMedia(graph: SpecGraph, file: string, content: AstNode | undefined): { mediaType: string; media: Located; schema?: Located }[] {
  const c = content ? graph.deref(file, content) : undefined;
  if (!c || c.node.kind !== 'object') return [];
  const out: { mediaType: string; media: Located; schema?: Located }[] = [];
  for (const p of c.node.properties) {
    if (!isJsonMediaType(p.key)) continue;
    const m = graph.deref(c.file, p.value);
    if (!m || m.node.kind !== 'object') continue;
    const schema = m.node.map.get('schema')?.value;
    out.push({ mediaType: p.key, media: m, ...(schema ? { schema: { file: m.file, node: schema } } : {}) });
  }
  return out;
}

/** Every schema of a `content` object, JSON or not (the reachable-schema rules look at all of them). */
export function contentSchemas(graph: SpecGraph, file: string, content: AstNode | undefined): Located[] {
  const c = content ? graph.deref(file, content) : undefined;
  if (!c || c.node.kind !== 'object') return [];
  const out: Located[] = [];
  for (const p of c.node.properties) {
    const m = graph.deref(c.file, p.value);
    const schema = m?.node.kind === 'object' ? m.node.map.get('schema')?.value : undefined;
    if (m && schema) out.push({ file: m.file, node: schema });
  }
  return out;
}

/** Keys whose value is one subschema, and keys whose value is a map or list of subschemas. */
export const subschemaKeys = ['additionalProperties', 'unevaluatedProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'contains', 'additionalItems', 'unevaluatedItems', 'contentSchema'];
export const subschemaMapKeys = ['properties', 'patternProperties', 'dependentSchemas'];
export const subschemaListKeys = ['prefixItems', 'oneOf', 'anyOf'];
