/**
 * Python source layout the way black (and `ruff format`, which follows it) leaves it, so that a
 * formatter in the user's pipeline never rewrites generated models. This is a port of the part of
 * black's line splitter that our statements can reach: right-hand splits with optional
 * parentheses, delimiter splits with trailing commas, trailers to omit, "prefer splitting the
 * right-hand side of assignments" (stable since black 24) and the forced-parentheses second
 * opinion. The generator builds statements as small expression trees; this module turns each into
 * leaves and splits them exactly where black would. Tests compare the output with black itself.
 */

export const lineLength = 88;

/**
 * `fast` takes the direct routes for the statement shapes the generator writes thousands of times
 * (a field with `Field(...)`, a long display, an import); `general` always runs the splitter. Both
 * give the same text (a test compares them); `general` exists so that can be checked.
 */
export type Layout = 'fast' | 'general';

type LeafType = 'name' | 'string' | 'number' | 'comma' | 'op' | 'eq' | 'colon' | 'lpar' | 'rpar' | 'lsqb' | 'rsqb' | 'lbrace' | 'rbrace';
/** What a bracket belongs to: a call or subscript, a display (list/dict), an import, an optional paren, a class's bases. */
type BracketOwner = 'trailer' | 'atom' | 'import' | 'invisible' | 'classdef';

interface Leaf {
  type: LeafType;
  value: string;
  /** Whitespace before the leaf when it is not first on its line (black's `whitespace()`). */
  ws: string;
  prefix: string;
  owner?: BracketOwner;
  opening?: Leaf;
  depth: number;
}

const opening = new Set<LeafType>(['lpar', 'lsqb', 'lbrace']);
const closing = new Set<LeafType>(['rpar', 'rsqb', 'rbrace']);
const closeOf: Record<string, LeafType> = { lpar: 'rpar', lsqb: 'rsqb', lbrace: 'rbrace' };
const COMMA_PRIORITY = 18;
const VBAR_PRIORITY = 9;

/** Thrown to abandon a split; a plain object, because capturing stack traces made formatting slow. */
class CannotSplit {
  constructor(readonly why: string) {}
}

class Tracker {
  depth = 0;
  /** The open bracket at each depth (brackets nest, so a stack is the whole match table). */
  private readonly opens: Leaf[] = [];
  readonly delimiters = new Map<Leaf, number>();
  readonly invisible: Leaf[] = [];
  private previous?: Leaf;

  mark(leaf: Leaf): void {
    const isClosing = closing.has(leaf.type);
    // A closing bracket with nothing open on this line belongs to an enclosing line.
    if (this.depth === 0 && isClosing) return;
    if (isClosing) {
      this.depth--;
      const open = this.opens[this.depth];
      if (!open || closeOf[open.type] !== leaf.type) throw new Error('unbalanced brackets');
      this.opens.length = this.depth;
      leaf.opening = open;
      if (!leaf.value) this.invisible.push(leaf);
    }
    leaf.depth = this.depth;
    if (this.depth === 0) {
      const before = leaf.type === 'op' && leaf.value === '|' ? VBAR_PRIORITY : 0;
      if (before && this.previous) this.delimiters.set(this.previous, before);
      else if (leaf.type === 'comma') this.delimiters.set(leaf, COMMA_PRIORITY);
    }
    if (opening.has(leaf.type)) {
      this.opens[this.depth] = leaf;
      this.depth++;
      if (!leaf.value) this.invisible.push(leaf);
    }
    this.previous = leaf;
  }

  /** The highest delimiter priority on the line, or -1 when there is none. */
  maxPriority(exclude?: Leaf): number {
    let max = -1;
    for (const [leaf, p] of this.delimiters) if (leaf !== exclude && p > max) max = p;
    return max;
  }

  countWithPriority(priority: number): number {
    let n = 0;
    for (const p of this.delimiters.values()) if (p === priority) n++;
    return n;
  }
}

class Line {
  leaves: Leaf[] = [];
  tracker = new Tracker();
  shouldSplitRhs = false;
  constructor(
    public depth: number,
    public insideBrackets = false,
    public isImport = false,
  ) {}

