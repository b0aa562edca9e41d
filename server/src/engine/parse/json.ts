import { visit, printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';
import type { ArrayNode, AstNode, ObjectNode, PropertyNode, ScalarNode } from './ast';
import type { RawProblem } from './document';
import { maxNestingDepth, tooDeepMessage } from './limits';

/**
 * Parses JSON straight into the shared AST with jsonc-parser's scanner (no intermediate tree).
 * Errors do not stop the parse: whatever could be read is kept, so a half-typed file still has
 * its operations indexed.
 */
export function parseJson(input: string): { root: AstNode | undefined; problems: RawProblem[] } {
  const problems: RawProblem[] = [];
  // jsonc-parser recurses once per level: cut too-deep containers out first (offsets unchanged).
  const text = flattenTooDeep(input, problems);
  let root: AstNode | undefined;
  const stack: (ObjectNode | ArrayNode)[] = [];
  let pendingKey: { key: string; offset: number; length: number } | undefined;

  const attach = (node: AstNode) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (!root) root = node;
      return;
    }
    if (parent.kind === 'array') {
      parent.items.push(node);
    } else if (pendingKey) {
      const rawKey = text.slice(pendingKey.offset, pendingKey.offset + pendingKey.length);
      const p: PropertyNode = {
        key: pendingKey.key,
        keyStart: pendingKey.offset,
        keyEnd: pendingKey.offset + pendingKey.length,
        keyContentStart: pendingKey.offset + 1,
        keyVerbatim: rawKey.length === pendingKey.key.length + 2,
        value: node,
      };
      addProperty(parent, p, problems);
      pendingKey = undefined;
    }
  };

  visit(
    text,
    {
      onObjectBegin(offset) {
        const node: ObjectNode = { kind: 'object', start: offset, end: offset + 1, properties: [], map: new Map() };
        attach(node);
        stack.push(node);
      },
      onObjectProperty(property, offset, length) {
        pendingKey = { key: property, offset, length };
      },
      onObjectEnd(offset, length) {
        const node = stack.pop();
        if (node) node.end = offset + length;
        pendingKey = undefined;
      },
      onArrayBegin(offset) {
        const node: ArrayNode = { kind: 'array', start: offset, end: offset + 1, items: [] };
        attach(node);
        stack.push(node);
      },
      onArrayEnd(offset, length) {
        const node = stack.pop();
        if (node) node.end = offset + length;
      },
      onLiteralValue(value, offset, length) {
        const node: ScalarNode = { kind: 'scalar', start: offset, end: offset + length, value };
        attach(node);
      },
      onError(error: ParseErrorCode, offset, length) {
        problems.push({
          kind: 'syntax',
          message: describeJsonError(error, text, offset),
          start: offset,
          end: offset + Math.max(length, offset < text.length ? 1 : 0),
        });
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  // Unclosed containers: extend them to the end of the text so their contents stay addressable.
  for (const open of stack) open.end = text.length;
  return { root, problems };
}

/**
 * Returns the text with every container that opens deeper than {@link maxNestingDepth} replaced,
 * up to its closing bracket (or the end of the text), by `0` and spaces: the same length, so every
 * other offset stays where it was, and one problem at each replaced container. A linear scan that
 * skips strings; comments are not JSON, so a bracket in one merely counts as nesting.
 */
function flattenTooDeep(text: string, problems: RawProblem[]): string {
  const parts: string[] = [];
  let copied = 0;
  let depth = 0;
  let cutFrom = -1;
  const cut = (to: number) => {
    problems.push({ kind: 'syntax', message: tooDeepMessage, start: cutFrom, end: cutFrom + 1 });
    parts.push(text.slice(copied, cutFrom), '0', text.slice(cutFrom + 1, to).replace(/[^\r\n]/g, ' '));
    copied = to;
    cutFrom = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* backslash */) i++;
        else if (d === 34 || d === 10 || d === 13) break;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > maxNestingDepth && cutFrom < 0) cutFrom = i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
      if (cutFrom >= 0 && depth === maxNestingDepth) cut(i + 1);
    }
  }
  if (cutFrom >= 0) cut(text.length);
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function describeJsonError(error: ParseErrorCode, text: string, offset: number): string {
  if (offset >= text.length) return 'Unexpected end of file: the JSON document is incomplete (a bracket, brace or value is missing).';
  switch (printParseErrorCode(error)) {
    case 'InvalidSymbol': return 'Invalid symbol: this is not JSON.';
    case 'InvalidNumberFormat': return 'Invalid number.';
    case 'PropertyNameExpected': return 'A property name in double quotes is expected here.';
    case 'ValueExpected': return 'A value is expected here.';
    case 'ColonExpected': return 'A colon is expected after the property name.';
    case 'CommaExpected': return 'A comma is expected between entries.';
    case 'CloseBraceExpected': return 'A closing brace `}` is expected.';
    case 'CloseBracketExpected': return 'A closing bracket `]` is expected.';
    case 'EndOfFileExpected': return 'Unexpected content after the end of the JSON document.';
    case 'InvalidCommentToken': return 'Comments are not allowed in JSON.';
    case 'UnexpectedEndOfComment': return 'Unterminated comment.';
    case 'UnexpectedEndOfString': return 'Unterminated string.';
    case 'UnexpectedEndOfNumber': return 'Incomplete number.';
    case 'InvalidUnicode': return 'Invalid unicode escape.';
    case 'InvalidEscapeCharacter': return 'Invalid escape character in string.';
    case 'InvalidCharacter': return 'Invalid character in string (control characters must be escaped).';
    default: return 'Invalid JSON.';
  }
}

export function addProperty(parent: ObjectNode, p: PropertyNode, problems: RawProblem[]): void {
  const previous = parent.map.get(p.key);
  if (previous) {
    problems.push({
      kind: 'duplicate-key',
      message: `Duplicate key "${p.key}": it is already defined in this mapping, and only the last value is used.`,
      start: p.keyStart,
      end: p.keyEnd,
      relatedStart: previous.keyStart,
      relatedEnd: previous.keyEnd,
      key: p.key,
    });
  }
  parent.properties.push(p);
  parent.map.set(p.key, p);
}
