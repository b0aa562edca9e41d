/** A zero-based line/character position; characters count UTF-16 code units, as LSP does. */
export interface Position {
  line: number;
  character: number;
}

export interface LineRange {
  start: Position;
  end: Position;
}

/**
 * Maps string offsets to line/character positions. JavaScript strings are UTF-16, so an offset
 * into the text is already the LSP column unit; only line starts need finding. Built once per
 * text and shared by every finding in that file.
 */
export class LineIndex {
  private computed: number[] | undefined;

  /** Line starts are found on first use: many parsed files never need a position. */
  constructor(
    private text: string,
    starts?: number[],
  ) {
    this.computed = starts;
  }

  /** Indexes `text` from now on: a string equal to the indexed one (see {@link holdNewest}). */
  rebind(text: string): void {
    this.text = text;
  }

  /**
   * The index of `text`, an edit of the text `previous` indexes: its line starts before and after
   * the changed stretch are taken over (moved), only the stretch itself is scanned (a 13 MB text
   * has 400,000 lines: 20 ms to scan, 1 ms to move). Where a CR sits at an edge of the stretch (a
   * CRLF could be split or joined), or `previous` has not found its lines yet, it starts afresh.
   */
  static after(previous: LineIndex, text: string, change: TextChange = changedStretch(previous.text, text)): LineIndex {
    const old = previous.computed;
    const before = previous.text;
    const cr = (t: string, ...at: number[]) => at.some((i) => t.charCodeAt(i) === 13);
    if (!old || cr(before, change.start - 1, change.start, change.oldEnd - 1, change.oldEnd) || cr(text, change.start, change.newEnd - 1, change.newEnd) || text.slice(change.start, change.newEnd).includes('\r')) {
      return new LineIndex(text);
    }
    // Starts up to the stretch are kept, starts inside it found again, starts after it moved.
    const upTo = (limit: number) => {
      let lo = 0;
      let hi = old.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (old[mid] <= limit) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const inside: number[] = [];
    for (let at = text.indexOf('\n', change.start); at >= 0 && at < change.newEnd; at = text.indexOf('\n', at + 1)) inside.push(at + 1);
    const delta = change.newEnd - change.oldEnd;
    const tail = old.slice(upTo(change.oldEnd));
    for (let k = 0; k < tail.length; k++) tail[k] += delta;
    const starts = old.slice(0, upTo(change.start)).concat(inside, tail);
    return new LineIndex(text, starts);
  }

  private get starts(): number[] {
    return (this.computed ??= lineStarts(this.text));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // Between the two characters of a CRLF is not a position on the line: it is its end.
    const between = o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13;
    return { line: lo, character: o - this.starts[lo] - (between ? 1 : 0) };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = this.starts[position.line];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    return Math.max(lineStart, Math.min(lineStart + position.character, next));
  }

  range(start: number, end: number): LineRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    // The common case, found with indexOf (a vectorised scan) instead of a loop over characters.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The one stretch where two texts differ: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

const chunk = 1 << 16;

/** The stretch between the longest common prefix and the longest common suffix (compared a chunk at a time). */
export function changedStretch(before: string, after: string): TextChange {
  const min = Math.min(before.length, after.length);
  let start = 0;
  while (start + chunk <= min && before.slice(start, start + chunk) === after.slice(start, start + chunk)) start += chunk;
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const maxSuffix = min - start;
  let suffix = 0;
  while (suffix + chunk <= maxSuffix && before.slice(before.length - suffix - chunk, before.length - suffix) === after.slice(after.length - suffix - chunk, after.length - suffix)) suffix += chunk;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}
