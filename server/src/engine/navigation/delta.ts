import { changedStretch } from '../text';

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

export function textDelta(checked: string, current: string): TextDelta {
  const change = changedStretch(checked, current);
  const shift = current.length - checked.length;
  return {
    toChecked: (o) => (o < change.start ? o : o >= change.newEnd ? o - shift : undefined),
    toCurrent: (o) => (o < change.start ? o : o >= change.oldEnd ? o + shift : undefined),
  };
}
