/**
 * Where two versions of a text differ, as one window: the common prefix and the common suffix.
 * An offset before the window or after it means the same character in both versions, so answers
 * computed on the checked text can be given for the current one while a re-check runs.
 */
export interface TextDelta {
  /** The offset in the checked text of a character of the current text, if outside the edit. */
  toChecked(offset: number): number | undefined;
  /** The offset in the current text of a character of the checked text, if outside the edit. */
  toCurrent(offset: number): number | undefined;
}

const chunk = 1 << 16;

/** Length of the common prefix, compared a chunk at a time (string equality is a fast memory compare). */
function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let at = 0;
  while (at + chunk <= max && a.slice(at, at + chunk) === b.slice(at, at + chunk)) at += chunk;
  while (at < max && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + chunk <= limit && a.slice(a.length - n - chunk, a.length - n) === b.slice(b.length - n - chunk, b.length - n)) n += chunk;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

export function textDelta(checked: string, current: string): TextDelta {
  const prefix = commonPrefix(checked, current);
  const suffix = commonSuffix(checked, current, Math.min(checked.length, current.length) - prefix);
  const shift = current.length - checked.length;
  return {
    toChecked: (o) => (o < prefix ? o : o >= current.length - suffix ? o - shift : undefined),
    toCurrent: (o) => (o < prefix ? o : o >= checked.length - suffix ? o + shift : undefined),
  };
}
