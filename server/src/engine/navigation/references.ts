import type { Span } from '../findings';
import { componentAtPointer, componentKeyAt, startsWith, type Component, type Use } from '../spec/components';
import { useAt } from './locate';
import type { NavigationView, NavSpec } from './view';

/** The component under the cursor: its key, or the target of the `$ref` (or mapping) the cursor is on. */
export interface ComponentHit {
  component: Component;
  /** The use the cursor is on, when it is not on the key itself. */
  use?: Use;
}

export function componentAt(view: NavigationView, offset: number): ComponentHit | undefined {
  if (view.doc) {
    const onKey = componentKeyAt(view.doc, offset, view.rootFiles);
    if (onKey) return { component: onKey };
  }
  const hit = useAt(view, offset);
  if (!hit?.use.target) return undefined;
  const doc = hit.spec.graph.documents.get(hit.use.target.file);
  const component = doc ? componentAtPointer(doc, hit.use.target.segments, view.rootFiles) : undefined;
  return component ? { component, use: hit.use } : undefined;
}

/** The specs (of every result involving the file) that contain the component's file. */
export function specsWith(view: NavigationView, file: string): NavSpec[] {
  const out: NavSpec[] = [];
  for (const result of view.results) for (const s of view.specsOf(result)) if (s.graph.documents.has(file)) out.push(s);
  return out;
}

/**
 * Every use of a component across every file of every spec that includes it. `exact`: only uses
 * of the component itself; otherwise also uses of something inside it (`.../Pet/properties/name`).
 */
export function usesOfComponent(view: NavigationView, c: Component, exact: boolean): Use[] {
  const seen = new Set<string>();
  const out: Use[] = [];
  for (const spec of specsWith(view, c.file)) {
    for (const use of view.uses(spec.graph)) {
      const t = use.target;
      if (!t || t.file !== c.file) continue;
      if (exact ? t.segments.length !== c.segments.length || !startsWith(t.segments, c.segments) : !startsWith(t.segments, c.segments)) continue;
      const key = `${use.file}:${use.node.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(use);
    }
  }
  return out.sort((a, b) => (a.file === b.file ? a.node.start - b.node.start : a.file < b.file ? -1 : 1));
}

/**
 * Find all references of the component under the cursor (on its key or on any `$ref` to it): every
 * `$ref` and discriminator mapping that names it, in every file of the spec, and its key when
 * `includeDeclaration`.
 */
export function referencesAt(view: NavigationView, offset: number, includeDeclaration: boolean): Span[] | undefined {
  const hit = componentAt(view, offset);
  if (!hit) return undefined;
  const c = hit.component;
  const out: Span[] = [];
  if (includeDeclaration) out.push({ file: c.file, start: c.property.keyStart, end: c.property.keyEnd });
  for (const use of usesOfComponent(view, c, true)) out.push({ file: use.file, start: use.node.start, end: use.node.end });
  return out;
}
