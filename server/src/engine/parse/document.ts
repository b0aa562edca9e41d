import { runSteps } from '../steps';
import { LineIndex } from '../text';
import type { AstNode } from './ast';
import { parseJsonSteps } from './json';
import { parseYaml } from './yaml';

export type DocumentFormat = 'json' | 'yaml';

/** A parser's complaint, before it becomes a Finding (the parser does not know file paths). */
export interface RawProblem {
  kind: 'syntax' | 'duplicate-key';
  message: string;
  start: number;
  end: number;
  relatedStart?: number;
  relatedEnd?: number;
  key?: string;
}

/** A parsed YAML or JSON file. Immutable; cached by path and text. */
export interface ParsedDocument {
  path: string;
  text: string;
  format: DocumentFormat;
  root: AstNode | undefined;
  problems: RawProblem[];
  lines: LineIndex;
  /** Set when a YAML alias made a collection appear more than once: walks must not visit it twice. */
  sharesNodes?: true;
}

/**
 * `doc`, made to hold `text`, a string equal to its own, from now on. Equal texts can be two
 * copies (the disk's, read before the editor opened the file, and the editor's: 26 MB each for
 * GitHub's description); the parse keeps only the newest, so the other can be collected, and
 * later comparisons with the editor's text are by identity.
 */
export function holdNewest(doc: ParsedDocument, text: string): ParsedDocument {
  doc.text = text;
  doc.lines.rebind(text);
  return doc;
}

export function formatOf(path: string, text: string): DocumentFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const first = text.match(/^\s*(\S)/);
  return first && (first[1] === '{' || first[1] === '[') ? 'json' : 'yaml';
}

/** Most parsers stumble over a BOM; a space keeps every offset where it was. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

const maxSyntaxProblems = 50;

export function parseText(path: string, text: string): ParsedDocument {
  return runSteps(parseTextSteps(path, text, Infinity));
}

/** {@link parseText} in slices of about `slice` characters (JSON only; YAML is read in one go). */
export function* parseTextSteps(path: string, text: string, slice: number): Generator<void, ParsedDocument> {
  const format = formatOf(path, text);
  const source = withoutBom(text);
  const parsed = format === 'json' ? yield* parseJsonSteps(source, slice) : parseYaml(source);
  const { root, problems } = parsed;
  // A truncated file can yield one error per unclosed bracket; the first few say it all.
  let syntaxCount = 0;
  // In source order (the YAML conversion reports a mapping's duplicate keys after its values'),
  // so that a re-parse of one value can splice its problems in between the others.
  const kept = problems.filter((p) => p.kind !== 'syntax' || ++syntaxCount <= maxSyntaxProblems).sort((a, b) => a.start - b.start);
  return { path, text, format, root, problems: kept, lines: new LineIndex(text), ...('sharesNodes' in parsed && parsed.sharesNodes ? { sharesNodes: true as const } : {}) };
}