  append(leaf: Leaf, preformatted: boolean, track = false): void {
    if (this.leaves.length > 0 && !preformatted) leaf.prefix = leaf.ws;
    if (this.insideBrackets || !preformatted || track) this.tracker.mark(leaf);
    this.leaves.push(leaf);
  }

  toString(): string {
    if (this.leaves.length === 0) return '';
    const [first, ...rest] = this.leaves;
    let s = first.prefix + '    '.repeat(this.depth) + first.value;
    for (const l of rest) s += l.prefix + l.value;
    return s;
  }
}

const lowSurrogates = /[\udc00-\udfff]/g;

/** Black counts characters; so do we (code points, not UTF-16 units). */
export function width(s: string): number {
  if (s.length <= lineLength) return s.length;
  const m = s.match(lowSurrogates);
  return m ? s.length - m.length : s.length;
}

function short(line: Line | string): boolean {
  const s = typeof line === 'string' ? line : line.toString();
  return width(s) <= lineLength && !s.includes('\n');
}

function leavesInsideMatchingBrackets(leaves: Leaf[]): Set<Leaf> {
  const ids = new Set<Leaf>();
  const start = leaves.findIndex((l) => opening.has(l.type));
  if (start < 0) return ids;
  const stack: [LeafType, number][] = [];
  for (let i = start; i < leaves.length; i++) {
    const leaf = leaves[i];
    if (opening.has(leaf.type)) stack.push([closeOf[leaf.type], i]);
    if (closing.has(leaf.type)) {
      if (stack.length && leaf.type === stack[stack.length - 1][0]) {
        const [, s] = stack.pop()!;
        for (let j = s; j <= i; j++) ids.add(leaves[j]);
      } else break;
    }
  }
  return ids;
}

type Component = 'head' | 'body' | 'tail';

function buildLine(leaves: Leaf[], original: Line, openingBracket: Leaf, component: Component): Line {
  const result = new Line(original.depth);
  if (component === 'body') {
    result.insideBrackets = true;
    result.depth++;
    if (leaves.length) {
      leaves[0].prefix = '';
      if (original.isImport && leaves[leaves.length - 1].type !== 'comma') {
        leaves = [...leaves, mkLeaf('comma', ',', '')];
      }
    }
  }
  const track = component === 'head' ? leavesInsideMatchingBrackets(leaves) : new Set<Leaf>();
  for (const leaf of leaves) result.append(leaf, true, track.has(leaf));
  if (component === 'body' && shouldSplitLine(result, openingBracket)) result.shouldSplitRhs = true;
  return result;
}

function shouldSplitLine(line: Line, openingBracket: Leaf): boolean {
  if (!openingBracket.owner) return false;
  const last = line.leaves[line.leaves.length - 1];
  if (!last) return false;
  const max = line.tracker.maxPriority(last.type === 'comma' ? last : undefined);
  return max === COMMA_PRIORITY && (openingBracket.owner === 'atom' || openingBracket.owner === 'invisible' || openingBracket.owner === 'import');
}

interface RhsResult {
  head: Line;
  body: Line;
  tail: Line;
  opening: Leaf;
  closing: Leaf;
}

function firstRightHandSplit(line: Line, omit: Set<Leaf>): RhsResult {
  const tail: Leaf[] = [];
  const body: Leaf[] = [];
  const head: Leaf[] = [];
  let current = tail;
  let openingBracket: Leaf | undefined;
  let closingBracket: Leaf | undefined;
  for (let i = line.leaves.length - 1; i >= 0; i--) {
    const leaf = line.leaves[i];
    if (current === body && leaf === openingBracket) current = body.length ? head : tail;
    current.push(leaf);
    if (current === tail && closing.has(leaf.type) && !omit.has(leaf)) {
      openingBracket = leaf.opening;
      closingBracket = leaf;
      current = body;
    }
  }
  if (!openingBracket || !closingBracket || head.length === 0) throw new CannotSplit('no brackets');
  tail.reverse();
  body.reverse();
  head.reverse();
  const h = buildLine(head, line, openingBracket, 'head');
  const b = buildLine(body, line, openingBracket, 'body');
  const t = buildLine(tail, line, openingBracket, 'tail');
  if (b.leaves.length === 0) {
    const tailLen = t.toString().trim().length;
    if (tailLen === 0 || tailLen < 3) throw new CannotSplit('empty body');
  }
  return { head: h, body: b, tail: t, opening: openingBracket, closing: closingBracket };
}

