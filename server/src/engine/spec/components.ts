import { itemsPerSlice, runSteps } from '../steps';
import * as path from 'node:path';
import type { AstNode, ObjectNode, PropertyNode } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import type { RefSite, SpecGraph } from './graph';
import { decodeFragment, parsePointer } from './pointer';
import { httpMethods } from './operations';

/** The sections of `components`, in the order the OpenAPI specification lists them. */
export const componentKinds = ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems'] as const;
export type ComponentKind = (typeof componentKinds)[number];

const kindSet = new Set<string>(componentKinds);

export function isComponentKind(kind: string): kind is ComponentKind {
  return kindSet.has(kind);
}

/** One word per kind, for messages and hovers: "schema", "request body". */
export const kindLabel: Record<ComponentKind, string> = {
  schemas: 'schema',
  responses: 'response',
  parameters: 'parameter',
  examples: 'example',
  requestBodies: 'request body',
  headers: 'header',
  securitySchemes: 'security scheme',
  links: 'link',
  callbacks: 'callback',
  pathItems: 'path item',
};

/**
 * Something a `$ref` can name and a user can rename: `#/components/<kind>/<name>` in any file of
 * a spec, or a top-level entry of a definitions file (a file of schemas referenced as
 * `./schemas.yaml#/Pet`, as split specs often have).
 */
export interface Component {
  file: string;
  /** JSON pointer segments: `['components', 'schemas', 'Pet']` or `['Pet']`. */
  segments: string[];
  name: string;
  /** The kind, from the section (`components/schemas`) or guessed from the content (definitions files). */
  kind?: ComponentKind;
  /** The key of the component in its file. */
  property: PropertyNode;
  /** The mapping that holds it (for collisions and deletion). */
  parent: ObjectNode;
}

/** True for a document that is neither an OpenAPI root nor a path item: a file of definitions. */
export function isDefinitionsFile(doc: ParsedDocument): boolean {
  const root = doc.root;
  if (root?.kind !== 'object') return false;
  if (root.map.has('openapi') || root.map.has('swagger') || root.map.has('paths') || root.map.has('components')) return false;
  return !root.properties.some((p) => (httpMethods as readonly string[]).includes(p.key));
}

/** The component that a pointer into `doc` is in (the pointer itself or something below it). */
export function componentAtPointer(doc: ParsedDocument, segments: readonly string[], rootFiles: ReadonlySet<string>): Component | undefined {
  const root = doc.root;
  if (root?.kind !== 'object') return undefined;
  if (segments.length >= 3 && segments[0] === 'components' && isComponentKind(segments[1])) {
    const section = root.map.get('components')?.value;
    const parent = section?.kind === 'object' ? section.map.get(segments[1])?.value : undefined;
    const property = parent?.kind === 'object' ? parent.map.get(segments[2]) : undefined;
    if (!property || parent?.kind !== 'object') return undefined;
    return { file: doc.path, segments: segments.slice(0, 3), name: segments[2], kind: segments[1], property, parent };
  }
  if (segments.length >= 1 && !rootFiles.has(doc.path) && isDefinitionsFile(doc)) {
    const property = root.map.get(segments[0]);
    if (!property) return undefined;
    return { file: doc.path, segments: [segments[0]], name: segments[0], kind: guessKind(property.value), property, parent: root };
  }
  return undefined;
}

/** The component whose key is at `offset` (a key in `components/<kind>`, or a top-level key of a definitions file). */
export function componentKeyAt(doc: ParsedDocument, offset: number, rootFiles: ReadonlySet<string>): Component | undefined {
  const root = doc.root;
  if (root?.kind !== 'object') return undefined;
  const onKey = (p: PropertyNode) => offset >= p.keyStart && offset <= p.keyEnd;
  const section = root.map.get('components')?.value;
  if (section?.kind === 'object') {
    for (const kindProp of section.properties) {
      if (!isComponentKind(kindProp.key) || kindProp.value.kind !== 'object') continue;
      if (offset < kindProp.value.start || offset > kindProp.value.end) continue;
      const hit = kindProp.value.properties.find(onKey);
      if (hit) return componentAtPointer(doc, ['components', kindProp.key, hit.key], rootFiles);
    }
  }
  if (!rootFiles.has(doc.path) && isDefinitionsFile(doc)) {
    const hit = root.properties.find(onKey);
    if (hit) return componentAtPointer(doc, [hit.key], rootFiles);
  }
  return undefined;
}

