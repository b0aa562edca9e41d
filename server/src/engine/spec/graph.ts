import { itemsPerSlice, runSteps } from '../steps';
import * as path from 'node:path';
import { childAt, type AstNode, type ObjectNode, type ScalarNode } from '../parse/ast';
import type { TextChange } from '../text';
import type { ParsedDocument } from '../parse/document';
import { finding, movedFinding, type Finding, type Span } from '../findings';
import { didYouMean } from '../similarity';
import { decodeFragment, joinPointer, parsePointer, resolvePointer } from './pointer';
import { isInside } from '../paths';

/** Reads (and caches) parsed documents; returns why not when it cannot. */
export interface DocumentSource {
  read(file: string): ParsedDocument | { error: 'missing' | 'too-large' | 'unreadable'; detail?: string };
}

/** One `$ref` occurrence and what it resolved to. */
export interface RefSite {
  file: string;
  /** The object holding the `$ref` key. */
  holder: ObjectNode;
  /** The `$ref` value. */
  valueNode: AstNode;
  ref: string;
  target?: { file: string; node: AstNode; pointer: string };
}

export interface ResolvedNode {
  file: string;
  node: AstNode;
}

/**
 * The root document of a spec and every file it reaches through `$ref`, with each reference
 * resolved once. Checks ask it to dereference; it never fetches remote URLs and never leaves the
 * allowed folder.
 */
export class SpecGraph {
  readonly documents = new Map<string, ParsedDocument>();
  readonly refs: RefSite[] = [];
  readonly findings: Finding[] = [];
  private readonly refByHolder = new Map<ObjectNode, RefSite>();
  /** Referenced files that could not be read (missing, too large...). */
  private unreadable = 0;

  constructor(
    readonly root: string,
    private readonly source: DocumentSource,
    readonly allowedRoot: string,
    private readonly realpath: (p: string) => string = (p) => p,
    /** Names of the files in a folder, for "did you mean" on a missing file. */
    private readonly siblings: (dir: string) => string[] = () => [],
  ) {}

  /** Loads the root and every file reachable from it. Returns false when the root is unreadable. */
  load(): boolean {
    return runSteps(this.loadSteps());
  }

  /** {@link load}, pausing (yielding) every few thousand references: a check can let requests in. */
  *loadSteps(): Generator<void, boolean> {
    let work = 0;
    const first = this.source.read(this.root);
    if ('error' in first) return false;
    this.documents.set(this.root, first);
    const queue: string[] = [this.root];
    const failedFiles = new Map<string, string>();
    this.unreadable = 0;
    while (queue.length > 0) {
      const file = queue.shift()!;
      const doc = this.documents.get(file)!;
      if (!doc.root) continue;
      const sites: RefSite[] = [];
      yield* collectRefs(doc.root, file, sites);
      yield;
      for (const site of sites) {
        if (++work % itemsPerSlice === 0) yield;
        this.refs.push(site);
        this.refByHolder.set(site.holder, site);
        const target = this.locate(site);
        if (!target || this.documents.has(target) || failedFiles.has(target)) continue;
        const next = this.source.read(target);
        if ('error' in next) {
          this.unreadable++;
          failedFiles.set(target, next.error === 'missing' ? 'does not exist' : next.error === 'too-large' ? 'is too large to load' : `could not be read${next.detail ? ` (${next.detail})` : ''}`);
        } else {
          this.documents.set(target, next);
          queue.push(target);
        }
      }
    }
    // Pointers into other files can only be checked once those files are loaded.
    for (const site of this.refs) {
      if (++work % itemsPerSlice === 0) yield;
      const where = this.pending.get(site);
      if (!where) continue;
      const reason = failedFiles.get(where.file);
      if (reason !== undefined) this.reportMissingFile(site, where.file, reason);
      else this.resolvePointerOf(site, where);
    }
    this.pending.clear();
    yield;
    yield* this.detectCycles();
    return true;
  }

