import type { ObjectNode, AstNode, PropertyNode } from './parse/ast';
import type { ParsedDocument } from './parse/document';

/** A replacement of [start, end) in a file by `newText` (UTF-16 offsets). Quick fixes return these. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

/** Applies edits to a text (last first, so offsets stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStart(text: string, offset: number): number {
  const i = text.lastIndexOf('\n', offset - 1);
  return i + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function endOfLine(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

/** The file's indentation unit (2 spaces, 4 spaces, a tab), from its first indented line. */
export function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return '  ';
  return m[1].startsWith('\t') ? '\t' : ' '.repeat(Math.min(m[1].length, 8));
}

/** A value to insert, as plain data: strings, numbers, booleans, arrays and objects. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

function yamlScalar(v: string | number | boolean | null): string {
  if (typeof v !== 'string') return String(v);
  // Plain unless YAML would read it as something else: an indicator first, ': ' or ' #' inside,
  // a number, boolean or null, or surrounding spaces.
  if (v === '' || /^[-?:,[\]{}#&*!|>'"%@`]/.test(v) || /: |:$| #/.test(v) || /^[\d.+-]|^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v) || /^\s|\s$/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  return v;
}

/** Block-style YAML for a value, each line prefixed by `indent`. */
export function toYaml(value: Plain, indent: string, unit: string, nl = '\n'): string {
  const lines: string[] = [];
  const emit = (v: Plain, ind: string) => {
    if (Array.isArray(v)) {
      for (const item of v) {
        if (item !== null && typeof item === 'object') {
          const inner = toYaml(item, ind + '  ', unit, nl).split(nl).filter((l) => l !== '');
          lines.push(`${ind}- ${inner[0].trimStart()}`, ...inner.slice(1));
        } else lines.push(`${ind}- ${yamlScalar(item)}`);
      }
      return;
    }
    for (const [k, val] of Object.entries(v as Record<string, Plain>)) {
      const key = yamlScalar(k);
      if (val !== null && typeof val === 'object' && (Array.isArray(val) ? val.length > 0 : Object.keys(val).length > 0)) {
        lines.push(`${ind}${key}:`);
        emit(val, Array.isArray(val) ? ind + unit : ind + unit);
      } else if (val !== null && typeof val === 'object') lines.push(`${ind}${key}: ${Array.isArray(val) ? '[]' : '{}'}`);
      else lines.push(`${ind}${key}: ${yamlScalar(val)}`);
    }
  };
  emit(value, indent);
  return lines.join(nl) + nl;
}

/** JSON for a value whose first line continues the current line, later lines prefixed by `indent`. */
export function toJson(value: Plain, indent: string, unit: string, nl = '\n'): string {
  return JSON.stringify(value, null, unit).split('\n').join(nl + indent);
}

/**
 * An edit that adds `key: value` to a mapping node, keeping the file's style: block YAML under the
 * existing keys, or JSON with the file's indentation, after the last property.
 */
export function insertProperty(doc: ParsedDocument, target: ObjectNode, key: string, value: Plain): TextEdit {
  const text = doc.text;
  const nl = eol(text);
  const unit = indentUnit(text);
  const last = target.properties[target.properties.length - 1];
  if (doc.format === 'json') {
    if (last) {
      const indent = ' '.repeat(columnOf(text, last.keyStart)).replace(/ {1,}/, (m) => (unit === '\t' ? '\t'.repeat(m.length) : m));
      return { file: doc.path, start: last.value.end, end: last.value.end, newText: `,${nl}${indent}${JSON.stringify(key)}: ${toJson(value, indent, unit, nl)}` };
    }
    const closing = target.end - 1;
    const outer = ' '.repeat(columnOf(text, lineStart(text, target.start) + leadingSpaces(text, target.start)));
    const indent = outer + unit;
    return { file: doc.path, start: target.start + 1, end: closing, newText: `${nl}${indent}${JSON.stringify(key)}: ${toJson(value, indent, unit, nl)}${nl}${outer}` };
  }
  // YAML
  if (last && !isFlow(text, target)) {
    const indent = ' '.repeat(columnOf(text, last.keyStart));
    const at = endOfLine(text, Math.max(last.value.end - 1, last.keyEnd));
    const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
    return { file: doc.path, start: at, end: at, newText: prefix + toYaml({ [key]: value }, indent, unit, nl) };
  }
  if (last) {
    // A flow mapping `{a: 1}`: add inside the braces in flow style.
    return { file: doc.path, start: last.value.end, end: last.value.end, newText: `, ${yamlScalar(key)}: ${JSON.stringify(value)}` };
  }
  // An empty block or flow mapping (`paths: {}`): replace it with a block under its key.
  return { file: doc.path, start: target.start, end: target.end, newText: JSON.stringify({ [key]: value }) };
}

