import { ObjectNode, childAt, seal, type ArrayNode, type AstNode, type PropertyNode } from './ast';
import type { ParsedDocument, RawProblem } from './document';
import { formatOf } from './document';
import { parseValidJson } from './json';
import { parseYaml } from './yaml';
import { LineIndex, changedStretch, type TextChange } from '../text';
import { runSteps } from '../steps';

/**
 * Incremental re-parsing of JSON and YAML: after an edit, only the smallest value that holds the whole
 * edit is parsed again, and the new tree shares every node that lies before the edit with the
 * previous one. Nodes after the edit are copied with their offsets moved (trees are immutable:
 * the last published result still reads the old one). A one-character edit in the middle of
 * GitHub's 13 MB description costs a few milliseconds of parsing instead of a whole parse.
 *
 * Whenever the shortcut cannot be sure of giving the tree a full parse would give (the old text
 * had syntax errors, the edited value no longer parses on its own, the edit touches the root),
 * it answers undefined and the caller parses the whole text. test/unit/parse-incremental.test.ts
 * compares both over thousands of random edits.
 */

/** A document re-parsed after an edit, and what the edit was. */
export interface Reparsed {
  doc: ParsedDocument;
  change: TextChange;
  /**
   * The edit stayed inside one scalar that is neither a `$ref` nor a discriminator mapping value
   * (a description typed into, a number changed): the tree has the same shape, every key and every
   * reference is what it was, only offsets after the edit moved. Whatever was derived from the
   * shape alone (the `$ref` graph, unused components) can be carried over with moved offsets.
   */
  scalarOnly: boolean;
}

/**
 * `previous` re-parsed for `text` by parsing only what the edit touched; undefined when only a
 * full parse can say (the caller then does one).
 */
export function reparse(previous: ParsedDocument, text: string): Reparsed | undefined {
  return runSteps(reparseSteps(previous, text, Infinity));
}

/** {@link reparse}, pausing (yielding) every `slice` nodes while it copies the nodes after the edit. */
export function* reparseSteps(previous: ParsedDocument, text: string, slice: number): Generator<void, Reparsed | undefined> {
  if (formatOf(previous.path, text) !== previous.format || !previous.root) return undefined;
  if (previous.problems.some((p) => p.kind === 'syntax')) return undefined;
  // A YAML tree with shared nodes (aliases) cannot be patched in one place.
  if (previous.sharesNodes) return undefined;
  const change = changedStretch(previous.text, text);
  const path = enclosingPath(previous.root, change);
  // Innermost first; its parent when the edit reaches past it (a value typed after a value).
  for (let level = path.length - 1; level >= Math.max(1, path.length - 2); level--) {
    const replaced = yield* replaceAt(previous, text, change, path, level, slice);
    if (replaced) return { doc: replaced.doc, change, scalarOnly: replaced.fresh.kind === 'scalar' && plainScalar(path, level) };
  }
  return undefined;
}

/** True when `path[level]` is a scalar, and not the value of `$ref` or of a discriminator mapping. */
function plainScalar(path: AstNode[], level: number): boolean {
  if (path[level].kind !== 'scalar') return false;
  const parent = path[level - 1];
  const grandparent = level >= 2 ? path[level - 2] : undefined;
  if (parent.kind === 'object' && parent.properties.find((p) => p.value === path[level])?.key === '$ref') return false;
  return !(grandparent?.kind === 'object' && grandparent.properties.find((p) => p.value === parent)?.key === 'mapping');
}

/** The nodes from the root down to the innermost value whose source holds all of [start, oldEnd]. */
function enclosingPath(root: AstNode, change: TextChange): AstNode[] {
  const path: AstNode[] = [];
  const holds = (n: AstNode) => n.start <= change.start && change.oldEnd <= n.end;
  let node: AstNode | undefined = holds(root) ? root : undefined;
  while (node) {
    path.push(node);
    node = childAt(node, change.start);
    if (node && !holds(node)) node = undefined;
  }
  return path;
}

