import type { SpecResult } from '../context';
import { itemsPerSlice } from '../steps';
import { finding, type Finding } from '../findings';
import type { ParsedDocument } from '../parse/document';
import type { ObjectNode } from '../parse/ast';
import type { TextEdit } from '../edits';
import { removeProperty } from '../edits';
import { componentAtPointer, componentsOf, kindLabel, rootFilesOf, usesOfSteps, type Component } from '../spec/components';
import { parsePointer } from '../spec/pointer';

/**
 * Components of a root spec that nothing uses: no `$ref` (from any file of any spec of the
 * project) and no discriminator mapping points at them or into them. A reference from inside the
 * component itself (a recursive schema) does not count. Security schemes are used by name in
 * `security`, not by `$ref`, so they are left out; so is a root without any path or webhook,
 * which is a library of components for other documents. Pauses (yields) every few thousand uses
 * of a large spec, so the server's check can let requests in.
 */
export function* unusedComponentsSteps(specs: readonly SpecResult[]): Generator<void, Finding[]> {
  const rootFiles = rootFilesOf(specs.map((s) => s.graph));
  const used = new Set<string>();
  const keyOf = (c: Pick<Component, 'file' | 'segments'>) => `${c.file}#${c.segments.join('/')}`;
  let work = 0;
  for (const spec of specs) {
    for (const use of yield* usesOfSteps(spec.graph)) {
      if (++work % itemsPerSlice === 0) yield;
      if (!use.target) continue;
      const doc = spec.graph.documents.get(use.target.file);
      if (!doc) continue;
      const target = componentAtPointer(doc, use.target.segments, rootFiles);
      if (!target) continue;
      if (use.file === target.file && use.node.start >= target.property.keyStart && use.node.end <= target.property.value.end) continue;
      used.add(keyOf(target));
    }
  }
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const spec of specs) {
    const doc = spec.graph.documents.get(spec.root);
    const root = doc?.root;
    if (!doc || root?.kind !== 'object' || !documentsOperations(root)) continue;
    for (const c of componentsOf(doc, rootFiles)) {
      if (!c.kind || c.kind === 'securitySchemes' || used.has(keyOf(c)) || reported.has(keyOf(c))) continue;
      reported.add(keyOf(c));
      const pointer = '/' + c.segments.join('/');
      out.push(
        finding('spec.unused-component', `${capitalize(kindLabel[c.kind])} "${c.name}" is not used: no $ref points at #${pointer}.`, { file: c.file, start: c.property.keyStart, end: c.property.keyEnd }, {
          data: { kind: c.kind, name: c.name, pointer },
        }),
      );
    }
  }
  return out;
}

function documentsOperations(root: ObjectNode): boolean {
  const has = (key: string) => {
    const v = root.map.get(key)?.value;
    return v?.kind === 'object' && v.properties.some((p) => !p.key.startsWith('x-'));
  };
  return has('paths') || has('webhooks');
}

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/**
 * The quick fix of `spec.unused-component`: deletes the component (its key and value) from the
 * current text. Undefined when the pointer no longer names a component of the file.
 */
export function deleteComponentEdit(doc: ParsedDocument, pointer: string): TextEdit | undefined {
  const c = componentAtPointer(doc, parsePointer(pointer), new Set([doc.path]));
  if (!c) return undefined;
  return removeProperty(doc, c.parent, c.property);
}
