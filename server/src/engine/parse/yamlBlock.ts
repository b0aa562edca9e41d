import { ObjectNode, own, seal, type ArrayNode, type AstNode, type ScalarNode } from './ast';
import { addProperty } from './json';
import type { RawProblem } from './document';
import { maxNestingDepth } from './limits';

/**
 * The fast path of the YAML parser: block YAML as generators write it (GitHub's 10 MB description,
 * converted from JSON by the `yaml` package), read line by line in one pass, several times
 * faster than the `yaml` package. It builds exactly the tree {@link parseYaml} builds from the
 * `yaml` package's document (same values, same ranges, same duplicate-key problems) for the
 * subset it accepts, and gives up (undefined) on anything else, which then takes the full
 * parser: comments, anchors, aliases, tags, flow collections other than `{}` and `[]`, folded
 * and keep-chomped block scalars, plain and quoted scalars over several lines, tabs in
 * indentation, CR line ends, directives and document markers, explicit keys, and every error.
 * Accepting less is always safe; each accepted construct is compared with the `yaml` package on
 * thousands of real descriptions by the tests.
 */
export function parseBlockYaml(text: string, startDepth = 0): { root: AstNode; problems: RawProblem[] } | undefined {
  if (outsideSubset.test(text)) return undefined;
  try {
    return new BlockParser(text, startDepth).parse();
  } catch (e) {
    if (e === unsupported) return undefined;
    throw e;
  }
}

/** Characters the fast path leaves to the full parser: controls (CR among them), NEL, line separators, BOM. */
const outsideSubset = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
/** Thrown inside the parser when the text leaves the subset. */
const unsupported = new Error('outside the block YAML subset');
const SPACE = 32;
const TAB = 9;

/** A node and the offset its parent collection ends at when the node is its last entry. */
type Parsed = [node: AstNode, outer: number];

class BlockParser {
  private readonly problems: RawProblem[] = [];
  /** The current line: its start, indentation, first content character and end (its LF or the text's end). */
  private ls = 0;
  private ind = 0;
  private cs = 0;
  private le = 0;
  private eof = false;

  constructor(
    private readonly text: string,
    private readonly startDepth: number,
  ) {}

  parse(): { root: AstNode; problems: RawProblem[] } {
    this.load(0);
    this.skipBlank();
    if (this.eof || !(this.isSeqItem(this.cs) || this.isKey(this.cs))) throw unsupported;
    const [root] = this.collection(this.cs, 0);
    if (!this.eof) throw unsupported;
    return { root, problems: this.problems };
  }

  // ------------------------------------------------------------------ lines

  private load(ls: number): void {
    const text = this.text;
    if (ls >= text.length) {
      this.eof = true;
      this.ls = this.cs = this.le = text.length;
      this.ind = 0;
      return;
    }
    let i = ls;
    while (text.charCodeAt(i) === SPACE) i++;
    const le = text.indexOf('\n', i);
    this.ls = ls;
    this.cs = i;
    this.ind = i - ls;
    this.le = le < 0 ? text.length : le;
  }

  private next(): void {
    this.load(this.le + 1);
  }

  /** Moves to the next line with content; comments, tabs in indentation and markers leave the subset. */
  private skipBlank(): void {
    const text = this.text;
    while (!this.eof) {
      const c = text.charCodeAt(this.cs);
      if (this.cs === this.le) {
        this.next();
        continue;
      }
      if (c === TAB || c === 35 /* # */) throw unsupported;
      if (this.ind === 0 && (c === 37 /* % */ || ((text.startsWith('---', this.cs) || text.startsWith('...', this.cs)) && this.separated(this.cs + 3)))) throw unsupported;
      return;
    }
  }

  /** True when `at` ends a token: a space or the line's end. */
  private separated(at: number): boolean {
    return at >= this.le || this.text.charCodeAt(at) === SPACE;
  }

  // ------------------------------------------------------------------ collections

  private collection(at: number, depth: number): Parsed {
    if (this.startDepth + depth >= maxNestingDepth) throw unsupported;
    return this.isSeqItem(at) ? this.sequence(at, depth) : this.mapping(at, depth);
  }

  private isSeqItem(at: number): boolean {
    return this.text.charCodeAt(at) === 45 /* - */ && this.separated(at + 1);
  }

  private sequence(at: number, depth: number): Parsed {
    const col = at - this.ls;
    const arr: ArrayNode = { kind: 'array', start: at, end: at, items: [] };
    let dash = at;
    for (;;) {
      let q = dash + 1;
      while (q < this.le && this.text.charCodeAt(q) === SPACE) q++;
      const [item, outer] = q === this.le ? this.emptyValue(col, depth) : this.nested(q, col, depth);
      arr.items.push(item);
      arr.end = outer;
      if (this.eof || this.ind < col) break;
      if (this.ind > col) throw unsupported;
      // A key at the sequence's indentation: the sequence was a mapping's value (`key:\n- a`).
      if (!this.isSeqItem(this.cs)) break;
      dash = this.cs;
    }
    seal(arr);
    return [arr, arr.end];
  }