function* replaceAt(previous: ParsedDocument, text: string, change: TextChange, path: AstNode[], level: number, slice: number): Generator<void, { doc: ParsedDocument; fresh: AstNode } | undefined> {
  const target = path[level];
  const delta = change.newEnd - change.oldEnd;
  const parsed = previous.format === 'json' ? jsonValue(text, target.start, target.end + delta, level) : yamlValue(previous, text, path, level, delta);
  if (!parsed) return undefined;
  const fresh = parsed.root;
  const from = parsed.base;
  shiftInPlace(fresh, from);
  // Rebuild the ancestors, innermost first: earlier children shared, later ones moved.
  const mover = new Mover(delta);
  let replacement: AstNode = fresh;
  for (let i = level - 1; i >= 0; i--) replacement = withChild(path[i], path[i + 1], replacement, mover);
  yield* mover.run(slice);
  const problems: RawProblem[] = [
    ...previous.problems.filter((p) => p.start < target.start),
    ...parsed.problems.map((p) => movedProblem(p, from, 0)).sort((a, b) => a.start - b.start),
    ...previous.problems.filter((p) => p.start >= target.end).map((p) => movedProblem(p, delta, target.end)),
  ];
  return { doc: { path: previous.path, text, format: previous.format, root: replacement, problems, lines: LineIndex.after(previous.lines, text, change) }, fresh };
}

/** The JSON value at [from, end) of `text`, parsed on its own (offsets from `from`). */
function jsonValue(text: string, from: number, end: number, depth: number): { root: AstNode; problems: RawProblem[]; base: number } | undefined {
  const parsed = parseValidJson(text.slice(from, end), depth);
  return parsed && { ...parsed, base: from };
}

/**
 * The YAML value that replaces `target`, parsed on its own: the text from the start of its line
 * to its new end, with whatever precedes it on that line (a key, a `- `) turned into spaces, so
 * that every column, and with it every indentation rule, is what it is in the whole document.
 * Offsets are from the start of that line. Undefined when the result could differ from a parse
 * of the whole text: anchors, aliases, tags or directives near the edit; a parse error; a value
 * of another kind (a scalar that became `a: b` is a mapping on its own but an error after a key);
 * a value that does not end exactly where the edited one does.
 */
