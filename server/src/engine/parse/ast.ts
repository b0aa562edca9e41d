/**
 * One position-keeping tree for YAML and JSON alike, so every check is written once. Offsets are
 * UTF-16 indexes into the file's text; `start`/`end` cover the value's source, `keyStart`/`keyEnd`
 * cover a key's token (quotes included).
 */
export type AstNode = ObjectNode | ArrayNode | ScalarNode;

export interface ObjectNode {
  kind: 'object';
  start: number;
  end: number;
  properties: PropertyNode[];
  /** Last occurrence wins, as in JSON.parse; duplicates are reported separately. */
  map: Map<string, PropertyNode>;
}

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
