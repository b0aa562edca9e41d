import Ajv from 'ajv';
import schema from '../../../../schemas/declarations.schema.json';
import type { Span } from '../findings';
import type { ArrayNode, AstNode, ObjectNode, PropertyNode } from '../parse/ast';
import { toValue } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import { nodeAtPointer } from '../config/load';
import type { DeclEntry, DeclList, DeclProblem, Declarations, DeclarationsEditor, ListKind, ModelRef, NewTypedEntry, TextEdit, TypedDecl } from './model';
import { eolOf, insertIntoSequence, leadingIndent, lineStart, nextLineStart, removeFromSequence } from './textEdit';

const validationModes = ['typed-only', 'off', 'strict'] as const;

// Compiled once per process: the schema is a constant of the product.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The default name of the declarations file, next to contract-lens.yaml. */
export const declarationsFileName = 'contract-lens.coverage.yaml';

/**
 * Reads a declarations file of Contract Lens's own format (schemas/declarations.schema.json):
 *
 * ```yaml
 * mode: typed-only
 * typed:
 *   - operationId: createSession
 *     key: sessions.create
 *     request: CreateSessionRequest
 *     responses: { "201": Session }
 *     strict: true
 * raw:
 *   - listSessions
 * ```
 */
export function readYamlDeclarations(doc: ParsedDocument): Declarations {
  const file = doc.path;
  const text = doc.text;
  const problems: DeclProblem[] = [];
  // Block collections end after their last line break; a finding should end at the last character.
  const span = (n: { start: number; end: number }): Span => {
    let end = n.end;
    while (end > n.start && /\s/.test(text[end - 1])) end--;
    return { file, start: n.start, end };
  };
  const typed: TypedDecl[] = [];
  const typedNodes = new Map<TypedDecl, ObjectNode>();
  const root = doc.root;
  const decls: Declarations = { source: 'yaml', file, text, typed, rawDerived: false, problems, editor: undefined as unknown as DeclarationsEditor };
  if (root && root.kind === 'object') {
    if (!validate(toValue(root))) {
      const seen = new Set<string>();
      for (const err of validate.errors ?? []) {
        // A oneOf failure repeats each branch's complaint; the first per place says enough.
        if (seen.has(err.instancePath)) continue;
        seen.add(err.instancePath);
        const node = nodeAtPointer(root, err.instancePath) ?? root;
        const where = err.instancePath === '' ? 'The declarations file' : `"${err.instancePath.slice(1).replace(/\//g, '.')}"`;
        const extra = err.keyword === 'additionalProperties' ? ` ("${(err.params as { additionalProperty: string }).additionalProperty}")` : err.keyword === 'enum' ? `: ${(err.params as { allowedValues: string[] }).allowedValues.join(', ')}` : '';
        let at = span(node);
        if (err.keyword === 'additionalProperties' && node.kind === 'object') {
          const p = node.map.get((err.params as { additionalProperty: string }).additionalProperty);
          if (p) at = { file, start: p.keyStart, end: p.keyEnd };
        }
        problems.push({ message: `${where} ${err.message ?? 'is invalid'}${extra}.`, span: at });
      }
    }
    const mode = root.map.get('mode')?.value;
    if (mode?.kind === 'scalar' && typeof mode.value === 'string' && (validationModes as readonly string[]).includes(mode.value)) decls.mode = mode.value as Declarations['mode'];
    const typedProp = root.map.get('typed');
    if (typedProp) decls.typedName = { name: 'typed', span: { file, start: typedProp.keyStart, end: typedProp.keyEnd } };
    if (typedProp?.value.kind === 'array') {
      for (const item of typedProp.value.items) {
        if (item.kind !== 'object') continue;
        const decl: TypedDecl = { responses: [], responsesByStatus: false, strict: false, span: span(item) };
        const id = entryOf(item.map.get('operationId')?.value, text, file);
        if (id) {
          decl.operationId = id.value;
          decl.idEntry = id;
        }
        const key = entryOf(item.map.get('key')?.value, text, file);
        if (key) {
          decl.key = key.value;
          decl.keySpan = key.span;
        }
        const req = item.map.get('request');
        if (req) {
          decl.requestSpan = span(req.value);
          const m = entryOf(req.value, text, file);
          if (m) decl.request = { name: m.value, span: m.contentSpan };
        }
        const res = item.map.get('responses')?.value;
        if (res) {
          decl.responsesSpan = span(res);
          if (res.kind === 'object') {
            decl.responsesByStatus = true;
            for (const p of res.properties) {
              const m = entryOf(p.value, text, file);
              if (m) decl.responses.push({ name: m.value, span: m.contentSpan, status: p.key });
            }
          } else if (res.kind === 'array') {
            for (const el of res.items) {
              const m = entryOf(el, text, file);
              if (m) decl.responses.push({ name: m.value, span: m.contentSpan });
            }
          }
        }
        const strict = item.map.get('strict')?.value;
        decl.strict = strict?.kind === 'scalar' && strict.value === true;
        typed.push(decl);
        typedNodes.set(decl, item);
      }
    }
    const rawProp = root.map.get('raw');
    if (rawProp) {
      const list: DeclList = { kind: 'raw', name: 'raw', nameSpan: { file, start: rawProp.keyStart, end: rawProp.keyEnd }, entries: [], editable: rawProp.value.kind === 'array' || isNull(rawProp.value) };
      if (rawProp.value.kind === 'array') {
        for (const item of rawProp.value.items) {
          const e = entryOf(item.kind === 'object' ? item.map.get('operationId')?.value : item, text, file);
          if (e) list.entries.push(e);
        }
      }
      decls.raw = list;
    }
  } else if (root && !isNull(root)) {
    problems.push({ message: 'The declarations file must be a mapping with `typed`, `raw` and `mode`.', span: span(root) });
  }
  decls.editor = new YamlEditor(decls, root?.kind === 'object' ? root : undefined, typedNodes);
  return decls;
}

