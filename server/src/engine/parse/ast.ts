/**
 * One position-keeping tree for YAML and JSON alike, so every check is written once. Offsets are
 * UTF-16 indexes into the file's text; `start`/`end` cover the value's source, `keyStart`/`keyEnd`
 * cover a key's token (quotes included).
 */
export type AstNode = ObjectNode | ArrayNode | ScalarNode;

/**
 * `s` as a string of its own. V8 keeps a substring of 13 characters or more as a view of the
 * string it was cut from, so a key or a value sliced from a document's text would keep that whole
 * text alive for as long as the tree lives: 26 MB for GitHub's description, one more each time
 * the editor's text replaces the one the tree was first parsed from. Parsers pass every key and
 * string value through here (JSON.parse copies, and into one byte per character when it can).
 */
export function own(s: string): string {
  return s.length < minViewLength ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** V8 makes a substring of this many characters or more a view of the string it was cut from. */
export const minViewLength = 13;

/**
 * A mapping. Its properties are kept in source order; `map` looks them up by key, the last
 * occurrence winning as in JSON.parse (duplicates are reported separately). Most mappings of an
 * OpenAPI document have a handful of keys, so a lookup scans them: only a mapping with many keys
 * gets a hash map, built on first use. (A Map per mapping was half of the memory of a parsed
 * 13 MB description.)
 */
export class ObjectNode implements ReadonlyMap<string, PropertyNode> {
  readonly kind = 'object';
  /** Built on the first lookup in a large mapping, or in one with duplicate keys; kept up to date by {@link add}. */
  #lookup: Map<string, PropertyNode> | undefined;
  /** Whether a key occurs twice; undefined until known (properties given to the constructor). */
  #duplicates: boolean | undefined;

  constructor(
    public start: number,
    public end: number,
    /** In source order. Add to them only through {@link add}; replaced only by {@link seal}. */
    public properties: PropertyNode[] = [],
  ) {
    this.#duplicates = properties.length === 0 ? false : undefined;
  }

  /** The mapping by key (this object: it answers as a read-only Map). */
  get map(): ReadonlyMap<string, PropertyNode> {
    return this;
  }

  /** Appends a property; returns the earlier property with the same key, if any. */
  add(p: PropertyNode): PropertyNode | undefined {
    const previous = this.get(p.key);
    this.properties.push(p);
    if (previous) this.#duplicates = true;
    this.#lookup?.set(p.key, p);
    return previous;
  }

  get(key: string): PropertyNode | undefined {
    const properties = this.properties;
    if (properties.length <= linearLookup && !this.#lookup) {
      for (let i = properties.length - 1; i >= 0; i--) if (properties[i].key === key) return properties[i];
      return undefined;
    }
    return this.lookup().get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.#duplicates === false ? this.properties.length : this.lookup().size;
  }

  *entries(): MapIterator<[string, PropertyNode]> {
    if (this.#duplicates !== false) this.lookup();
    if (this.#duplicates) {
      yield* this.lookup().entries();
      return;
    }
    for (const p of this.properties) yield [p.key, p];
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<PropertyNode> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, PropertyNode]> {
    return this.entries();
  }

  forEach(callback: (value: PropertyNode, key: string, map: ReadonlyMap<string, PropertyNode>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }

  private lookup(): Map<string, PropertyNode> {
    if (!this.#lookup) {
      const map = new Map<string, PropertyNode>();
      for (const p of this.properties) map.set(p.key, p);
      this.#lookup = map;
      this.#duplicates = map.size !== this.properties.length;
    }
    return this.#lookup;
  }
}

/**
 * Gives a finished mapping or sequence an array of its exact size. Parsers push children one at a
 * time, and V8 grows an array by half its size plus 16 slots: a mapping of three keys held 17.
 * Over GitHub's description that slack was 10.5 MB of a 62 MB tree, held in the server and
 * again in the quality worker while it runs. Parsers call this when a container closes.
 */
export function seal(node: ObjectNode | ArrayNode): void {
  if (node.kind === 'object') node.properties = node.properties.slice();
  else node.items = node.items.slice();
}

/** Up to this many keys, a lookup scans the properties instead of hashing. */
const linearLookup = 12;

export interface ArrayNode {
  kind: 'array';
  start: number;
  end: number;
  items: AstNode[];
}

export interface ScalarNode {
  kind: 'scalar';
  start: number;
  end: number;
  value: string | number | boolean | null;
}

export interface PropertyNode {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** Offset of the key's first content character (after an opening quote). */
  keyContentStart: number;
  /** True when key characters map one-to-one onto source characters (no escapes, no folding). */
  keyVerbatim: boolean;
  value: AstNode;
}

export function prop(node: AstNode | undefined, key: string): PropertyNode | undefined {
  return node?.kind === 'object' ? node.map.get(key) : undefined;
}

export function child(node: AstNode | undefined, key: string): AstNode | undefined {
  return node?.kind === 'object' ? node.map.get(key)?.value : undefined;
}

export function stringValue(node: AstNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** The last child of a mapping or sequence that starts at or before `offset` (children are in source order). */
export function childAt(node: AstNode, offset: number): AstNode | undefined {
  const i = childIndexAt(node, offset);
  if (i < 0 || node.kind === 'scalar') return undefined;
  return node.kind === 'object' ? node.properties[i].value : node.items[i];
}

/** The index of {@link childAt}'s child among the properties or items; -1 when there is none. */
export function childIndexAt(node: AstNode, offset: number): number {
  if (node.kind === 'scalar') return -1;
  const child = (i: number) => (node.kind === 'object' ? node.properties[i].value : node.items[i]);
  let lo = 0;
  let hi = (node.kind === 'object' ? node.properties.length : node.items.length) - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (child(mid).start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Source offsets of characters [from, to) of a key's text, falling back to the whole key. */
export function keySubSpan(p: PropertyNode, from: number, to: number): { start: number; end: number } {
  if (!p.keyVerbatim) return { start: p.keyStart, end: p.keyEnd };
  return { start: p.keyContentStart + from, end: p.keyContentStart + to };
}

/** Converts a subtree to plain JavaScript values (for consumers such as Spectral). */
export function toValue(node: AstNode, seen = new Set<AstNode>()): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'array': {
      if (seen.has(node)) return null;
      seen.add(node);
      const out = node.items.map((n) => toValue(n, seen));
      seen.delete(node);
      return out;
    }
    case 'object': {
      if (seen.has(node)) return null;
      seen.add(node);
      const out: Record<string, unknown> = {};
      for (const [k, p] of node.map) out[k] = toValue(p.value, seen);
      seen.delete(node);
      return out;
    }
  }
}
