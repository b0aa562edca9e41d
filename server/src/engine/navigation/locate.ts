import { getLocation } from 'jsonc-parser';
import { childIndexAt, type AstNode, type PropertyNode } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import type { Span } from '../findings';
import { isDataKey, mappingTarget, referenceTarget, refUse, type Use } from '../spec/components';
import type { NavigationView, NavSpec } from './view';

/** A key of a mapping, or the position of an item in a sequence (`-1` when not known). */
export type Segment = string | number;

/** Offset is inside [start, end], ends included (a cursor right after a token still touches it). */
export function within(offset: number, span: { start: number; end: number }): boolean {
  return offset >= span.start && offset <= span.end;
}

/** The end of a node without the blank lines and spaces a block YAML value carries after it. */
export function trimmedEnd(text: string, node: { start: number; end: number }): number {
  let end = node.end;
  while (end > node.start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** The whole of a property (key through value) and its key, for a location's range and selection. */
export function propertySpans(doc: ParsedDocument, p: PropertyNode): { target: Span; selection: Span } {
  return {
    target: { file: doc.path, start: p.keyStart, end: Math.max(p.keyEnd, trimmedEnd(doc.text, p.value)) },
    selection: { file: doc.path, start: p.keyStart, end: p.keyEnd },
  };
}

/** Where a JSON pointer lands in a document: the property that holds the node (or the node itself for items and the root). */
export function pointerLocation(doc: ParsedDocument, segments: readonly string[]): { node: AstNode; target: Span; selection: Span } | undefined {
  let node = doc.root;
  if (!node) return undefined;
  let holder: PropertyNode | undefined;
  for (const seg of segments) {
    if (node.kind === 'object') {
      holder = node.map.get(seg);
      if (!holder) return undefined;
      node = holder.value;
    } else if (node.kind === 'array' && /^(0|[1-9]\d*)$/.test(seg) && node.items[Number(seg)]) {
      holder = undefined;
      node = node.items[Number(seg)];
    } else return undefined;
  }
  if (holder) return { node, ...propertySpans(doc, holder) };
  const span: Span = { file: doc.path, start: node.start, end: trimmedEnd(doc.text, node) };
  return { node, target: span, selection: segments.length === 0 ? { file: doc.path, start: node.start, end: node.start } : span };
}

/**
 * The use under the cursor (a `$ref` value, a discriminator mapping value, a `$ref` inside data)
 * and the spec it was found in. Looks only at the path to the cursor (a binary search among each
 * container's children) and the graph's reference of the object found there, never at the whole
 * document or every reference: hover and definition stay cheap on large specs (Microsoft Graph's
 * description has 104,617 references: a scan of them took 7.5 ms in isolation, 30-60 ms a hover in
 * the server with the quality pass running beside it; the path takes 0.02 ms).
 */
export function useAt(view: NavigationView, offset: number): { use: Use; spec: NavSpec } | undefined {
  const here = view.doc?.root && pathAt(view.doc.root, offset);
  for (const spec of view.specs) {
    const doc = spec.graph.documents.get(view.file);
    const at = doc === view.doc ? here : doc?.root && pathAt(doc.root, offset);
    if (!at?.parent || at.keys[at.keys.length - 1] !== '$ref' || at.node.kind !== 'scalar' || typeof at.node.value !== 'string') continue;
    const site = spec.graph.refAt(at.parent);
    if (site && site.file === view.file && site.valueNode === at.node) return { use: refUse(site), spec };
  }
  const spec = view.specs[0];
  if (!spec || !here) return undefined;
  const { node, keys } = here;
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return undefined;
  const value = node.value;
  const file = view.file;
  const n = keys.length;
  if (n >= 3 && keys[n - 3] === 'discriminator' && keys[n - 2] === 'mapping') return { use: { kind: 'mapping', file, node, value, target: mappingTarget(file, spec.graph.root, value) }, spec };
  if (keys[n - 1] === '$ref' && keys.slice(0, -1).some(isDataKey)) return { use: { kind: 'data', file, node, value, target: referenceTarget(file, value) }, spec };
  return undefined;
}

/**
 * The innermost node whose source holds `offset` (ends included; an empty value holds nothing),
 * the keys leading to it (a sequence's items add none), and the container it belongs to.
 */
function pathAt(root: AstNode, offset: number): { node: AstNode; keys: string[]; parent: AstNode | undefined } {
  const keys: string[] = [];
  let node: AstNode = root;
  let parent: AstNode | undefined;
  for (;;) {
    const i = childIndexAt(node, offset);
    if (i < 0) break;
    let next: AstNode;
    if (node.kind === 'object') {
      const p = node.properties[i];
      if (!within(offset, p.value) || p.value.start >= p.value.end) break;
      keys.push(p.key);
      next = p.value;
    } else if (node.kind === 'array') {
      next = node.items[i];
      if (!within(offset, next)) break;
    } else break;
    parent = node;
    node = next;
  }
  return { node, keys, parent };
}

/**
 * Where the cursor is in a YAML or JSON document, read from the text around it so that a half-typed
 * line still tells where it belongs: the keys from the root down, whether a key or a value is being
 * written, what was typed so far and the token a completion replaces.
 */
export interface CursorContext {
  /** Keys and item positions from the root. For a value, ends with its key; for a key, the mapping it goes in. */
  path: Segment[];
  at: 'key' | 'value' | 'item';
  /** The text typed so far (inside the quotes). */
  prefix: string;
  /** The token a completion replaces, quotes included. */
  replace: { start: number; end: number };
  /** The opening quote of the token, if any. */
  quote?: '"' | "'";
}

export function cursorContext(doc: ParsedDocument, offset: number): CursorContext | undefined {
  return doc.format === 'json' ? jsonContext(doc.text, offset) : yamlContext(doc.text, offset);
}

function jsonContext(text: string, offset: number): CursorContext | undefined {
  const loc = getLocation(text, offset);
  const node = loc.previousNode;
  const token = node && node.type === 'string' && offset > node.offset && offset <= node.offset + node.length ? node : undefined;
  const replace = token ? { start: token.offset, end: token.offset + token.length } : { start: offset, end: offset };
  const prefix = token ? text.slice(token.offset + 1, offset) : '';
  const quote = token ? '"' : undefined;
  if (loc.isAtPropertyKey) return { path: loc.path.slice(0, -1), at: 'key', prefix, replace, quote };
  const last = loc.path[loc.path.length - 1];
  return { path: loc.path, at: typeof last === 'number' ? 'item' : 'value', prefix, replace, quote };
}

const keyPattern = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:,[\]{}][^#]*?|-[^\s#][^#]*?)\s*:(?=\s|$)/;

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key.trim();
}

/** A line without its comment (a `#` at the start or after a space, outside quotes). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(line[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

function yamlContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const before = text.slice(lineStart, offset);
  const line = text.slice(lineStart, lineEnd);
  const head = /^(\s*)((?:-\s+)*)/.exec(before)!;
  const dashes = head[2];
  const contentCol = head[0].length;
  const rest = before.slice(contentCol);
  const dashPath = (): Segment[] => (dashes ? dashes.trim().split(/\s+/).map(() => -1) : []);
  const keyMatch = keyPattern.exec(rest);
  if (keyMatch) {
    // A value: `key: typed so far`.
    const key = unquote(keyMatch[1]);
    let valueStart = lineStart + contentCol + keyMatch[0].length;
    while (valueStart < offset && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
    const token = scalarToken(text, valueStart, lineEnd, offset);
    if (!token) return undefined;
    const parent = yamlParentPath(text, lineStart, dashes ? head[1].length : contentCol, dashes !== '');
    return { path: [...parent, ...dashPath(), key], at: 'value', ...token };
  }
  if (dashes && !/:\s/.test(line.slice(contentCol))) {
    // A sequence item being written: `- typed so far`.
    const token = scalarToken(text, lineStart + contentCol, lineEnd, offset);
    if (!token) return undefined;
    const parent = yamlParentPath(text, lineStart, head[1].length, true);
    return { path: [...parent, ...dashPath()], at: 'item', ...token };
  }
  if (/^("[^"]*"?|'[^']*'?|[^\s:#'"][^:#]*)?$/.test(rest)) {
    // A key being written (nothing after it but maybe the rest of the word).
    let end = offset;
    while (end < lineEnd && !/[\s:]/.test(text[end])) end++;
    const start = lineStart + contentCol;
    const quote = text[start] === '"' || text[start] === "'" ? (text[start] as '"' | "'") : undefined;
    if (quote && text[end - 1] !== quote && text[end] === quote) end++;
    const parent = yamlParentPath(text, lineStart, dashes ? head[1].length : contentCol, dashes !== '');
    return { path: [...parent, ...dashPath()], at: 'key', prefix: text.slice(start + (quote ? 1 : 0), offset), replace: { start, end }, quote };
  }
  return undefined;
}

/** The scalar token starting at `start` on the cursor's line: quoted (to its closing quote) or plain (to the end of the line). */
function scalarToken(text: string, start: number, lineEnd: number, offset: number): Pick<CursorContext, 'prefix' | 'replace' | 'quote'> | undefined {
  const q = text[start];
  if (q === '"' || q === "'") {
    let end = start + 1;
    while (end < lineEnd && text[end] !== q) end++;
    if (offset <= start) return undefined;
    if (end < lineEnd && offset > end) return undefined;
    return { prefix: text.slice(start + 1, offset), replace: { start, end: end < lineEnd ? end + 1 : end }, quote: q };
  }
  let end = lineEnd;
  const comment = stripComment(text.slice(start, lineEnd));
  end = start + comment.replace(/\s+$/, '').length;
  if (offset < start) return { prefix: '', replace: { start: offset, end: offset } };
  return { prefix: text.slice(start, offset), replace: { start, end: Math.max(end, offset) } };
}

/**
 * The keys that lead to a node starting at column `col` of the line at `lineStart`, found by
 * walking up through lines of smaller indentation. `isItem`: the node is a sequence item (its dash
 * is at `col`), so a parent key may sit at the same column (`tags:` / `- pets`).
 */
function yamlParentPath(text: string, lineStart: number, col: number, isItem: boolean): Segment[] {
  const out: Segment[] = [];
  let need = col;
  let item = isItem;
  let pos = lineStart;
  while (pos > 0 && (need > 0 || item)) {
    const newline = pos - 1;
    const start = newline === 0 ? 0 : text.lastIndexOf('\n', newline - 1) + 1;
    const raw = stripComment(text.slice(start, newline).replace(/\r$/, ''));
    pos = start;
    if (raw.trim() === '' || raw.startsWith('---') || raw.startsWith('...')) continue;
    const m = /^(\s*)((?:-\s+)*)(.*)$/.exec(raw)!;
    const lead = m[1].length;
    const contentCol = lead + m[2].length;
    const key = keyPattern.exec(m[3]);
    if (m[2]) {
      // A sequence item line: deeper lines and earlier items of the same sequence say nothing.
      if (lead >= need) continue;
      if (contentCol === need || (contentCol < need && key)) {
        // The node is in this item: a sibling key of the item's mapping, or below one of its keys.
        if (contentCol < need && key) out.unshift(unquote(key[1]));
        out.unshift(-1);
        need = lead;
        item = true;
      }
      continue;
    }
    if (lead < need && key) {
      out.unshift(unquote(key[1]));
      need = lead;
      item = false;
    } else if (item && lead === need && key) {
      // `tags:` over `- pets` at the same column; any other key there means the sequence is the root.
      if (m[3].slice(key[0].length).trim() !== '') break;
      out.unshift(unquote(key[1]));
      item = false;
    }
  }
  return out;
}

/** The node at a path of keys (items: the one that holds `offset`), in the current parse. */
export function nodeAtPath(root: AstNode | undefined, path: readonly Segment[], offset: number): AstNode | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'string') {
      node = node.kind === 'object' ? node.map.get(seg)?.value : undefined;
    } else if (node.kind === 'array') {
      node = seg >= 0 ? node.items[seg] : (node.items.find((i) => within(offset, i)) ?? [...node.items].reverse().find((i) => i.start <= offset));
    } else return undefined;
  }
  return node;
}
