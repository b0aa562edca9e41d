import type { Span } from '../findings';
import type { ObjectNode, PropertyNode } from '../parse/ast';
import { stringValue } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import { httpMethods } from '../spec/operations';
import { componentsOf, isComponentKind, isDefinitionsFile, type ComponentKind } from '../spec/components';
import { propertySpans } from './locate';

export type OutlineKind = 'paths' | 'path' | 'operation' | 'webhooks' | 'components' | 'section' | ComponentKind;

/** One entry of a spec's outline: what it is, its whole range and its key, and what is inside it. */
export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  span: Span;
  selection: Span;
  children: OutlineSymbol[];
}

const methodSet = new Set<string>(httpMethods);

/**
 * The outline of a spec file from its current text: `paths` with each path and its operations
 * (named by method and operationId), `webhooks`, and `components` by section. A path item file
 * (`paths/owners.yaml`) lists its operations; a definitions file lists its definitions (both only
 * when a spec includes the file: `inSpec`). Other files have no outline (undefined), so editors
 * keep their own.
 */
export function documentSymbols(doc: ParsedDocument, isRoot: boolean, inSpec: boolean): OutlineSymbol[] | undefined {
  const root = doc.root;
  if (root?.kind !== 'object') return undefined;
  const sym = (p: PropertyNode, kind: OutlineKind, name = p.key, detail?: string, children: OutlineSymbol[] = []): OutlineSymbol => ({ name, detail, kind, ...spans(doc, p), children });
  if (root.map.has('openapi') || root.map.has('swagger') || root.map.has('paths') || root.map.has('components') || root.map.has('webhooks')) {
    const out: OutlineSymbol[] = [];
    for (const p of root.properties) {
      if (p.key === 'paths' || p.key === 'webhooks') {
        const items = p.value.kind === 'object' ? p.value.properties.filter((x) => !x.key.startsWith('x-')) : [];
        out.push(sym(p, p.key, p.key, `${items.length}`, items.map((item) => sym(item, 'path', item.key, pathDetail(item), operations(doc, item.value)))));
      } else if (p.key === 'components' && p.value.kind === 'object') {
        const sections = p.value.properties.filter((s) => isComponentKind(s.key) && s.value.kind === 'object');
        out.push(
          sym(p, 'components', 'components', undefined, sections.map((s) => {
            const kind = s.key as ComponentKind;
            const entries = (s.value as ObjectNode).properties.map((e) => sym(e, kind, e.key, summaryOf(e)));
            return sym(s, 'section', s.key, `${entries.length}`, entries);
          })),
        );
      }
    }
    return out;
  }
  // A file a spec reaches through $ref: a path item, or a file of definitions.
  if (!inSpec || isRoot) return undefined;
  if (root.properties.some((p) => methodSet.has(p.key))) return operations(doc, root);
  if (isDefinitionsFile(doc)) return componentsOf(doc, new Set()).map((c) => sym(c.property, c.kind ?? 'schemas', c.name, summaryOf(c.property)));
  return undefined;
}

function spans(doc: ParsedDocument, p: PropertyNode): { span: Span; selection: Span } {
  const s = propertySpans(doc, p);
  return { span: s.target, selection: s.selection };
}

function operations(doc: ParsedDocument, item: PropertyNode['value']): OutlineSymbol[] {
  if (item.kind !== 'object') return [];
  return item.properties
    .filter((m) => methodSet.has(m.key))
    .map((m) => {
      const id = m.value.kind === 'object' ? stringValue(m.value.map.get('operationId')?.value) : undefined;
      const summary = m.value.kind === 'object' ? stringValue(m.value.map.get('summary')?.value) : undefined;
      return { name: `${m.key.toUpperCase()}${id ? ` ${id}` : ''}`, detail: summary, kind: 'operation' as const, ...spans(doc, m), children: [] };
    });
}

/** A path item written elsewhere shows where (`→ ./paths/owners.yaml`). */
function pathDetail(item: PropertyNode): string | undefined {
  const ref = item.value.kind === 'object' ? stringValue(item.value.map.get('$ref')?.value) : undefined;
  return ref !== undefined ? `→ ${ref}` : undefined;
}

function summaryOf(p: PropertyNode): string | undefined {
  if (p.value.kind !== 'object') return undefined;
  const ref = stringValue(p.value.map.get('$ref')?.value);
  if (ref !== undefined) return `→ ${ref}`;
  const type = stringValue(p.value.map.get('type')?.value);
  const title = stringValue(p.value.map.get('title')?.value);
  return title ?? type;
}