function canBeSplit(line: Line): boolean {
  // Black's cheap heuristic: only string-method chains are known unsplittable; we never emit those.
  return line.leaves.length >= 2;
}

function canOmitInvisibleParens(line: Line): boolean {
  const bt = line.tracker;
  if (bt.delimiters.size === 0) return true;
  const max = bt.maxPriority();
  if (bt.countWithPriority(max) > 1) return false;
  const first = line.leaves[0];
  const second = line.leaves[1];
  if (opening.has(first.type) && !closing.has(second.type)) {
    if (canOmitOpeningParen(line, first)) return true;
  }
  const penultimate = line.leaves[line.leaves.length - 2];
  const last = line.leaves[line.leaves.length - 1];
  if (last.type === 'rpar' || last.type === 'rbrace' || (last.type === 'rsqb' && last.owner !== 'trailer')) {
    if (opening.has(penultimate.type)) return false;
    if (canOmitClosingParen(line, last)) return true;
  }
  return false;
}

function canOmitOpeningParen(line: Line, first: Leaf): boolean {
  let remainder = false;
  let length = 4 * line.depth;
  let index = -1;
  let broke = false;
  for (let i = 0; i < line.leaves.length; i++) {
    index = i;
    const leaf = line.leaves[i];
    if (closing.has(leaf.type) && leaf.opening === first) remainder = true;
    if (remainder) {
      length += width(leaf.prefix) + width(leaf.value);
      if (length > lineLength) {
        broke = true;
        break;
      }
      if (opening.has(leaf.type)) remainder = false;
    }
  }
  return !broke && line.leaves.length === index + 1;
}

function canOmitClosingParen(line: Line, last: Leaf): boolean {
  let length = 4 * line.depth;
  let seenOther = false;
  for (const leaf of line.leaves) {
    length += width(leaf.prefix) + width(leaf.value);
    if (leaf === last.opening) {
      if (seenOther || length <= lineLength) return true;
    } else if (opening.has(leaf.type)) seenOther = true;
  }
  return false;
}

function preferSplitRhsOop(rhsOop: RhsResult): boolean {
  let closingAfterAssign = false;
  for (let i = rhsOop.head.leaves.length - 1; i >= 0; i--) {
    const leaf = rhsOop.head.leaves[i];
    if (leaf.type === 'eq') break;
    if (closing.has(leaf.type)) {
      closingAfterAssign = true;
      break;
    }
  }
  return closingAfterAssign || (rhsOop.head.leaves.some((l) => l.type === 'eq') && short(rhsOop.head));
}

function ensureVisible(leaf: Leaf): void {
  if (leaf.type === 'lpar') leaf.value = '(';
  else if (leaf.type === 'rpar') leaf.value = ')';
}

function* maybeSplitOmittingOptionalParens(rhs: RhsResult, line: Line, force: boolean, omit: Set<Leaf>): Generator<Line> {
  if (
    !force &&
    rhs.opening.type === 'lpar' &&
    !rhs.opening.value &&
    rhs.closing.type === 'rpar' &&
    !rhs.closing.value &&
    !line.isImport &&
    canOmitInvisibleParens(rhs.body)
  ) {
    const omit2 = new Set(omit);
    omit2.add(rhs.closing);
    try {
      const rhsOop = firstRightHandSplit(line, omit2);
      const headLeaves = rhs.head.leaves;
      const preferRhs =
        headLeaves.length >= 2 &&
        headLeaves[headLeaves.length - 2].type === 'eq' &&
        headLeaves.slice(0, -1).some((l) => opening.has(l.type) || closing.has(l.type)) &&
        width(rhs.head.toString()) <= lineLength - 1 &&
        !preferSplitRhsOop(rhsOop);
      if (!preferRhs) {
        yield* maybeSplitOmittingOptionalParens(rhsOop, line, force, omit2);
        return;
      }
    } catch (e) {
      if (!(e instanceof CannotSplit)) throw e;
      if (!(canBeSplit(rhs.body) || short(rhs.body))) throw new CannotSplit('body too long');
    }
  }
  ensureVisible(rhs.opening);
  ensureVisible(rhs.closing);
  for (const l of [rhs.head, rhs.body, rhs.tail]) if (l.leaves.length) yield l;
}

