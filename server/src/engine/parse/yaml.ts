import { parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, Scalar } from 'yaml';
import { ObjectNode, own, seal, type ArrayNode, type AstNode, type PropertyNode } from './ast';
import { addProperty } from './json';
import type { RawProblem } from './document';
import { maxNestingDepth, tooDeepMessage } from './limits';
import { parseBlockYaml } from './yamlBlock';

/**
 * Parses YAML: block YAML as generators write it through the fast path ({@link parseBlockYaml}),
 * anything else with the `yaml` package (exact source ranges, error recovery) and converts the
 * document into the shared AST. Aliases become shared subtrees rather than copies, so an alias
 * bomb costs no memory and a self-referencing anchor cannot loop.
 */
export function parseYaml(text: string, startDepth = 0): { root: AstNode | undefined; problems: RawProblem[]; sharesNodes?: true } {
  return parseBlockYaml(text, startDepth) ?? parseYamlFully(text, startDepth);
}

/** {@link parseYaml} through the `yaml` package, whatever the text (the reference the fast path is tested against). */
export function parseYamlFully(text: string, startDepth = 0): { root: AstNode | undefined; problems: RawProblem[]; sharesNodes?: true } {
  const problems: RawProblem[] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false });
  } catch (e) {
    problems.push({ kind: 'syntax', message: overflow(e) ? tooDeepMessage : `The YAML parser failed: ${(e as Error).message}`, start: 0, end: Math.min(1, text.length) });
    return { root: undefined, problems };
  }
  for (const err of doc.errors) {
    const [start, end] = err.pos;
    // The yaml package catches its own stack overflow on deep flow collections (`[[[[...`).
    const message = /Maximum call stack size exceeded/.test(err.message) ? tooDeepMessage : cleanMessage(err.message);
    problems.push({ kind: 'syntax', message, start, end: Math.max(end, start + (start < text.length ? 1 : 0)) });
  }
  const memo = new Map<YamlNode, AstNode>();
  /** Collections being converted: an alias to one of them would make the tree cyclic. */
  const inProgress = new Set<YamlNode>();
  /** Height and size (as a tree, aliases expanded) of converted collections, for the alias limits. */
  const shapes = new Map<AstNode, { height: number; size: number }>();
  const shapeOf = (n: AstNode): { height: number; size: number } => {
    if (n.kind === 'scalar') return { height: 0, size: 1 };
    let s = shapes.get(n);
    if (!s) {
      const children = n.kind === 'object' ? n.properties.map((p) => p.value) : n.items;
      s = { height: 1, size: 1 };
      for (const c of children) {
        const cs = shapeOf(c);
        s.height = Math.max(s.height, cs.height + 1);
        s.size = Math.min(s.size + cs.size, Number.MAX_SAFE_INTEGER);
      }
      shapes.set(n, s);
    }
    return s;
  };
  let aliasBudget = maxAliasExpansion;
  /** Set when an alias made a collection appear twice in the tree. */
  let sharesNodes = false;
  // How many collections hold the text (a value re-parsed on its own after an edit).
  let depth = startDepth;
  const convert = (node: unknown, fallbackOffset: number): AstNode => {
    // Block nesting (`- - - - x`, deep indentation) parses without recursion in the yaml package
    // but is converted here recursively: stop at the same depth as the JSON parser.
    if (depth >= maxNestingDepth && (isMap(node) || isSeq(node))) {
      const [start] = (node as YamlNode).range ?? [fallbackOffset];
      problems.push({ kind: 'syntax', message: tooDeepMessage, start, end: Math.min(start + 1, text.length) });
      return { kind: 'scalar', start, end: start, value: null };
    }
    depth++;
    try {
      return convertNode(node, fallbackOffset);
    } finally {
      depth--;
    }
  };
  const convertNode = (node: unknown, fallbackOffset: number): AstNode => {
    if (node === null || node === undefined) {
      return { kind: 'scalar', start: fallbackOffset, end: fallbackOffset, value: null };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const [aliasStart, aliasEnd] = node.range ?? [fallbackOffset, fallbackOffset];
      const skipped = (message?: string): AstNode => {
        if (message) problems.push({ kind: 'syntax', message, start: aliasStart, end: Math.max(aliasEnd, Math.min(aliasStart + 1, text.length)) });
        return { kind: 'scalar', start: aliasStart, end: aliasEnd, value: null };
      };
      if (!target) return skipped();
      // Every walk over the tree (refs, checks, the generator) would loop on `&a {b: *a}`.
      if (inProgress.has(target)) return skipped(`The alias *${node.source} refers to the value that contains it; a recursive value cannot be checked, so this alias was skipped.`);
      const value = memo.get(target) ?? convert(target, fallbackOffset);
      // Shared subtrees cost no memory, but walks visit them once per alias: bound both the depth
      // they reach (anchors nested through aliases) and the expanded size (an alias bomb).
      const shape = shapeOf(value);
      if (depth + shape.height > maxNestingDepth) return skipped(tooDeepMessage);
      if (aliasBudget < 0) return skipped(); // reported once, at the first alias over the limit
      aliasBudget -= shape.size;
      if (aliasBudget < 0) return skipped(`Aliases expand to more than ${maxAliasExpansion.toLocaleString('en-US')} values (an alias bomb?); this alias and the ones after it were skipped.`);
      if (value.kind !== 'scalar') sharesNodes = true;
      return value;
    }
    const yn = node as YamlNode;
    const known = memo.get(yn);
    if (known) return known;
    const [start, valueEnd] = yn.range ?? [fallbackOffset, fallbackOffset, fallbackOffset];
    if (isMap(yn)) {
      const obj = new ObjectNode(start, valueEnd);
      memo.set(yn, obj);
      inProgress.add(yn);
      for (const pair of yn.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyRange = keyNode?.range ?? [start, start, start];
        const key = own(isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : '');
        const quoted = isScalar(keyNode) && (keyNode.type === Scalar.QUOTE_DOUBLE || keyNode.type === Scalar.QUOTE_SINGLE);
        const rawLength = keyRange[1] - keyRange[0];
        const p: PropertyNode = {
          key,
          keyStart: keyRange[0],
          keyEnd: keyRange[1],
          keyContentStart: keyRange[0] + (quoted ? 1 : 0),
          keyVerbatim: isScalar(keyNode) && rawLength === key.length + (quoted ? 2 : 0),
          value: convert(pair.value, keyRange[1]),
        };
        addProperty(obj, p, problems);
      }
      seal(obj);
      inProgress.delete(yn);
      return obj;
    }
    if (isSeq(yn)) {
      const arr: ArrayNode = { kind: 'array', start, end: valueEnd, items: [] };
      memo.set(yn, arr);
      inProgress.add(yn);
      for (const item of yn.items) arr.items.push(convert(item, start));
      seal(arr);
      inProgress.delete(yn);
      return arr;
    }
    if (isScalar(yn)) {
      const v = yn.value;
      const value = typeof v === 'string' ? own(v) : v === null || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      const s: AstNode = { kind: 'scalar', start, end: valueEnd, value };
      memo.set(yn, s);
      return s;
    }
    return { kind: 'scalar', start, end: valueEnd, value: null };
  };
  const root = doc.contents === null ? undefined : convert(doc.contents, 0);
  return sharesNodes ? { root, problems, sharesNodes } : { root, problems };
}

/**
 * How many values aliases may add to the document, counted as if each alias were a copy. Real
 * specs use a few anchors for shared snippets; a "billion laughs" document adds 10^9.
 */
const maxAliasExpansion = 1_000_000;

function overflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/.test(e.message);
}

/** The yaml package's messages sometimes carry a position suffix; positions are ours to give. */
function cleanMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