function yamlValue(previous: ParsedDocument, text: string, path: AstNode[], level: number, delta: number): { root: AstNode; problems: RawProblem[]; base: number } | undefined {
  const target = path[level];
  const from = target.start;
  const end = target.end + delta;
  // Inside a flow collection (`{type: string}`), scalars follow other rules: parse the collection.
  if (path.slice(0, level).some((a) => previous.text[a.start] === '[' || previous.text[a.start] === '{')) return undefined;
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const body = text.slice(from, end);
  const risky = /[&*!%\t]|^(---|\.\.\.)/m;
  if (risky.test(body) || risky.test(previous.text.slice(from, target.end))) return undefined;
  // A value whose last line is a comment ends, for the whole document, where the next
  // content starts (the yaml package's ranges): not something a part can know.
  const lastLine = (t: string) => t.slice(t.lastIndexOf('\n') + 1);
  if (/^[ ]*#/.test(lastLine(body)) || /^[ ]*#/.test(lastLine(previous.text.slice(from, target.end)))) return undefined;
  // The value must end where its line does (a plain scalar runs to the end of its line).
  const after = text.slice(end, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
  if (text[end - 1] !== '\n' && !/^[ ]*(#.*)?$/.test(after)) return undefined;
  // After a key, on the key's line, a collection can only be a flow one (`- ` may start a block one).
  const prefix = text.slice(lineStart, from);
  if (target.kind !== 'scalar' && !/^[ -]*$/.test(prefix) && body[0] !== '[' && body[0] !== '{') return undefined;
  // Lines after the first must stay inside the value as the whole document sees it: a mapping's
  // or a sequence's at its own column or deeper, a scalar's continuation deeper than its line.
  // (On its own, the region would accept lines the document gives to an enclosing value.)
  const column = from - lineStart;
  const lineIndent = prefix.search(/[^ ]|$/);
  const least = target.kind === 'scalar' ? lineIndent + 1 : column;
  for (const line of body.split('\n').slice(1)) {
    const indent = line.search(/[^ ]/);
    if (indent >= 0 && indent < least) return undefined;
  }
  const region = ' '.repeat(column) + body;
  const parsed = parseYaml(region, level);
  const root = parsed.root;
  if (!root || parsed.sharesNodes || parsed.problems.some((p) => p.kind === 'syntax')) return undefined;
  if (root.kind !== target.kind || root.start !== column || root.end !== region.length) return undefined;
  // An empty value last (`schema:` and nothing) changes where the enclosing ranges end.
  if (endsEmpty(root) || endsEmpty(target)) return undefined;
  // A flow collection must still be one (not the key of a mapping: `{type: string}:`).
  if ((body[0] === '[' || body[0] === '{') && root.kind !== 'scalar' && !(region.endsWith(']') || region.endsWith('}'))) return undefined;
  return { root, problems: parsed.problems, base: lineStart };
}

/** True when the last value under `node` (following last children down) is empty: `key:` with nothing after it. */
function endsEmpty(node: AstNode): boolean {
  for (let n: AstNode | undefined = node; n; ) {
    if (n.kind === 'scalar') return n.start === n.end;
    n = n.kind === 'object' ? n.properties[n.properties.length - 1]?.value : n.items[n.items.length - 1];
  }
  return false;
}

function movedProblem(p: RawProblem, delta: number, after: number): RawProblem {
  const at = (o: number) => (o >= after ? o + delta : o);
  return {
    ...p,
    start: at(p.start),
    end: at(p.end),
    ...(p.relatedStart !== undefined ? { relatedStart: at(p.relatedStart) } : {}),
    ...(p.relatedEnd !== undefined ? { relatedEnd: at(p.relatedEnd) } : {}),
  };
}

/** A copy of `parent` (which held `oldChild`) holding `newChild` instead; later children moved by the mover. */
function withChild(parent: AstNode, oldChild: AstNode, newChild: AstNode, mover: Mover): AstNode {
  if (parent.kind === 'array') {
    const at = parent.items.indexOf(oldChild);
    // map: an array of the exact size (see seal), in one pass.
    const items = parent.items.map((item, i) => (i < at ? item : i === at ? newChild : mover.node(item)));
    return { kind: 'array', start: parent.start, end: parent.end + mover.delta, items };
  }
  if (parent.kind !== 'object') throw new Error('a scalar has no children');
  const at = parent.properties.findIndex((p) => p.value === oldChild);
  const properties = parent.properties.map((p, i) => (i < at ? p : i === at ? { ...p, value: newChild } : mover.property(p)));
  return new ObjectNode(parent.start, parent.end + mover.delta, properties);
}

/**
 * Copies subtrees with every offset moved by `delta`: a container is copied empty at once and
 * filled when {@link run} reaches it, so the copy of half of a 13 MB tree can pause in between.
 */
class Mover {
  private readonly sources: (ObjectNode | ArrayNode)[] = [];
  private readonly copies: (ObjectNode | ArrayNode)[] = [];

  constructor(readonly delta: number) {}

  node(node: AstNode): AstNode {
    const d = this.delta;
    if (node.kind === 'scalar') return { kind: 'scalar', start: node.start + d, end: node.end + d, value: node.value };
    const copy: ObjectNode | ArrayNode =
      node.kind === 'array' ? { kind: 'array', start: node.start + d, end: node.end + d, items: [] } : new ObjectNode(node.start + d, node.end + d);
    this.sources.push(node);
    this.copies.push(copy);
    return copy;
  }

  property(p: PropertyNode): PropertyNode {
    const d = this.delta;
    return { key: p.key, keyStart: p.keyStart + d, keyEnd: p.keyEnd + d, keyContentStart: p.keyContentStart + d, keyVerbatim: p.keyVerbatim, value: this.node(p.value) };
  }

  *run(slice: number): Generator<void, void> {
    let copied = 0;
    while (this.sources.length > 0) {
      const source = this.sources.pop()!;
      const copy = this.copies.pop()!;
      if (source.kind === 'array' && copy.kind === 'array') {
        copy.items = source.items.map((item) => this.node(item));
        copied += source.items.length;
      } else if (source.kind === 'object' && copy.kind === 'object') {
        for (const p of source.properties) copy.add(this.property(p));
        seal(copy);
        copied += source.properties.length;
      }
      if (copied >= slice) {
        yield;
        copied = 0;
      }
    }
  }
}

/** Moves every offset of a freshly parsed subtree (nobody else holds it yet) by `delta`. */
function shiftInPlace(root: AstNode, delta: number): void {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.start += delta;
    node.end += delta;
    if (node.kind === 'array') {
      for (const item of node.items) stack.push(item);
    } else if (node.kind === 'object') {
      for (const p of node.properties) {
        p.keyStart += delta;
        p.keyEnd += delta;
        p.keyContentStart += delta;
        stack.push(p.value);
      }
    }
  }
}