  private mapping(at: number, depth: number): Parsed {
    const col = at - this.ls;
    const obj = new ObjectNode(at, at);
    let k = at;
    for (;;) {
      const key = this.key(k);
      let q = key.colon + 1;
      while (q < this.le && this.text.charCodeAt(q) === SPACE) q++;
      let parsed: Parsed;
      if (q === this.le) {
        const blockSequence = () => !this.eof && this.ind === col && this.isSeqItem(this.cs);
        parsed = this.emptyValue(col, depth, blockSequence);
      } else {
        if (this.text.charCodeAt(key.colon + 1) !== SPACE) throw unsupported;
        parsed = this.scalar(q, col, depth + 1);
      }
      const keyEnd = key.start + key.raw;
      addProperty(
        obj,
        {
          key: own(key.value),
          keyStart: key.start,
          keyEnd,
          keyContentStart: key.start + (key.quoted ? 1 : 0),
          keyVerbatim: key.raw === key.value.length + (key.quoted ? 2 : 0),
          value: parsed[0],
        },
        this.problems,
      );
      obj.end = parsed[1];
      if (this.eof || this.ind < col) break;
      if (this.ind > col || this.isSeqItem(this.cs)) throw unsupported;
      k = this.cs;
    }
    seal(obj);
    return [obj, obj.end];
  }

  /**
   * A value left empty on its line (`key:`, `-`): a collection on the lines below, more indented
   * (or a sequence at the key's own indentation), else null at the line's end.
   */
  private emptyValue(col: number, depth: number, sameIndentSequence?: () => boolean): Parsed {
    const at = this.le;
    this.next();
    this.skipBlank();
    if (!this.eof && this.ind > col) {
      if (!this.isSeqItem(this.cs) && !this.isKey(this.cs)) throw unsupported;
      return this.collection(this.cs, depth + 1);
    }
    if (sameIndentSequence?.()) return this.sequence(this.cs, depth + 1);
    return [{ kind: 'scalar', start: at, end: at, value: null }, at];
  }

  /** What follows `- ` on its line: a compact sequence or mapping, or a scalar. */
  private nested(q: number, col: number, depth: number): Parsed {
    if (this.text.charCodeAt(q) === TAB) throw unsupported;
    if (this.isSeqItem(q) || this.isKey(q)) return this.collection(q, depth + 1);
    return this.scalar(q, col, depth + 1);
  }

  // ------------------------------------------------------------------ keys