function isNull(n: AstNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'";
}

/** A string scalar as an entry: its token, and its characters inside the quotes. */
function entryOf(n: AstNode | undefined, text: string, file: string): DeclEntry | undefined {
  if (!n || n.kind !== 'scalar' || typeof n.value !== 'string') return undefined;
  const quoted = isQuote(text[n.start]);
  return { value: n.value, span: { file, start: n.start, end: n.end }, contentSpan: { file, start: n.start + (quoted ? 1 : 0), end: n.end - (quoted ? 1 : 0) } };
}

/** A YAML plain scalar when it can be one, else a double-quoted string. */
function scalar(value: string): string {
  return /^[A-Za-z_][\w.\-/]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value) ? value : JSON.stringify(value);
}

/** Offset where the line(s) of a block node end: just after its last line break. */
function blockEnd(text: string, end: number): number {
  return end > 0 && text[end - 1] === '\n' ? end : nextLineStart(text, end);
}

const isFlow = (text: string, n: AstNode) => text[n.start] === '[' || text[n.start] === '{';

/** Edits a YAML declarations file in place, keeping indentation, quoting and order. */
class YamlEditor implements DeclarationsEditor {
  private readonly file: string;
  private readonly text: string;
  private readonly eol: string;

  constructor(
    decls: Declarations,
    private readonly root: ObjectNode | undefined,
    private readonly typedNodes: Map<TypedDecl, ObjectNode>,
  ) {
    this.file = decls.file;
    this.text = decls.text;
    this.eol = eolOf(decls.text);
  }

  private edit(start: number, end: number, newText: string): TextEdit {
    return { file: this.file, start, end, newText };
  }

  /** Spaces up to the column of `offset` (the content column of a block item, after its dash). */
  private columnOf(offset: number): string {
    return ' '.repeat(offset - lineStart(this.text, offset));
  }

  /** The indentation of a block sequence's dashes and of its items' content. */
  private layout(seq: ArrayNode | undefined, fallbackKey: PropertyNode | undefined): { dash: string; content: string } {
    const first = seq && !isFlow(this.text, seq) ? seq.items[0] : undefined;
    if (first) {
      const before = this.text.slice(lineStart(this.text, first.start), first.start);
      const m = /^([ \t]*)-([ \t]+)$/.exec(before);
      if (m) return { dash: m[1], content: ' '.repeat(before.length) };
    }
    const keyIndent = fallbackKey ? (leadingIndent(this.text, fallbackKey.keyStart) ?? '') : '';
    const dash = keyIndent + '  ';
    return { dash, content: dash + '  ' };
  }

  private statusQuote(): string {
    for (const node of this.typedNodes.values()) {
      const res = node.map.get('responses')?.value;
      if (res?.kind === 'object' && res.properties.length > 0) {
        const c = this.text[res.properties[0].keyStart];
        return isQuote(c) ? c : '';
      }
    }
    return '"';
  }