function leadingSpaces(text: string, offset: number): number {
  const start = lineStart(text, offset);
  let n = 0;
  while (text[start + n] === ' ' || text[start + n] === '\t') n++;
  return n;
}

function isFlow(text: string, node: AstNode): boolean {
  return text[node.start] === '{' || text[node.start] === '[';
}

/** An edit that appends an item to a sequence node (block or flow YAML, or JSON array). */
export function appendItem(doc: ParsedDocument, target: AstNode & { kind: 'array' }, item: Plain): TextEdit {
  const text = doc.text;
  const nl = eol(text);
  const last = target.items[target.items.length - 1];
  if (doc.format === 'json' || isFlow(text, target)) {
    const literal = JSON.stringify(item);
    if (last) return { file: doc.path, start: last.end, end: last.end, newText: `, ${literal}` };
    return { file: doc.path, start: target.start + 1, end: target.end - 1, newText: literal };
  }
  const first = target.items[0];
  const dash = text.lastIndexOf('-', first.start);
  const indent = ' '.repeat(columnOf(text, dash));
  const at = endOfLine(text, last.end - 1);
  const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
  return { file: doc.path, start: at, end: at, newText: `${prefix}${indent}- ${typeof item === 'string' ? yamlScalar(item) : JSON.stringify(item)}${nl}` };
}

/** Appends a top-level key to a YAML document (end of file). */
export function appendTopLevel(doc: ParsedDocument, key: string, value: Plain): TextEdit {
  const text = doc.text;
  const nl = eol(text);
  const root = doc.root;
  if (doc.format === 'json' && root?.kind === 'object') return insertProperty(doc, root, key, value);
  const prefix = text.length > 0 && !text.endsWith('\n') ? nl : '';
  return { file: doc.path, start: text.length, end: text.length, newText: prefix + toYaml({ [key]: value }, '', indentUnit(text), nl) };
}

/**
 * An edit that removes a property (key and value) from a mapping: its whole lines in block YAML,
 * the property and one comma in JSON or a flow mapping. The last property of a block mapping
 * leaves `{}` behind, so the mapping stays a mapping.
 */
export function removeProperty(doc: ParsedDocument, parent: ObjectNode, p: PropertyNode): TextEdit {
  const text = doc.text;
  const i = parent.properties.indexOf(p);
  const count = parent.properties.length;
  if (doc.format === 'json' || isFlow(text, parent)) {
    if (count === 1) return { file: doc.path, start: parent.start + 1, end: parent.end - 1, newText: '' };
    if (i < count - 1) return { file: doc.path, start: p.keyStart, end: parent.properties[i + 1].keyStart, newText: '' };
    return { file: doc.path, start: parent.properties[i - 1].value.end, end: p.value.end, newText: '' };
  }
  let valueEnd = p.value.end;
  while (valueEnd > p.keyEnd && /\s/.test(text[valueEnd - 1])) valueEnd--;
  const start = lineStart(text, p.keyStart);
  const end = endOfLine(text, Math.max(valueEnd - 1, p.keyEnd));
  if (count === 1) return { file: doc.path, start, end, newText: `${text.slice(start, p.keyStart)}{}${eol(text)}` };
  return { file: doc.path, start, end, newText: '' };
}