  /**
   * This graph carried over to new texts of its files, each either unchanged (the same parsed
   * document) or changed only inside a plain scalar ({@link Reparsed.scalarOnly}): the same
   * references resolving to the same places, at moved offsets. Every file is read again through
   * `source` (so it is a dependency of the check, as a load would make it). Undefined when a
   * file cannot be carried over, or when a file the graph could not read might now be readable:
   * then only a load can say.
   */
  rebased(source: DocumentSource, editOf: (now: ParsedDocument, before: ParsedDocument) => TextChange | undefined): { graph: SpecGraph; changes: Map<string, TextChange> } | undefined {
    if (this.unreadable > 0) return undefined;
    const graph = new SpecGraph(this.root, source, this.allowedRoot, this.realpath, this.siblings);
    const changes = new Map<string, TextChange>();
    for (const [file, before] of this.documents) {
      const now = source.read(file);
      if ('error' in now) return undefined;
      if (now !== before) {
        const change = editOf(now, before);
        if (!change) return undefined;
        changes.set(file, change);
      }
      graph.documents.set(file, now);
    }
    // Nodes before an edit are shared by both trees; others are found again at their moved offsets.
    let lost = false;
    const node = <T extends AstNode>(file: string, n: T): T => {
      const change = changes.get(file);
      if (!change || n.end < change.start) return n;
      const at = (o: number) => (o >= change.oldEnd ? o + change.newEnd - change.oldEnd : o);
      const found = nodeAt(graph.documents.get(file)!.root!, at(n.start), at(n.end), n.kind);
      // The edited scalar itself, when a reference points at it, may have moved otherwise.
      if (!found) lost = true;
      return (found ?? n) as T;
    };
    for (const site of this.refs) {
      const moved: RefSite = { file: site.file, holder: node(site.file, site.holder), valueNode: node(site.file, site.valueNode), ref: site.ref };
      if (site.target) moved.target = { file: site.target.file, node: node(site.target.file, site.target.node), pointer: site.target.pointer };
      graph.refs.push(moved);
      graph.refByHolder.set(moved.holder, moved);
    }
    if (lost) return undefined;
    for (const f of this.findings) graph.findings.push(movedFinding(f, changes));
    return { graph, changes };
  }

  /** Files of this spec, root first. */
  get files(): string[] {
    return [...this.documents.keys()];
  }

  /** Follows `$ref`s from a node until it reaches one that is not a reference. */
  deref(file: string, node: AstNode | undefined): ResolvedNode | undefined {
    let current: ResolvedNode | undefined = node ? { file, node } : undefined;
    for (let hops = 0; current && hops < 10_000; hops++) {
      if (current.node.kind !== 'object') return current;
      const site = this.refByHolder.get(current.node);
      if (!site) return current;
      if (!site.target) return undefined;
      current = { file: site.target.file, node: site.target.node };
    }
    return undefined;
  }

  /** The reference an object holds (`{$ref: ...}`), if any. */
  refAt(holder: AstNode): RefSite | undefined {
    return holder.kind === 'object' ? this.refByHolder.get(holder) : undefined;
  }

  private pending = new Map<RefSite, { file: string; fragment: string }>();

