import { parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, Scalar } from 'yaml';
import type { AstNode, ObjectNode, PropertyNode } from './ast';
import { addProperty } from './json';
import type { RawProblem } from './document';

/**
 * Parses YAML with the `yaml` package (exact source ranges, error recovery) and converts the
 * document into the shared AST. Aliases become shared subtrees rather than copies, so an alias
 * bomb costs no memory and a self-referencing anchor cannot loop.
 */
export function parseYaml(text: string): { root: AstNode | undefined; problems: RawProblem[] } {
  const problems: RawProblem[] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false });
  } catch (e) {
    problems.push({ kind: 'syntax', message: `The YAML parser failed: ${(e as Error).message}`, start: 0, end: Math.min(1, text.length) });
    return { root: undefined, problems };
  }
  for (const err of doc.errors) {
    const [start, end] = err.pos;
    problems.push({ kind: 'syntax', message: cleanMessage(err.message), start, end: Math.max(end, start + (start < text.length ? 1 : 0)) });
  }
  const memo = new Map<YamlNode, AstNode>();
  const convert = (node: unknown, fallbackOffset: number): AstNode => {
    if (node === null || node === undefined) {
      return { kind: 'scalar', start: fallbackOffset, end: fallbackOffset, value: null };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return { kind: 'scalar', start: node.range?.[0] ?? fallbackOffset, end: node.range?.[1] ?? fallbackOffset, value: null };
      const known = memo.get(target);
      if (known) return known;
      return convert(target, fallbackOffset);
    }
    const yn = node as YamlNode;
    const known = memo.get(yn);
    if (known) return known;
    const [start, valueEnd] = yn.range ?? [fallbackOffset, fallbackOffset, fallbackOffset];
    if (isMap(yn)) {
      const obj: ObjectNode = { kind: 'object', start, end: valueEnd, properties: [], map: new Map() };
      memo.set(yn, obj);
      for (const pair of yn.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyRange = keyNode?.range ?? [start, start, start];
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : '';
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
      return obj;
    }
    if (isSeq(yn)) {
      const arr: AstNode = { kind: 'array', start, end: valueEnd, items: [] };
      memo.set(yn, arr);
      for (const item of yn.items) arr.items.push(convert(item, start));
      return arr;
    }
    if (isScalar(yn)) {
      const v = yn.value;
      const value = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      const s: AstNode = { kind: 'scalar', start, end: valueEnd, value };
      memo.set(yn, s);
      return s;
    }
    return { kind: 'scalar', start, end: valueEnd, value: null };
  };
  const root = doc.contents === null ? undefined : convert(doc.contents, 0);
  return { root, problems };
}

/** The yaml package's messages sometimes carry a position suffix; positions are ours to give. */
function cleanMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