  /** Replaces an empty value (`raw:`, `raw: []`, `raw: ~`) with a block holding `lines`. */
  private fillEmpty(prop: PropertyNode, lines: string): TextEdit[] {
    const colon = this.text.indexOf(':', prop.keyEnd);
    let lineEnd = this.text.indexOf('\n', colon);
    if (lineEnd < 0) lineEnd = this.text.length;
    if (this.text[lineEnd - 1] === '\r') lineEnd--;
    const m = /^[ \t]*(?:\[\s*\]|~|null)?[ \t]*(#.*)?$/.exec(this.text.slice(colon + 1, lineEnd));
    if (!m) return [];
    const body = lines.endsWith(this.eol) ? lines.slice(0, -this.eol.length) : lines;
    const tail = lineEnd === this.text.length ? this.eol : '';
    return [this.edit(colon + 1, lineEnd, `${m[1] ? ' ' + m[1] : ''}${this.eol}${body}${tail}`)];
  }

  /** A new top-level key, before `beforeKey` when it exists, else at the end of the file. */
  private addTopLevel(lines: string, beforeKey?: string): TextEdit {
    const before = beforeKey ? this.root?.map.get(beforeKey) : undefined;
    if (before) {
      const at = lineStart(this.text, before.keyStart);
      return this.edit(at, at, lines);
    }
    const t = this.text;
    const sep = t.length === 0 || t.endsWith('\n') ? '' : this.eol;
    return this.edit(t.length, t.length, sep + lines);
  }

  private insertBlockItem(seq: ArrayNode, before: AstNode | undefined, lines: string): TextEdit {
    if (before) {
      const at = lineStart(this.text, before.start);
      return this.edit(at, at, lines);
    }
    const last = seq.items[seq.items.length - 1];
    const at = blockEnd(this.text, last.end);
    const sep = at === this.text.length && !this.text.endsWith('\n') ? this.eol : '';
    return this.edit(at, at, sep + lines);
  }

  private removeItem(seq: ArrayNode, index: number): TextEdit[] {
    const item = seq.items[index];
    if (isFlow(this.text, seq)) {
      if (seq.items.length === 1) return [this.edit(seq.start + 1, seq.end - 1, '')];
      return [removeFromSequence(this.file, this.text, seq.items, index)];
    }
    return [this.edit(lineStart(this.text, item.start), blockEnd(this.text, item.end), '')];
  }

  insertTyped(entry: NewTypedEntry, before: TypedDecl | undefined): TextEdit[] {
    const prop = this.root?.map.get('typed');
    const seq = prop?.value.kind === 'array' ? prop.value : undefined;
    const { dash, content } = this.layout(seq, prop);
    const eol = this.eol;
    const q = this.statusQuote();
    let lines = `${dash}- operationId: ${scalar(entry.operationId)}${eol}${content}key: ${scalar(entry.key)}${eol}`;
    if (entry.request) lines += `${content}request: ${scalar(entry.request)}${eol}`;
    if (entry.responses.length > 0) {
      lines += `${content}responses:${eol}`;
      for (const r of entry.responses) lines += `${content}  ${q}${r.status}${q}: ${scalar(r.model)}${eol}`;
    }
    if (!prop) return [this.addTopLevel(`typed:${eol}${lines}`, 'raw')];
    if (!seq || seq.items.length === 0 || isFlow(this.text, seq)) {
      if (seq && seq.items.length > 0) return []; // a non-empty flow list of mappings: leave it to the user
      return this.fillEmpty(prop, lines);
    }
    const beforeNode = before ? this.typedNodes.get(before) : undefined;
    return [this.insertBlockItem(seq, beforeNode, lines)];
  }

  removeTyped(decl: TypedDecl): TextEdit[] {
    const prop = this.root?.map.get('typed');
    const node = this.typedNodes.get(decl);
    if (prop?.value.kind !== 'array' || !node) return [];
    const index = prop.value.items.indexOf(node);
    return index < 0 ? [] : this.removeItem(prop.value, index);
  }

  insertEntry(kind: ListKind, value: string, before: DeclEntry | undefined): TextEdit[] {
    if (kind !== 'raw') return [];
    const prop = this.root?.map.get('raw');
    const seq = prop?.value.kind === 'array' ? prop.value : undefined;
    const typedProp = this.root?.map.get('typed');
    const { dash } = this.layout(seq ?? (typedProp?.value.kind === 'array' ? typedProp.value : undefined), prop ?? typedProp);
    const line = `${dash}- ${scalar(value)}${this.eol}`;
    if (!prop) return [this.addTopLevel(`raw:${this.eol}${line}`)];
    if (!seq || seq.items.length === 0) return this.fillEmpty(prop, line);
    const beforeIndex = before ? seq.items.findIndex((n) => n.start <= before.span.start && before.span.end <= n.end) : -1;
    if (isFlow(this.text, seq)) {
      return insertIntoSequence(this.file, this.text, seq.start, seq.end - 1, seq.items, beforeIndex >= 0 ? beforeIndex : undefined, [scalar(value)]);
    }
    return [this.insertBlockItem(seq, beforeIndex >= 0 ? seq.items[beforeIndex] : undefined, line)];
  }

  removeEntry(kind: ListKind, entry: DeclEntry): TextEdit[] {
    const prop = kind === 'raw' ? this.root?.map.get('raw') : undefined;
    if (prop?.value.kind !== 'array') return [];
    const index = prop.value.items.findIndex((n) => n.start <= entry.span.start && entry.span.end <= n.end);
    return index < 0 ? [] : this.removeItem(prop.value, index);
  }

  addResponse(decl: TypedDecl, model: string, status: string | undefined): TextEdit[] {
    const node = this.typedNodes.get(decl);
    if (!node) return [];
    const q = this.statusQuote();
    const prop = node.map.get('responses');
    const res = prop?.value;
    const contentIndent = this.columnOf(node.properties[0]?.keyStart ?? node.start);
    if (res?.kind === 'object' && res.properties.length > 0 && status !== undefined) {
      const pair = `${q}${status}${q}: ${scalar(model)}`;
      if (isFlow(this.text, res)) {
        const items = res.properties.map((p) => ({ start: p.keyStart, end: p.value.end }));
        return insertIntoSequence(this.file, this.text, res.start, res.end - 1, items, undefined, [pair]);
      }
      const last = res.properties[res.properties.length - 1];
      const indent = leadingIndent(this.text, last.keyStart) ?? contentIndent + '  ';
      const at = blockEnd(this.text, last.value.end);
      return [this.edit(at, at, `${indent}${pair}${this.eol}`)];
    }
    if (res?.kind === 'array' && res.items.length > 0) {
      if (isFlow(this.text, res)) return insertIntoSequence(this.file, this.text, res.start, res.end - 1, res.items, undefined, [scalar(model)]);
      const { dash } = this.layout(res, prop);
      return [this.insertBlockItem(res, undefined, `${dash}- ${scalar(model)}${this.eol}`)];
    }
    const body = status !== undefined ? `${contentIndent}  ${q}${status}${q}: ${scalar(model)}${this.eol}` : `${contentIndent}  - ${scalar(model)}${this.eol}`;
    if (prop) return this.fillEmpty(prop, body);
    const at = blockEnd(this.text, node.end);
    return [this.edit(at, at, `${contentIndent}responses:${this.eol}${body}`)];
  }

  setRequest(decl: TypedDecl, model: string | undefined): TextEdit[] {
    const node = this.typedNodes.get(decl);
    if (!node) return [];
    const prop = node.map.get('request');
    if (prop && model === undefined) {
      return [this.edit(lineStart(this.text, prop.keyStart), blockEnd(this.text, prop.value.end), '')];
    }
    if (prop && model !== undefined) {
      if (isNull(prop.value) && prop.value.start === prop.value.end) return [this.edit(prop.keyEnd + 1, prop.keyEnd + 1, ` ${scalar(model)}`)];
      return [this.edit(prop.value.start, prop.value.end, scalar(model))];
    }
    if (model === undefined) return [];
    const anchor = node.map.get('key') ?? node.map.get('operationId') ?? node.properties[0];
    if (!anchor) return [];
    const indent = this.columnOf(anchor.keyStart);
    const at = blockEnd(this.text, anchor.value.end);
    return [this.edit(at, at, `${indent}request: ${scalar(model)}${this.eol}`)];
  }

  replaceModel(ref: ModelRef, model: string): TextEdit[] {
    return [this.edit(ref.span.start, ref.span.end, model)];
  }

  ensureModels(): TextEdit[] {
    return [];
  }
}