function rightHandSplit(line: Line, force: boolean, omit: Set<Leaf>): Line[] {
  return [...maybeSplitOmittingOptionalParens(firstRightHandSplit(line, omit), line, force, omit)];
}

function* trailersToOmit(line: Line): Generator<Set<Leaf>> {
  const omit = new Set<Leaf>();
  yield omit;
  let length = 4 * line.depth;
  let openingBracket: Leaf | undefined;
  let closingBracket: Leaf | undefined;
  const inner = new Set<Leaf>();
  for (let index = line.leaves.length - 1; index >= 0; index--) {
    const leaf = line.leaves[index];
    length += width(leaf.prefix) + width(leaf.value);
    if (length > lineLength) break;
    if (openingBracket) {
      if (leaf === openingBracket) openingBracket = undefined;
      else if (closing.has(leaf.type)) inner.add(leaf);
    } else if (closing.has(leaf.type)) {
      const prev = index > 0 ? line.leaves[index - 1] : undefined;
      if (prev && opening.has(prev.type)) {
        inner.add(leaf);
        continue;
      }
      if (closingBracket) {
        omit.add(closingBracket);
        for (const i of inner) omit.add(i);
        inner.clear();
        yield omit;
      }
      if (leaf.value) {
        openingBracket = leaf.opening;
        closingBracket = leaf;
      }
    }
  }
}

type Transform = 'delimiter' | 'rhs';

function* rhsTransform(line: Line, force: boolean): Generator<Line> {
  for (const omit of trailersToOmit(line)) {
    const lines = rightHandSplit(line, force, omit);
    if (short(lines[0])) {
      yield* lines;
      return;
    }
  }
  yield* rightHandSplit(line, force, new Set());
}

function* delimiterSplit(line: Line): Generator<Line> {
  const last = line.leaves[line.leaves.length - 1];
  if (!last) throw new CannotSplit('empty');
  const bt = line.tracker;
  const priority = bt.maxPriority(last);
  if (priority < 0) throw new CannotSplit('no delimiters');
  let current = new Line(line.depth, line.insideBrackets);
  for (const leaf of line.leaves) {
    if (current.leaves.length === 0) leaf.prefix = '';
    current.append(leaf, true);
    if (bt.delimiters.get(leaf) === priority) {
      yield current;
      current = new Line(line.depth, line.insideBrackets);
    }
  }
  if (current.leaves.length) {
    const end = current.leaves[current.leaves.length - 1];
    if (priority === COMMA_PRIORITY && end.type !== 'comma') current.append(mkLeaf('comma', ',', ''), true);
    yield current;
  }
}

function runTransformer(line: Line, transform: Transform, force: boolean): Line[] {
  const lineStr = line.toString();
  const result: Line[] = [];
  const produced = transform === 'rhs' ? rhsTransform(line, force) : delimiterSplit(line);
  for (const t of produced) {
    if (t.toString() === lineStr) throw new CannotSplit('unchanged');
    result.push(...transformLine(t, force));
  }
  if (force || transform !== 'rhs' || line.tracker.invisible.length === 0 || line.tracker.invisible.some((b) => b.value) || short(result[0])) return result;
  const copy = cloneLine(line);
  const second = runTransformer(copy, transform, true);
  return second.every((l) => short(l)) ? second : result;
}