  /** True when a key (plain or quoted, then `: ` or `:` at the line's end) starts at `at`. */
  private isKey(at: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c === 39 || c === 34) {
      const close = this.closingQuote(at);
      return close >= 0 && this.text.charCodeAt(close + 1) === 58 /* : */;
    }
    return this.plainColon(at) >= 0;
  }

  /** The offset of the `:` that ends a plain key starting at `at`, or -1. */
  private plainColon(at: number): number {
    const text = this.text;
    for (let i = text.indexOf(':', at); i >= 0 && i < this.le; i = text.indexOf(':', i + 1)) {
      const after = text.charCodeAt(i + 1);
      if (i + 1 >= this.le || after === SPACE) return i;
      if (after === TAB) throw unsupported;
    }
    return -1;
  }

  private key(at: number): { value: string; start: number; raw: number; quoted: boolean; colon: number } {
    const c = this.text.charCodeAt(at);
    if (c === 39 || c === 34) {
      const [value, end] = this.quoted(at);
      if (this.text.charCodeAt(end) !== 58 || !this.separated(end + 1)) throw unsupported;
      return { value, start: at, raw: end - at, quoted: true, colon: end };
    }
    const colon = this.plainColon(at);
    if (colon < 0 || colon - at > 1000) throw unsupported;
    const raw = this.text.slice(at, colon);
    if (!plainStart(raw) || /[ \t]$|[ \t]#|\t/.test(raw)) throw unsupported;
    return { value: String(resolvePlain(raw)), start: at, raw: raw.length, quoted: false, colon };
  }

  // ------------------------------------------------------------------ scalars

  /**
   * A value that starts at `q` and is no collection: a block scalar, a quoted or plain scalar on
   * this line, or an empty flow collection. `col` is the indentation of the entry it belongs to.
   */
  private scalar(q: number, col: number, depth: number): Parsed {
    const text = this.text;
    const c = text.charCodeAt(q);
    if (c === TAB) throw unsupported;
    if (c === 124 /* | */) return this.literal(q, col);
    let node: AstNode;
    let end: number;
    if (c === 39 || c === 34) {
      const [value, close] = this.quoted(q);
      node = { kind: 'scalar', start: q, end: close, value: own(value) };
      end = close;
    } else if ((c === 123 /* { */ && text.charCodeAt(q + 1) === 125) || (c === 91 /* [ */ && text.charCodeAt(q + 1) === 93)) {
      if (this.startDepth + depth >= maxNestingDepth) throw unsupported;
      node = c === 123 ? new ObjectNode(q, q + 2) : { kind: 'array', start: q, end: q + 2, items: [] };
      end = q + 2;
    } else {
      let e = this.le;
      while (e > q && (text.charCodeAt(e - 1) === SPACE || text.charCodeAt(e - 1) === TAB)) e--;
      const raw = text.slice(q, e);
      if (!plainStart(raw) || raw.endsWith(':') || /:[ \t]|[ \t]#/.test(raw)) throw unsupported;
      const value = resolvePlain(raw);
      node = { kind: 'scalar', start: q, end: e, value: typeof value === 'string' ? own(value) : value };
      end = e;
    }
    for (let i = end; i < this.le; i++) if (text.charCodeAt(i) !== SPACE) throw unsupported;
    const outer = this.le < text.length ? this.le + 1 : this.le;
    this.next();
    this.skipBlank();
    // A more indented line would continue the scalar (or be an error): the full parser decides.
    if (!this.eof && this.ind > col) throw unsupported;
    return [node, outer];
  }

  /** A literal block scalar (`|` or `|-`) whose header is at `q`, in an entry indented `col`. */
  private literal(q: number, col: number): Parsed {
    const text = this.text;
    // The header: `|`, then a chomping indicator `-` and an indentation indicator 1-9, in either order.
    const header = /^\|(?:(-)([1-9])?|([1-9])(-)?)? *$/.exec(text.slice(q, this.le));
    if (!header) throw unsupported;
    const strip = header[1] !== undefined || header[4] !== undefined;
    const explicit = header[2] ?? header[3];
    const lines: string[] = [];
    // The content's indentation: given (relative to the entry's), or that of its first line.
    let indent = explicit ? col + Number(explicit) : -1;
    let widestLeading = 0;
    let last = -1; // how many lines up to the last one with content
    let end = -1;
    this.next();
    while (!this.eof) {
      const blank = this.cs === this.le;
      if (blank && (indent < 0 || this.ind <= indent)) {
        if (indent < 0) widestLeading = Math.max(widestLeading, this.ind);
        lines.push('');
      } else if (blank) {
        // Wider than the indentation: a line of spaces, content like any other (the yaml package
        // reads a trailing one as empty under an indentation indicator: left to it).
        if (explicit) throw unsupported;
        lines.push(text.slice(this.ls + indent, this.le));
        last = lines.length;
        end = this.le < text.length ? this.le + 1 : this.le;
      } else {
        if (indent < 0) {
          if (this.ind <= col) break;
          indent = this.ind;
        }
        if (this.ind < indent) {
          if (this.ind > col) throw unsupported;
          break;
        }
        // A tab right after the indentation: content or indentation, the full parser decides.
        if (text.charCodeAt(this.cs) === TAB) throw unsupported;
        lines.push(text.slice(this.ls + indent, this.le));
        last = lines.length;
        end = this.le < text.length ? this.le + 1 : this.le;
      }
      this.next();
    }
    // Empty block scalars, and leading blank lines wider than the indentation (an error), are left to the full parser.
    if (indent < 0 || last < 0 || widestLeading > indent) throw unsupported;
    lines.length = last;
    const value = own(lines.join('\n') + (strip ? '' : '\n'));
    this.skipBlank();
    return [{ kind: 'scalar', start: q, end, value } satisfies ScalarNode, end];
  }

  /** Offset of the quote closing the single-line quoted scalar at `at`, or -1. */
  private closingQuote(at: number): number {
    const text = this.text;
    const quote = text[at];
    for (let i = at + 1; i < this.le; i++) {
      const c = text[i];
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else return i;
      }
    }
    return -1;
  }

  /** The value of the quoted scalar at `at` (on one line) and the offset after its closing quote. */
  private quoted(at: number): [string, number] {
    const text = this.text;
    const close = this.closingQuote(at);
    if (close < 0) throw unsupported;
    const body = text.slice(at + 1, close);
    if (text[at] === "'") return [body.includes("''") ? body.replace(/''/g, "'") : body, close + 1];
    if (!body.includes('\\')) return [body, close + 1];
    let value = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = body[++i];
      const simple = escapes[e];
      if (simple !== undefined) {
        value += simple;
        continue;
      }
      const length = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = body.substr(i + 1, length);
      if (!length || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) throw unsupported;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw unsupported;
      value += String.fromCodePoint(code);
      i += length;
    }
    return [value, close + 1];
  }
}

/** The double-quoted escapes the `yaml` package knows (its resolve-flow-scalar), but for line breaks. */
const escapes: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/** True when `raw` may start a plain scalar: no indicator first, and no `-`, `?`, `:` followed by a space. */
function plainStart(raw: string): boolean {
  if (raw.length === 0) return false;
  if ('[]{},#&*!|>\'"%@`'.includes(raw[0])) return false;
  return !('-?:'.includes(raw[0]) && (raw.length === 1 || raw[1] === ' ' || raw[1] === '\t'));
}

/**
 * A plain scalar's value under the YAML 1.2 core schema, as the `yaml` package resolves it (its
 * tags in its order: null, bool, octal, decimal and hexadecimal integers, special, exponent and
 * fixed floats).
 */
export function resolvePlain(raw: string): string | number | boolean | null {
  const c = raw.charCodeAt(0);
  // Most plain scalars start with a letter that starts no null, boolean or number.
  const maybe = c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57);
  if (!maybe) return raw;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}