  /** Works out which file a reference points into; reports remote, invalid and escaping references. */
  private locate(site: RefSite): string | undefined {
    const span: Span = { file: site.file, start: site.valueNode.start, end: site.valueNode.end };
    if (site.valueNode.kind !== 'scalar' || typeof site.valueNode.value !== 'string') {
      this.findings.push(finding('ref.invalid', 'A `$ref` must be a string.', span));
      return undefined;
    }
    const ref = site.ref;
    const hash = ref.indexOf('#');
    const filePart = hash >= 0 ? ref.slice(0, hash) : ref;
    const fragment = hash >= 0 ? ref.slice(hash + 1) : '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart) && !/^[a-z]:[\\/]/i.test(filePart)) {
      this.findings.push(
        finding('ref.remote-not-fetched', `"${ref}" is a remote reference; Contract Lens never fetches remote documents, so what it points at is not checked.`, span, { data: { ref } }),
      );
      return undefined;
    }
    let targetFile = site.file;
    if (filePart !== '') {
      let decoded = filePart;
      try {
        decoded = decodeURI(filePart);
      } catch {
        /* keep as written */
      }
      targetFile = path.resolve(path.dirname(site.file), decoded);
      if (!isInside(this.allowedRoot, targetFile) || !isInside(this.realpath(this.allowedRoot), this.realpath(targetFile))) {
        this.findings.push(
          finding('ref.outside-project', `"${ref}" leads outside the project folder; such references are refused.`, span, { data: { ref, allowedRoot: this.allowedRoot } }),
        );
        return undefined;
      }
    }
    this.pending.set(site, { file: targetFile, fragment });
    return targetFile;
  }

  private reportMissingFile(site: RefSite, file: string, reason: string): void {
    const span: Span = { file: site.file, start: site.valueNode.start, end: site.valueNode.end };
    const hash = site.ref.indexOf('#');
    const filePart = hash >= 0 ? site.ref.slice(0, hash) : site.ref;
    const suggestion = reason === 'does not exist' ? this.suggestFile(file) : undefined;
    this.findings.push(
      finding('ref.unresolved', `"${site.ref}" does not resolve: the file "${filePart}" ${reason}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, span, {
        data: { ref: site.ref, missingFile: filePart, ...(suggestion ? { suggestion } : {}) },
      }),
    );
  }

  private suggestFile(missing: string): string | undefined {
    const dir = path.dirname(missing);
    return didYouMean(path.basename(missing), this.siblings(dir));
  }

  private resolvePointerOf(site: RefSite, where: { file: string; fragment: string }): void {
    const doc = this.documents.get(where.file);
    if (!doc?.root) return; // the file's own syntax findings say why
    const span: Span = { file: site.file, start: site.valueNode.start, end: site.valueNode.end };
    const fragment = decodeFragment(where.fragment);
    if (fragment !== '' && !fragment.startsWith('/')) {
      this.findings.push(finding('ref.invalid', `"${site.ref}" has a fragment that is not a JSON pointer (it must start with "#/").`, span, { data: { ref: site.ref } }));
      return;
    }
    const segments = parsePointer(fragment);
    const result = resolvePointer(doc.root, segments);
    if (result.ok) {
      site.target = { file: where.file, node: result.node, pointer: fragment };
      return;
    }
    const siblings = result.parent.kind === 'object' ? [...result.parent.map.keys()] : [];
    const suggestion = didYouMean(result.missing, siblings);
    const container = result.resolvedSegments.length === 0 ? 'the document root' : `#${joinPointer(result.resolvedSegments)}`;
    const hashAt = site.ref.indexOf('#');
    const suggestedRef = suggestion ? `${site.ref.slice(0, hashAt + 1)}${joinPointer([...result.resolvedSegments, suggestion, ...segments.slice(result.resolvedSegments.length + 1)])}` : undefined;
    this.findings.push(
      finding('ref.unresolved', `"${site.ref}" does not resolve: "${result.missing}" is not in ${container}${where.file !== site.file ? ` of ${path.basename(where.file)}` : ''}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, span, {
        data: { ref: site.ref, missing: result.missing, ...(suggestedRef ? { suggestion, suggestedRef } : {}) },
      }),
    );
  }

  /** A `$ref` whose chain of references returns to itself describes nothing at all. Pauses (yields) every few thousand references. */
  private *detectCycles(): Generator<void, void> {
    const state = new Map<ObjectNode, 'active' | 'done'>();
    const reported = new Set<ObjectNode>();
    let work = 0;
    for (const start of this.refs) {
      if (++work % itemsPerSlice === 0) yield;
      if (state.get(start.holder) === 'done') continue;
      const chain: RefSite[] = [];
      let site: RefSite | undefined = start;
      while (site && state.get(site.holder) !== 'done') {
        if (state.get(site.holder) === 'active') {
          const loopStart = chain.indexOf(site);
          const loop = chain.slice(loopStart);
          if (!loop.some((s) => reported.has(s.holder))) {
            const first = loop[0];
            loop.forEach((s) => reported.add(s.holder));
            this.findings.push(
              finding('ref.cycle', `"${first.ref}" is part of a reference cycle of ${loop.length} \`$ref\`${loop.length === 1 ? '' : 's'} that never reaches a definition.`, { file: first.file, start: first.valueNode.start, end: first.valueNode.end }, {
                related: loop.slice(1).map((s) => ({ span: { file: s.file, start: s.valueNode.start, end: s.valueNode.end }, message: `continues with "${s.ref}"` })),
                data: { ref: first.ref, length: loop.length },
              }),
            );
          }
          break;
        }
        state.set(site.holder, 'active');
        chain.push(site);
        const target: AstNode | undefined = site.target?.node;
        site = target && target.kind === 'object' ? this.refByHolder.get(target) : undefined;
      }
      for (const s of chain) state.set(s.holder, 'done');
    }
  }
}

