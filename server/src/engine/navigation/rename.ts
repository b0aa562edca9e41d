import type { Span } from '../findings';
import type { TextEdit } from '../edits';
import type { ParsedDocument } from '../parse/document';
import { kindLabel, type Component, type Use } from '../spec/components';
import { escapeSegment } from '../spec/pointer';
import { componentAt, usesOfComponent } from './references';
import { displayPath, type NavigationView } from './view';

/** What the editor shows in the rename box: the name and where it is written under the cursor. */
export interface RenameTarget {
  span: Span;
  placeholder: string;
}

export type RenameRefusal = { error: string };

const notAComponent = 'Only components can be renamed: put the cursor on a component name (a key under components/schemas, parameters, responses, requestBodies...) or on a $ref to one.';

/** The characters OpenAPI allows in a component name (`^[a-zA-Z0-9.\-_]+$`). */
const componentName = /^[A-Za-z0-9._-]+$/;

/**
 * Prepare rename: the component under the cursor (its key, or its name inside a `$ref`), or why
 * nothing there can be renamed.
 */
export function prepareRenameAt(view: NavigationView, offset: number): RenameTarget | RenameRefusal {
  const hit = componentAt(view, offset);
  if (!hit) return { error: notAComponent };
  const c = hit.component;
  if (hit.use) {
    const doc = view.document(hit.use.file);
    const seg = doc ? nameInUse(doc, hit.use, c) : undefined;
    return { span: seg ?? { file: hit.use.file, start: hit.use.node.start, end: hit.use.node.end }, placeholder: c.name };
  }
  return { span: keyNameSpan(c), placeholder: c.name };
}

/**
 * Rename a component: its key and every `$ref` (and discriminator mapping) to it or into it, in
 * every file of every spec that includes it, as one set of edits. Refused with a message when the
 * new name is not a valid component name or is already taken in the same section.
 */
export function renameAt(view: NavigationView, offset: number, newName: string): { edits: TextEdit[]; component: Component } | RenameRefusal {
  const hit = componentAt(view, offset);
  if (!hit) return { error: notAComponent };
  const c = hit.component;
  const label = c.kind ? kindLabel[c.kind] : 'component';
  if (!componentName.test(newName)) return { error: `"${newName}" is not a valid component name: use letters, digits, ".", "-" and "_" only.` };
  if (newName === c.name) return { edits: [], component: c };
  const taken = c.parent.map.get(newName);
  if (taken) {
    const doc = view.document(c.file);
    const line = doc ? doc.lines.positionAt(taken.keyStart).line + 1 : undefined;
    const where = c.segments.length === 3 ? `#/components/${c.segments[1]}` : displayPath(view.results[0], c.file);
    return { error: `Cannot rename ${label} "${c.name}" to "${newName}": ${where} already has "${newName}"${line ? ` (${displayPath(view.results[0], c.file)}:${line})` : ''}.` };
  }
  const edits: TextEdit[] = [];
  const keyDoc = view.document(c.file);
  if (!keyDoc) return { error: `${displayPath(view.results[0], c.file)} could not be read.` };
  const p = c.property;
  edits.push(
    p.keyVerbatim
      ? { file: c.file, start: p.keyContentStart, end: p.keyContentStart + p.key.length, newText: newName }
      : { file: c.file, start: p.keyStart, end: p.keyEnd, newText: keyDoc.format === 'json' ? JSON.stringify(newName) : newName },
  );
  for (const use of usesOfComponent(view, c, false)) {
    const doc = view.document(use.file);
    if (!doc) continue;
    const edit = renameInUse(doc, use, c, newName);
    if (edit) edits.push(edit);
  }
  return { edits, component: c };
}

function keyNameSpan(c: Component): Span {
  const p = c.property;
  return p.keyVerbatim ? { file: c.file, start: p.keyContentStart, end: p.keyContentStart + p.key.length } : { file: c.file, start: p.keyStart, end: p.keyEnd };
}

/** The written value of a use, when its characters are the value's characters (no escapes): offsets of its content. */
function verbatimContent(doc: ParsedDocument, use: Use): number | undefined {
  const raw = doc.text.slice(use.node.start, use.node.end);
  const quoted = raw[0] === '"' || raw[0] === "'";
  const inner = quoted ? raw.slice(1, -1) : raw;
  return inner === use.value ? use.node.start + (quoted ? 1 : 0) : undefined;
}

/** Where the component's name is written inside a use (`#/components/schemas/Pet` → `Pet`). */
function nameInUse(doc: ParsedDocument, use: Use, c: Component): Span | undefined {
  const start = verbatimContent(doc, use);
  if (start === undefined) return undefined;
  const value = use.value;
  if (use.kind === 'mapping' && !value.includes('#') && value === c.name) return { file: use.file, start, end: start + value.length };
  const hash = value.indexOf('#');
  if (hash < 0) return undefined;
  const parts = value.slice(hash + 1).split('/');
  // parts[0] is the empty string before the pointer's first "/".
  const index = c.segments.length;
  if (parts.length <= index || decodeSegment(parts[index]) !== c.name) return undefined;
  let at = start + hash + 1;
  for (let i = 0; i < index; i++) at += parts[i].length + 1;
  return { file: use.file, start: at, end: at + parts[index].length };
}

function decodeSegment(raw: string): string {
  let s = raw;
  try {
    s = decodeURIComponent(raw);
  } catch {
    /* as written */
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The edit that renames the component inside one use: just the name, or the whole value when it is written with escapes. */
function renameInUse(doc: ParsedDocument, use: Use, c: Component, newName: string): TextEdit | undefined {
  const span = nameInUse(doc, use, c);
  if (span) return { file: use.file, start: span.start, end: span.end, newText: use.kind === 'mapping' && !use.value.includes('#') ? newName : escapeSegment(newName) };
  // Escaped or folded: rebuild the value and write it back as a JSON string (valid YAML, too).
  const hash = use.value.indexOf('#');
  if (hash < 0) return undefined;
  const parts = use.value.slice(hash + 1).split('/');
  const index = c.segments.length;
  if (parts.length <= index || decodeSegment(parts[index]) !== c.name) return undefined;
  parts[index] = escapeSegment(newName);
  return { file: use.file, start: use.node.start, end: use.node.end, newText: JSON.stringify(use.value.slice(0, hash + 1) + parts.join('/')) };
}