/** Every component of a document: each entry of each `components` section, or each top-level entry of a definitions file. */
export function componentsOf(doc: ParsedDocument, rootFiles: ReadonlySet<string>): Component[] {
  const out: Component[] = [];
  const root = doc.root;
  if (root?.kind !== 'object') return out;
  const section = root.map.get('components')?.value;
  if (section?.kind === 'object') {
    for (const kindProp of section.properties) {
      if (!isComponentKind(kindProp.key) || kindProp.value.kind !== 'object') continue;
      for (const p of kindProp.value.properties) out.push({ file: doc.path, segments: ['components', kindProp.key, p.key], name: p.key, kind: kindProp.key, property: p, parent: kindProp.value });
    }
  } else if (!rootFiles.has(doc.path) && isDefinitionsFile(doc)) {
    for (const p of root.properties) out.push({ file: doc.path, segments: [p.key], name: p.key, kind: guessKind(p.value), property: p, parent: root });
  }
  return out;
}

/** What a definition in a file of definitions most likely is, from its keys. */
export function guessKind(node: AstNode): ComponentKind | undefined {
  if (node.kind !== 'object') return undefined;
  const has = (k: string) => node.map.has(k);
  if (has('in') && has('name')) return 'parameters';
  if (has('type') || has('properties') || has('allOf') || has('oneOf') || has('anyOf') || has('enum') || has('items') || has('$ref')) return 'schemas';
  if (has('description') && (has('content') || has('headers') || has('links'))) return 'responses';
  if (has('content')) return 'requestBodies';
  if (httpMethods.some((m) => has(m))) return 'pathItems';
  if (has('value') || has('externalValue')) return 'examples';
  if (has('description')) return 'responses';
  return undefined;
}

/** Where a reference points, as a file and pointer segments (before checking that it resolves). */
export interface PointerTarget {
  file: string;
  segments: string[];
}

/**
 * One use of a component: a `$ref` (resolved by the graph), a discriminator mapping value
 * (`dog: '#/components/schemas/Dog'`, or a bare schema name `dog: Dog`), or a `$ref` written inside
 * data (an `example`, an example's `value`).
 */
export interface Use {
  kind: '$ref' | 'mapping' | 'data';
  /** The file the use is written in. */
  file: string;
  /** The value token (a string scalar). */
  node: AstNode;
  /** The value as written. */
  value: string;
  /** Where it points; undefined when it does not resolve. */
  target?: PointerTarget;
}

/** Splits a reference into its file (resolved against `from`) and its pointer. Undefined for remote URLs. */
export function referenceTarget(from: string, ref: string): PointerTarget | undefined {
  const hash = ref.indexOf('#');
  const filePart = hash >= 0 ? ref.slice(0, hash) : ref;
  const fragment = hash >= 0 ? ref.slice(hash + 1) : '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(filePart) && !/^[a-z]:[\\/]/i.test(filePart)) return undefined;
  let file = from;
  if (filePart !== '') {
    let decoded = filePart;
    try {
      decoded = decodeURI(filePart);
    } catch {
      /* keep as written */
    }
    file = path.resolve(path.dirname(from), decoded);
  }
  const pointer = decodeFragment(fragment);
  if (pointer !== '' && !pointer.startsWith('/')) return undefined;
  return { file, segments: parsePointer(pointer) };
}

/** A `$ref` of the graph as a use. */
export function refUse(site: RefSite): Use {
  return { kind: '$ref', file: site.file, node: site.valueNode, value: site.ref, target: site.target ? { file: site.target.file, segments: parsePointer(site.target.pointer) } : undefined };
}

/** Every use of every component in a spec: its `$ref`s, its discriminator mappings, `$ref`s written inside data. */
export function usesOf(graph: SpecGraph): Use[] {
  return runSteps(usesOfSteps(graph));
}