/** The node of `kind` whose source is exactly [start, end), found by descending from the root. */
function nodeAt(root: AstNode, start: number, end: number, kind: AstNode['kind']): AstNode | undefined {
  for (let node: AstNode | undefined = root; node; node = childAt(node, start)) {
    if (node.start === start && node.end === end && node.kind === kind) return node;
    if (start < node.start || end > node.end) return undefined;
  }
  return undefined;
}

/** Keys whose values are data (examples, defaults, extensions), where `$ref` is not a reference. */
const dataKeys = new Set(['example', 'default', 'enum', 'const']);

/**
 * Every `$ref` under a node, in document order (depth first), walked with an explicit stack so
 * that it can pause (yield) every few thousand nodes on a large document.
 */
function* collectRefs(root: AstNode, file: string, out: RefSite[]): Generator<void, void> {
  // Two parallel stacks (node, and the key it is the value of): no allocation per node.
  const nodes: AstNode[] = [root];
  const keys: (string | undefined)[] = [undefined];
  let visited = 0;
  while (nodes.length > 0) {
    if (++visited % 10_000 === 0) yield;
    const node = nodes.pop()!;
    const parentKey = keys.pop();
    if (node.kind === 'array') {
      const key = parentKey === 'examples' ? 'examples-array' : undefined;
      for (let i = node.items.length - 1; i >= 0; i--) {
        nodes.push(node.items[i]);
        keys.push(key);
      }
      continue;
    }
    if (node.kind !== 'object') continue;
    if (parentKey === 'examples-array') continue;
    const isPropertyMap = parentKey === 'properties' || parentKey === 'patternProperties';
    const isNamedMap = parentKey === 'responses' || parentKey === 'examples';
    const ref = node.map.get('$ref');
    if (ref && !isPropertyMap) {
      const v = ref.value as ScalarNode;
      out.push({ file, holder: node, valueNode: ref.value, ref: v.kind === 'scalar' && typeof v.value === 'string' ? v.value : '' });
    }
    for (let i = node.properties.length - 1; i >= 0; i--) {
      const p = node.properties[i];
      const value = p.value;
      // Scalars hold no `$ref`: not worth a trip through the stack.
      if (value.kind === 'scalar') continue;
      // Keys of `responses` and `examples` are statuses and names (`default: {$ref: ...}`), not data keywords.
      if (!isPropertyMap && (p.key === '$ref' || (dataKeys.has(p.key) && !isNamedMap) || p.key.startsWith('x-'))) continue;
      if (parentKey === 'example-entry' && p.key === 'value') continue;
      nodes.push(value);
      keys.push(isPropertyMap ? undefined : parentKey === 'examples' ? 'example-entry' : p.key);
    }
  }
}