function cloneLine(line: Line): Line {
  const copy = new Line(line.depth, line.insideBrackets, line.isImport);
  const map = new Map<Leaf, Leaf>();
  for (const leaf of line.leaves) {
    const n: Leaf = { type: leaf.type, value: leaf.value, ws: leaf.ws, prefix: '', owner: leaf.owner, depth: 0 };
    map.set(leaf, n);
    copy.append(n, false);
  }
  return copy;
}

function transformLine(line: Line, force: boolean): Line[] {
  if (!line.shouldSplitRhs && short(line)) return [line];
  const transforms: Transform[] = line.insideBrackets ? ['delimiter', 'rhs'] : ['rhs'];
  for (const t of transforms) {
    try {
      return runTransformer(line, t, force);
    } catch (e) {
      if (!(e instanceof CannotSplit)) throw e;
    }
  }
  return [line];
}

function mkLeaf(type: LeafType, value: string, ws: string, owner?: BracketOwner): Leaf {
  return { type, value, ws, prefix: ws, owner, depth: 0 };
}

// ---------------------------------------------------------------------------------------------
// Expressions and statements

/** A Python expression, just structured enough to be laid out like black does. */
export type Expr =
  | { k: 'atom'; s: string }
  | { k: 'call'; fn: Expr; args: Expr[] }
  | { k: 'sub'; base: Expr; items: Expr[] }
  | { k: 'list'; items: Expr[] }
  | { k: 'dict'; items: [Expr, Expr][] }
  | { k: 'kw'; name: string; value: Expr }
  | { k: 'union'; items: Expr[] };

export const atom = (s: string): Expr => ({ k: 'atom', s });
export const call = (fn: string | Expr, args: Expr[]): Expr => ({ k: 'call', fn: typeof fn === 'string' ? atom(fn) : fn, args });
export const sub = (base: string | Expr, items: Expr[]): Expr => ({ k: 'sub', base: typeof base === 'string' ? atom(base) : base, items });
export const kw = (name: string, value: Expr): Expr => ({ k: 'kw', name, value });
export const list = (items: Expr[]): Expr => ({ k: 'list', items });
export const dict = (items: [Expr, Expr][]): Expr => ({ k: 'dict', items });
export const union = (items: Expr[]): Expr => (items.length === 1 ? items[0] : { k: 'union', items });

