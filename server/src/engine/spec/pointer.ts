import type { AstNode } from '../parse/ast';

/** Splits a JSON pointer ("/a/b~1c") into unescaped segments; "" and "/" handling per RFC 6901. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' ) return [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return body.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(segments: readonly string[]): string {
  return segments.map((s) => '/' + escapeSegment(s)).join('');
}

/**
 * The name a `$ref` gives its target: the last pointer segment, or the file name without its
 * extension. A malformed percent-escape is kept as written rather than failing the caller.
 */
export function refName(ref: string): string {
  const hash = ref.indexOf('#');
  if (hash < 0) return (ref.split(/[\\/]/).pop() ?? '').replace(/\.(ya?ml|json)$/i, '');
  const last = ref.slice(hash + 1).split('/').pop() ?? '';
  return decodeFragment(last).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A URI fragment is percent-encoded; the pointer inside it is not. */
export function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

export type PointerResult =
  | { ok: true; node: AstNode }
  | { ok: false; resolvedSegments: string[]; missing: string; parent: AstNode };

/** Walks the AST along a pointer, reporting where it stopped when a segment is missing. */
export function resolvePointer(root: AstNode, segments: readonly string[]): PointerResult {
  let node: AstNode = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    let next: AstNode | undefined;
    if (node.kind === 'object') next = node.map.get(seg)?.value;
    else if (node.kind === 'array' && /^(0|[1-9]\d*)$/.test(seg)) next = node.items[Number(seg)];
    if (!next) return { ok: false, resolvedSegments: segments.slice(0, i), missing: seg, parent: node };
    node = next;
  }
  return { ok: true, node };
}