/** {@link usesOf}, pausing (yielding) every few thousand nodes of a large document. */
export function* usesOfSteps(graph: SpecGraph): Generator<void, Use[]> {
  const out: Use[] = [];
  let work = 0;
  for (const site of graph.refs) {
    if (++work % itemsPerSlice === 0) yield;
    if (site.valueNode.kind !== 'scalar' || typeof site.valueNode.value !== 'string') continue;
    out.push(refUse(site));
  }
  for (const [file, doc] of graph.documents) {
    // Only YAML aliases share nodes (and could loop): other trees need no visited set.
    if (doc.root) yield* collectMappings(doc.root, file, graph.root, out, doc.sharesNodes ? new Set() : undefined);
  }
  return out;
}

const dataKeys = new Set(['example', 'examples', 'default', 'enum', 'const']);

/** Where a discriminator mapping value points: a reference (with "#" or a path), or the name of a schema of the root document. */
export function mappingTarget(file: string, rootFile: string, value: string): PointerTarget | undefined {
  const isRef = value.includes('#') || value.includes('/') || /\.(ya?ml|json)$/i.test(value);
  return isRef ? referenceTarget(file, value) : { file: rootFile, segments: ['components', 'schemas', value] };
}

/** True for a key whose value is data (examples, defaults, extensions), where `$ref` is not a reference. */
export function isDataKey(key: string): boolean {
  return dataKeys.has(key) || key.startsWith('x-');
}

/** Discriminator mappings and `$ref`s inside data, in document order, with an explicit stack (pausing every 10,000 nodes). */
function* collectMappings(root: AstNode, file: string, rootFile: string, out: Use[], seen: Set<AstNode> | undefined): Generator<void, void> {
  // Two parallel stacks (node, and whether it lies inside data): no allocation per node.
  const nodes: AstNode[] = [root];
  const inDataStack: boolean[] = [false];
  let visited = 0;
  while (nodes.length > 0) {
    if (++visited % 10_000 === 0) yield;
    const node = nodes.pop()!;
    const inData = inDataStack.pop()!;
    if (node.kind === 'scalar') continue;
    if (seen) {
      if (seen.has(node)) continue;
      seen.add(node);
    }
    if (node.kind === 'array') {
      for (let i = node.items.length - 1; i >= 0; i--) {
        if (node.items[i].kind === 'scalar') continue;
        nodes.push(node.items[i]);
        inDataStack.push(inData);
      }
      continue;
    }
    if (inData) {
      // `example: {$ref: '#/components/examples/x'}`, or a `$ref` inside an example's value, is data by
      // the specification, but descriptions (GitHub's among them) write it to mean the example: a
      // use (renamed with the component, and never reported unused), not a reference to check.
      const ref = node.map.get('$ref')?.value;
      if (ref?.kind === 'scalar' && typeof ref.value === 'string') out.push({ kind: 'data', file, node: ref, value: ref.value, target: referenceTarget(file, ref.value) });
    } else {
      const mapping = node.map.get('discriminator')?.value;
      const entries = mapping?.kind === 'object' ? mapping.map.get('mapping')?.value : undefined;
      if (entries?.kind === 'object') {
        for (const p of entries.properties) {
          const v = p.value;
          if (v.kind !== 'scalar' || typeof v.value !== 'string' || v.value === '') continue;
          out.push({ kind: 'mapping', file, node: v, value: v.value, target: mappingTarget(file, rootFile, v.value) });
        }
      }
    }
    for (let i = node.properties.length - 1; i >= 0; i--) {
      const p = node.properties[i];
      if (p.key === '$ref' || p.value.kind === 'scalar') continue;
      nodes.push(p.value);
      inDataStack.push(inData || isDataKey(p.key));
    }
  }
}

/** True when `segments` is `prefix` or lies below it. */
export function startsWith(segments: readonly string[], prefix: readonly string[]): boolean {
  if (segments.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (segments[i] !== prefix[i]) return false;
  return true;
}

/** The root files of a set of graphs (a root spec is never a definitions file). */
export function rootFilesOf(graphs: Iterable<SpecGraph>): Set<string> {
  const out = new Set<string>();
  for (const g of graphs) out.add(g.root);
  return out;
}
