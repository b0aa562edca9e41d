import * as path from 'node:path';
import type { TextEdit } from '../edits';
import { insertProperty, type Plain } from '../edits';
import type { AstNode, ObjectNode } from '../parse/ast';
import { toValue } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import { parsePointer, resolvePointer } from '../spec/pointer';

/** One quick fix: a title for the menu and the edits (in one or more files) that make it. */
export interface QualityFix {
  title: string;
  isPreferred?: boolean;
  edits: TextEdit[];
}

type Data = Record<string, unknown>;

function nodeAt(doc: ParsedDocument | undefined, pointer: unknown): AstNode | undefined {
  if (!doc?.root || typeof pointer !== 'string') return undefined;
  const r = resolvePointer(doc.root, parsePointer(pointer));
  return r.ok ? r.node : undefined;
}

/** The replacement text of a scalar, keeping its quotes (JSON: always double quotes). */
function replaceScalar(doc: ParsedDocument, span: { start: number; end: number }, value: string): TextEdit {
  const raw = doc.text.slice(span.start, span.end);
  const quote = doc.format === 'json' ? '"' : raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  return { file: doc.path, start: span.start, end: span.end, newText: quote === '"' ? JSON.stringify(value) : `${quote}${value}${quote}` };
}

/**
 * Quick fixes for quality findings, computed from each finding's `data` on the current text of
 * the files (`read` serves open editor buffers first). Edits keep the file's format, indentation
 * and comments: they insert or replace only the keys they are about.
 *
 * - `operation-id-not-identifier`: rename to the suggested identifier;
 * - `missing-response-schema`: add a response schema stub (a `$ref` to the declared model when
 *   the spec has it as a component, else an object stub) where the status needs it;
 * - `loose-schema` written inline: move it to a new component stub and `$ref` it;
 * - `required-not-in-properties` and `discriminator-mapping` with a suggestion: apply it.
 */
export function qualityFixes(code: string, data: Data, span: { file: string; start: number; end: number }, read: (file: string) => ParsedDocument | undefined): QualityFix[] {
  const here = read(span.file);
  switch (code) {
    case 'quality.operation-id-not-identifier':
      if (!here || typeof data.suggestedOperationId !== 'string') return [];
      return [{ title: `Rename the operationId to "${data.suggestedOperationId}"`, isPreferred: true, edits: [replaceScalar(here, span, data.suggestedOperationId)] }];
    case 'quality.required-not-in-properties':
    case 'quality.discriminator-mapping':
      if (!here || typeof data.suggestion !== 'string') return [];
      return [{ title: `Change to "${data.suggestion}"`, isPreferred: true, edits: [replaceScalar(here, span, data.suggestion)] }];
    case 'quality.missing-response-schema':
      return responseStub(data, read);
    case 'quality.loose-schema':
      return extractComponent(data, read);
  }
  return [];
}

function schemaStub(data: Data): Plain {
  return typeof data.schemaRef === 'string' ? { $ref: data.schemaRef } : { type: 'object', properties: {} };
}

function responseStub(data: Data, read: (file: string) => ParsedDocument | undefined): QualityFix[] {
  if (typeof data.file !== 'string') return [];
  const doc = read(data.file);
  const node = nodeAt(doc, data.pointer);
  if (!doc || node?.kind !== 'object') return [];
  const status = String(data.status);
  const schema = schemaStub(data);
  const what = typeof data.schemaRef === 'string' ? `a $ref to ${String(data.schemaRef).split('/').pop()}` : 'a schema stub';
  let edit: TextEdit;
  if (data.reason === 'undocumented') {
    // `node` is the responses object.
    edit = insertProperty(doc, node, status, { description: `TODO: describe the ${status} response.`, content: { 'application/json': { schema } } });
    return [{ title: `Add a ${status} response with ${what}`, isPreferred: true, edits: [edit] }];
  }
  const content = node.map.get('content')?.value;
  if (content?.kind !== 'object') edit = insertProperty(doc, node, 'content', { 'application/json': { schema } });
  else {
    const mediaType = typeof data.mediaType === 'string' ? data.mediaType : undefined;
    const media = mediaType ? content.map.get(mediaType)?.value : undefined;
    edit = media?.kind === 'object' ? insertProperty(doc, media, 'schema', schema) : insertProperty(doc, content, 'application/json', { schema });
  }
  return [{ title: `Add a JSON schema to the ${status} response (${what})`, isPreferred: true, edits: [edit] }];
}

/** Replaces an inline loose schema by `$ref: '#/components/schemas/Name'` and adds `Name` as a stub. */
function extractComponent(data: Data, read: (file: string) => ParsedDocument | undefined): QualityFix[] {
  if (data.inline !== true || typeof data.file !== 'string' || typeof data.rootFile !== 'string' || typeof data.componentName !== 'string') return [];
  const doc = read(data.file);
  const rootDoc = data.rootFile === data.file ? doc : read(data.rootFile);
  const node = nodeAt(doc, data.pointer);
  if (!doc || !rootDoc || rootDoc.root?.kind !== 'object' || !node) return [];
  const name = data.componentName;
  const ref = `${data.file === data.rootFile ? '' : path.relative(path.dirname(data.file), data.rootFile).split(path.sep).join('/')}#/components/schemas/${name}`;
  const written = node.kind === 'object' ? (toValue(node) as Record<string, Plain>) : {};
  const { additionalProperties: _open, ...kept } = written;
  const stub: Plain = { ...kept, type: typeof written.type === 'string' || Array.isArray(written.type) ? written.type : 'object', properties: written.properties && typeof written.properties === 'object' ? written.properties : {} };
  const flow = doc.format === 'json' || doc.text[node.start] === '{';
  const replace: TextEdit = {
    file: doc.path,
    start: node.start,
    end: trimEnd(doc.text, node.start, node.end),
    newText: doc.format === 'json' ? `{ "$ref": ${JSON.stringify(ref)} }` : flow ? `{ $ref: '${ref}' }` : `$ref: '${ref}'`,
  };
  const root = rootDoc.root;
  const components = root.map.get('components')?.value;
  const schemas = components?.kind === 'object' ? components.map.get('schemas')?.value : undefined;
  const add =
    schemas?.kind === 'object'
      ? insertProperty(rootDoc, schemas, name, stub)
      : components?.kind === 'object'
        ? insertProperty(rootDoc, components as ObjectNode, 'schemas', { [name]: stub })
        : insertProperty(rootDoc, root, 'components', { schemas: { [name]: stub } });
  return [{ title: `Move this schema to a new component "${name}" and reference it`, isPreferred: true, edits: [replace, add] }];
}

/** A block YAML node's end may include trailing line breaks; an edit must not swallow them. */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}
