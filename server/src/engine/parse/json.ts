import { runSteps } from '../steps';
import { visit, printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';
import { ObjectNode, minViewLength, own, seal, type ArrayNode, type AstNode, type PropertyNode, type ScalarNode } from './ast';
import type { RawProblem } from './document';
import { maxNestingDepth, tooDeepMessage } from './limits';

/**
 * Parses JSON into the shared AST. Valid JSON (nearly every file, nearly every keystroke) takes
 * {@link parseValidJson}, a single pass over character codes that allocates only the nodes; the
 * first thing it does not expect sends the text to {@link parseJsonTolerant}, which recovers from
 * errors and words them. Both build the same tree (test/unit/parse.test.ts compares them).
 */
export function parseJson(input: string): { root: AstNode | undefined; problems: RawProblem[] } {
  return parseValidJson(input) ?? parseJsonTolerant(input);
}

/** {@link parseJson}, pausing every `slice` characters while the text is valid JSON. */
export function* parseJsonSteps(input: string, slice: number): Generator<void, { root: AstNode | undefined; problems: RawProblem[] }> {
  return (yield* parseValidJsonSteps(input, slice)) ?? parseJsonTolerant(input);
}

/**
 * Parses JSON straight into the shared AST with jsonc-parser's scanner (no intermediate tree).
 * Errors do not stop the parse: whatever could be read is kept, so a half-typed file still has
 * its operations indexed.
 */
export function parseJsonTolerant(input: string): { root: AstNode | undefined; problems: RawProblem[] } {
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
        const node = new ObjectNode(offset, offset + 1);
        attach(node);
        stack.push(node);
      },
      onObjectProperty(property, offset, length) {
        pendingKey = { key: own(property), offset, length };
      },
      onObjectEnd(offset, length) {
        const node = stack.pop();
        if (node) {
          node.end = offset + length;
          seal(node);
        }
        pendingKey = undefined;
      },
      onArrayBegin(offset) {
        const node: ArrayNode = { kind: 'array', start: offset, end: offset + 1, items: [] };
        attach(node);
        stack.push(node);
      },
      onArrayEnd(offset, length) {
        const node = stack.pop();
        if (node) {
          node.end = offset + length;
          seal(node);
        }
      },
      onLiteralValue(value, offset, length) {
        const node: ScalarNode = { kind: 'scalar', start: offset, end: offset + length, value: typeof value === 'string' ? own(value) : value };
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
 * The fast path: strict JSON (RFC 8259) with nesting up to {@link maxNestingDepth}, read in one pass
 * with an explicit stack. Returns undefined at the first syntax error or too-deep container, and
 * the caller parses again with the tolerant parser (which then reports it). Containers are
 * attached to their parent when they open, as the tolerant parser does, so duplicate keys are
 * reported in the same order.
 */
export function parseValidJson(text: string, depth = 0): { root: AstNode; problems: RawProblem[] } | undefined {
  return runSteps(parseValidJsonSteps(text, Infinity, depth));
}

type ValidJson = { root: AstNode; problems: RawProblem[] } | undefined;

/**
 * {@link parseValidJson} in slices: pauses (yields) each time about `slice` more characters have
 * been read, so that a caller with an event loop can answer requests while a 47 MB file is read.
 * `depth` is how many containers hold the text (a value re-parsed on its own after an edit).
 */
export function* parseValidJsonSteps(text: string, slice: number, depth = 0): Generator<void, ValidJson> {
  let pauseAt = slice;
  const n = text.length;
  const problems: RawProblem[] = [];
  const stack: (ObjectNode | ArrayNode)[] = [];
  let root: AstNode | undefined;
  let i = 0;
  let c = 0;
  // The key read last, waiting for its value.
  let key = '';
  let keyStart = 0;
  let keyEnd = 0;
  // Reads a string token starting at `i` (a quote); leaves `i` after the closing quote.
  // Returns undefined when the string is not valid JSON.
  const readString = (): string | undefined => {
    const start = i;
    let j = i + 1;
    let escaped = false;
    for (;;) {
      if (j >= n) return undefined;
      const d = text.charCodeAt(j);
      if (d === 34 /* " */) break;
      if (d === 92 /* backslash */) {
        escaped = true;
        j += 2;
        continue;
      }
      if (d < 32) return undefined;
      j++;
    }
    i = j + 1;
    // Short strings are copies already; a longer one is copied rather than left a view of the text (see own()).
    if (!escaped && j - start - 1 < minViewLength) return text.slice(start + 1, j);
    try {
      return JSON.parse(text.slice(start, j + 1)) as string;
    } catch {
      return undefined;
    }
  };
  const attach = (node: AstNode) => {
    const parent = stack.length ? stack[stack.length - 1] : undefined;
    if (!parent) root = node;
    else if (parent.kind === 'array') parent.items.push(node);
    else {
      const p: PropertyNode = {
        key,
        keyStart,
        keyEnd,
        keyContentStart: keyStart + 1,
        keyVerbatim: keyEnd - keyStart === key.length + 2,
        value: node,
      };
      addProperty(parent, p, problems);
    }
  };
  // Reads `"key" :` and the whitespace after it; false when that is not what follows.
  const readKey = (): boolean => {
    if (text.charCodeAt(i) !== 34) return false;
    keyStart = i;
    const k = readString();
    if (k === undefined) return false;
    key = k;
    keyEnd = i;
    while (i < n && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
    if (text.charCodeAt(i) !== 58 /* : */) return false;
    i++;
    while (i < n && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
    return true;
  };

  while (i < n && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
  value: for (;;) {
    // `i` is at the first character of a value.
    if (i >= pauseAt) {
      yield;
      pauseAt = i + slice;
    }
    if (i >= n) return undefined;
    c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length + depth >= maxNestingDepth) return undefined;
      const node: ObjectNode | ArrayNode =
        c === 123 ? new ObjectNode(i, i + 1) : { kind: 'array', start: i, end: i + 1, items: [] };
      attach(node);
      i++;
      while (i < n && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
      if (text.charCodeAt(i) === (node.kind === 'object' ? 125 : 93)) {
        i++;
        node.end = i;
      } else {
        stack.push(node);
        if (node.kind === 'object' && !readKey()) return undefined;
        continue value;
      }
    } else if (c === 34) {
      const start = i;
      const s = readString();
      if (s === undefined) return undefined;
      attach({ kind: 'scalar', start, end: i, value: s });
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      c = text.charCodeAt(i);
      if (c === 48) i++;
      else if (c >= 49 && c <= 57) while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
      else return undefined;
      if (text.charCodeAt(i) === 46 /* . */) {
        i++;
        const digits = i;
        while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
        if (i === digits) return undefined;
      }
      c = text.charCodeAt(i);
      if (c === 101 || c === 69 /* e E */) {
        i++;
        c = text.charCodeAt(i);
        if (c === 43 || c === 45) i++;
        const digits = i;
        while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
        if (i === digits) return undefined;
      }
      attach({ kind: 'scalar', start, end: i, value: Number(text.slice(start, i)) });
    } else if (c === 116 && text.startsWith('true', i)) {
      attach({ kind: 'scalar', start: i, end: i + 4, value: true });
      i += 4;
    } else if (c === 102 && text.startsWith('false', i)) {
      attach({ kind: 'scalar', start: i, end: i + 5, value: false });
      i += 5;
    } else if (c === 110 && text.startsWith('null', i)) {
      attach({ kind: 'scalar', start: i, end: i + 4, value: null });
      i += 4;
    } else {
      return undefined;
    }
    // A value is complete: a comma, the end of its containers, or the end of the text follows.
    for (;;) {
      while (i < n && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
      const top = stack.length ? stack[stack.length - 1] : undefined;
      if (!top) return i === n && root ? { root, problems } : undefined;
      c = text.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
        while (i < n && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
        if (top.kind === 'object' && !readKey()) return undefined;
        continue value;
      }
      if (c === (top.kind === 'object' ? 125 : 93)) {
        i++;
        top.end = i;
        stack.pop();
        seal(top);
        continue;
      }
      return undefined;
    }
  }
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
  const previous = parent.add(p);
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
}