function atomType(s: string): LeafType {
  if (/^[rbuRBUfF]*["']/.test(s)) return 'string';
  if (/^-?[0-9.]/.test(s)) return 'number';
  return 'name';
}

function emit(e: Expr, out: Leaf[], ws: string): void {
  switch (e.k) {
    case 'atom':
      out.push(mkLeaf(atomType(e.s), e.s, ws));
      return;
    case 'call':
    case 'sub': {
      emit(e.k === 'call' ? e.fn : e.base, out, ws);
      const [o, c] = e.k === 'call' ? (['lpar', 'rpar'] as const) : (['lsqb', 'rsqb'] as const);
      out.push(mkLeaf(o, e.k === 'call' ? '(' : '[', '', 'trailer'));
      const items = e.k === 'call' ? e.args : e.items;
      items.forEach((a, i) => {
        if (i > 0) out.push(mkLeaf('comma', ',', ''));
        emit(a, out, i > 0 ? ' ' : '');
      });
      out.push(mkLeaf(c, e.k === 'call' ? ')' : ']', '', 'trailer'));
      return;
    }
    case 'list':
      out.push(mkLeaf('lsqb', '[', ws, 'atom'));
      e.items.forEach((a, i) => {
        if (i > 0) out.push(mkLeaf('comma', ',', ''));
        emit(a, out, i > 0 ? ' ' : '');
      });
      out.push(mkLeaf('rsqb', ']', '', 'atom'));
      return;
    case 'dict':
      out.push(mkLeaf('lbrace', '{', ws, 'atom'));
      e.items.forEach(([k, v], i) => {
        if (i > 0) out.push(mkLeaf('comma', ',', ''));
        emit(k, out, i > 0 ? ' ' : '');
        out.push(mkLeaf('colon', ':', ''));
        emit(v, out, ' ');
      });
      out.push(mkLeaf('rbrace', '}', '', 'atom'));
      return;
    case 'kw':
      out.push(mkLeaf('name', e.name, ws));
      out.push(mkLeaf('eq', '=', ''));
      emit(e.value, out, '');
      return;
    case 'union':
      e.items.forEach((a, i) => {
        if (i > 0) out.push(mkLeaf('op', '|', ' '));
        emit(a, out, i === 0 ? ws : ' ');
      });
      return;
  }
}

/** The one-line text of an expression. */
export function flat(e: Expr): string {
  switch (e.k) {
    case 'atom':
      return e.s;
    case 'call':
      return `${flat(e.fn)}(${e.args.map(flat).join(', ')})`;
    case 'sub':
      return `${flat(e.base)}[${e.items.map(flat).join(', ')}]`;
    case 'list':
      return `[${e.items.map(flat).join(', ')}]`;
    case 'dict':
      return `{${e.items.map(([k, v]) => `${flat(k)}: ${flat(v)}`).join(', ')}}`;
    case 'kw':
      return `${e.name}=${flat(e.value)}`;
    case 'union':
      return e.items.map(flat).join(' | ');
  }
}

function layout(leaves: Leaf[], depth: number, isImport = false): string {
  // Most statements fit on one line: skip the splitting machinery for them.
  let flatText = '    '.repeat(depth);
  for (let i = 0; i < leaves.length; i++) flatText += (i === 0 ? '' : leaves[i].ws) + leaves[i].value;
  if (width(flatText) <= lineLength) return flatText;
  const line = new Line(depth, false, isImport);
  for (const leaf of leaves) line.append(leaf, false);
  return transformLine(line, false)
    .map((l) => l.toString())
    .join('\n');
}

/**
 * `target: annotation = value` (either part optional), laid out at an indentation depth.
 * Explicit parentheses around a long bracket-free annotation keep it splittable.
 */
export function assignment(target: string, annotation: Expr | undefined, value: Expr | undefined, depth: number, via: Layout = 'fast'): string {
  const build = (parenAnnotation: boolean): Leaf[] => {
    const leaves: Leaf[] = [mkLeaf('name', target, '')];
    if (annotation) {
      leaves.push(mkLeaf('colon', ':', ''));
      if (parenAnnotation) {
        leaves.push(mkLeaf('lpar', '(', ' ', 'atom'));
        emit(annotation, leaves, '');
        leaves.push(mkLeaf('rpar', ')', '', 'atom'));
      } else emit(annotation, leaves, ' ');
    }
    if (value) {
      leaves.push(mkLeaf('eq', '=', ' '));
      leaves.push(mkLeaf('lpar', '', ' ', 'invisible'));
      emit(value, leaves, '');
      leaves.push(mkLeaf('rpar', '', '', 'invisible'));
    }
    return leaves;
  };
  const indent = '    '.repeat(depth);
  const one = `${indent}${target}${annotation ? `: ${flat(annotation)}` : ''}${value ? ` = ${flat(value)}` : ''}`;
  if (width(one) <= lineLength) return one;
  if (via === 'fast') {
    const fast = fieldCallLayout(target, annotation, value, depth) ?? displayLayout(target, annotation, value, depth) ?? atomValueLayout(target, annotation, value, depth);
    if (fast !== undefined) return fast;
  }
  const text = layout(build(false), depth);
  if (annotation && annotation.k === 'union' && text.split('\n').some((l) => width(l) > lineLength)) {
    const parenthesized = layout(build(true), depth);
    if (parenthesized.split('\n').every((l) => width(l) <= lineLength)) return parenthesized;
  }
  return text;
}

/**
 * The most common long statement, `name: T = Field(key=value, ...)` whose head fits: black splits
 * at the call's bracket, keeps the arguments on one line when they fit and otherwise puts one per
 * line with a trailing comma. Computed directly (the general splitter gives the same text, slower).
 */
function fieldCallLayout(target: string, annotation: Expr | undefined, value: Expr | undefined, depth: number): string | undefined {
  if (!value) return undefined;
  let open: string;
  let close: string;
  let items: Expr[];
  if (value.k === 'call' && value.args.every((a) => a.k === 'kw' && a.value.k === 'atom')) [open, close, items] = ['(', ')', value.args];
  else if (value.k === 'sub' && value.items.every((a) => a.k === 'atom') && (!annotation || !hasBrackets(annotation))) [open, close, items] = ['[', ']', value.items];
  else return undefined;
  if (items.length === 0) return undefined;
  const indent = '    '.repeat(depth);
  const head = `${indent}${target}${annotation ? `: ${flat(annotation)}` : ''} = ${flat(value.k === 'call' ? value.fn : value.base)}${open}`;
  if (width(head) > lineLength) return undefined;
  const inner = indent + '    ';
  const args = items.map(flat);
  const one = inner + args.join(', ');
  const body = width(one) <= lineLength || args.length === 1 ? one : args.map((a) => `${inner}${a},`).join('\n');
  return `${head}\n${body}\n${indent}${close}`;
}

function hasBrackets(e: Expr): boolean {
  return e.k !== 'atom' && (e.k !== 'union' || e.items.some(hasBrackets));
}

/**
 * `name: Base[...] = atom` that does not fit (`x: Annotated[Model | None, _NotNull] = None`): black
 * wraps the value in parentheses when `name: Base[...] = (` fits, and otherwise splits inside the
 * annotation's brackets. Only the cases whose pieces then fit are computed here.
 */
function atomValueLayout(target: string, annotation: Expr | undefined, value: Expr | undefined, depth: number): string | undefined {
  if (!annotation || annotation.k !== 'sub' || !value || value.k !== 'atom') return undefined;
  const indent = '    '.repeat(depth);
  const inner = indent + '    ';
  const lhs = `${indent}${target}: ${flat(annotation)} =`;
  if (width(lhs) + 1 <= lineLength - 1) {
    if (width(inner + value.s) > lineLength) return undefined;
    return `${lhs} (\n${inner}${value.s}\n${indent})`;
  }
  const head = `${indent}${target}: ${flat(annotation.base)}[`;
  const body = inner + annotation.items.map(flat).join(', ');
  const tail = `${indent}] = ${value.s}`;
  if (width(head) > lineLength || width(body) > lineLength || width(tail) > lineLength) return undefined;
  return `${head}\n${body}\n${tail}`;
}

/**
 * `name = [a, b, ...]` or `{k: v, ...}` with more than one item, whose head fits: black explodes
 * the display one item per line with a trailing comma and splits each item on its own. Computed
 * item by item, because the general splitter is quadratic on a display of thousands of items.
 */
function displayLayout(target: string, annotation: Expr | undefined, value: Expr | undefined, depth: number): string | undefined {
  if (!value || (value.k !== 'list' && value.k !== 'dict') || value.items.length < 2) return undefined;
  const indent = '    '.repeat(depth);
  const [open, close] = value.k === 'list' ? ['[', ']'] : ['{', '}'];
  const head = `${indent}${target}${annotation ? `: ${flat(annotation)}` : ''} = ${open}`;
  if (width(head) > lineLength) return undefined;
  const items = value.k === 'list' ? value.items.map((e) => itemLayout(e, undefined, depth + 1)) : value.items.map(([k, v]) => itemLayout(k, v, depth + 1));
  return `${head}\n${items.join('\n')}\n${indent}${close}`;
}

/** One item of an exploded display, `item,` or `key: value,`, laid out as black lays out such a line. */
function itemLayout(item: Expr, value: Expr | undefined, depth: number): string {
  const one = `${'    '.repeat(depth)}${flat(item)}${value ? `: ${flat(value)}` : ''},`;
  if (width(one) <= lineLength) return one;
  const fast = value && callItemLayout(item, value, depth);
  if (fast !== undefined) return fast;
  const leaves: Leaf[] = [];
  emit(item, leaves, '');
  if (value) {
    leaves.push(mkLeaf('colon', ':', ''));
    emit(value, leaves, ' ');
  }
  leaves.push(mkLeaf('comma', ',', ''));
  const line = new Line(depth, true);
  for (const leaf of leaves) line.append(leaf, false);
  return transformLine(line, false)
    .map((l) => l.toString())
    .join('\n');
}

/**
 * `key: Call(kw=value, ...),` that does not fit, where each value is an atom or a dict of atoms
 * (the entries of `OPERATIONS`): black splits at the call's bracket, keeps the arguments on one
 * line when they fit and otherwise puts one per line, exploding a dict argument that does not fit.
 */
function callItemLayout(key: Expr, value: Expr, depth: number): string | undefined {
  if (value.k !== 'call' || value.args.length === 0) return undefined;
  const simple = (e: Expr) => e.k === 'atom' || (e.k === 'dict' && e.items.every(([k, v]) => k.k === 'atom' && v.k === 'atom'));
  if (!value.args.every((a) => a.k === 'kw' && simple(a.value))) return undefined;
  const indent = '    '.repeat(depth);
  const head = `${indent}${flat(key)}: ${flat(value.fn)}(`;
  if (width(head) > lineLength) return undefined;
  const inner = indent + '    ';
  const args = value.args.map(flat);
  const one = inner + args.join(', ');
  let body: string;
  if (width(one) <= lineLength) body = one;
  else if (args.length === 1) return undefined;
  else {
    const lines: string[] = [];
    for (const a of value.args) {
      const line = `${inner}${flat(a)},`;
      const v = (a as { value: Expr }).value;
      if (width(line) <= lineLength || v.k !== 'dict' || v.items.length === 0) {
        lines.push(line);
        continue;
      }
      const name = (a as { name: string }).name;
      const deeper = inner + '    ';
      // One item has no delimiter to split at: it goes on its own line, without a trailing comma.
      const items = v.items.length === 1 ? [`${deeper}${flat(v.items[0][0])}: ${flat(v.items[0][1])}`] : v.items.map(([k, x]) => `${deeper}${flat(k)}: ${flat(x)},`);
      lines.push(`${inner}${name}={`, ...items, `${inner}},`);
    }
    body = lines.join('\n');
  }
  return `${head}\n${body}\n${indent}),`;
}

/** `class Name(Base, ...):` */
export function classLine(name: string, bases: string[], depth = 0): string {
  const leaves: Leaf[] = [mkLeaf('name', 'class', ''), mkLeaf('name', name, ' ')];
  if (bases.length) {
    leaves.push(mkLeaf('lpar', '(', '', 'classdef'));
    bases.forEach((b, i) => {
      if (i > 0) leaves.push(mkLeaf('comma', ',', ''));
      leaves.push(mkLeaf('name', b, i > 0 ? ' ' : ''));
    });
    leaves.push(mkLeaf('rpar', ')', '', 'classdef'));
  }
  leaves.push(mkLeaf('colon', ':', ''));
  return layout(leaves, depth);
}

/** An expression statement such as `Model.update_forward_refs()`. */
export function expressionStatement(e: Expr, depth = 0): string {
  const leaves: Leaf[] = [];
  emit(e, leaves, '');
  return layout(leaves, depth);
}

/** `from module import a, b` (exploded one name per line when it does not fit). */
export function importFrom(module: string, names: string[], via: Layout = 'fast'): string {
  const one = `from ${module} import ${names.join(', ')}`;
  if (width(one) <= lineLength) return one;
  if (via === 'fast') return `from ${module} import (\n${names.map((n) => `    ${n},`).join('\n')}\n)`;
  const leaves: Leaf[] = [mkLeaf('name', 'from', ''), mkLeaf('name', module, ' '), mkLeaf('name', 'import', ' '), mkLeaf('lpar', '', ' ', 'import')];
  names.forEach((n, i) => {
    if (i > 0) leaves.push(mkLeaf('comma', ',', ''));
    leaves.push(mkLeaf('name', n, i > 0 ? ' ' : ''));
  });
  leaves.push(mkLeaf('rpar', '', '', 'import'));
  return layout(leaves, 0, true);
}
