import type { AstNode, PropertyNode } from '../parse/ast';
import type { Span } from '../findings';
import type { SpecGraph } from '../spec/graph';
import { joinPointer } from '../spec/pointer';

interface ParentLink {
  parent: AstNode;
  key: string;
  /** The property holding the node, when the parent is a mapping. */
  property?: PropertyNode;
}

/**
 * Where nodes of a spec's documents sit: the property that holds a node (for a key span), its
 * JSON pointer (for quick fixes that re-find it in a newer text), and a mapping from the paths
 * Spectral reports back to the engine's nodes, following `$ref`s into other files.
 */
export class Locator {
  private readonly parents = new Map<string, Map<AstNode, ParentLink>>();

  constructor(readonly graph: SpecGraph) {}

  private linksOf(file: string): Map<AstNode, ParentLink> {
    let links = this.parents.get(file);
    if (links) return links;
    links = new Map();
    this.parents.set(file, links);
    const root = this.graph.documents.get(file)?.root;
    if (!root) return links;
    // Iterative, so a deeply nested document cannot overflow the stack.
    const stack: AstNode[] = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.kind === 'object') {
        for (const p of node.properties) {
          if (links.has(p.value) || p.value === root) continue; // a YAML alias: the first place is the place
          links.set(p.value, { parent: node, key: p.key, property: p });
          stack.push(p.value);
        }
      } else if (node.kind === 'array') {
        node.items.forEach((item, i) => {
          if (links!.has(item) || item === root) return;
          links!.set(item, { parent: node, key: String(i) });
          stack.push(item);
        });
      }
    }
    return links;
  }

  /** The property whose value is this node (undefined for the root and for array items). */
  propertyOf(file: string, node: AstNode): PropertyNode | undefined {
    return this.linksOf(file).get(node)?.property;
  }

  /** The JSON pointer of a node in its file. */
  pointerOf(file: string, node: AstNode): string {
    const links = this.linksOf(file);
    const segments: string[] = [];
    for (let n: AstNode | undefined = node, guard = 0; n && guard < 10_000; guard++) {
      const link = links.get(n);
      if (!link) break;
      segments.push(link.key);
      n = link.parent;
    }
    return joinPointer(segments.reverse());
  }

  /**
   * The span a finding about this node points at: a scalar's value; an object's or array's key
   * (`StartRunRequest:`, `schema:`), so that a large schema is not underlined as a whole; an array
   * item's first key.
   */
  anchor(file: string, node: AstNode): Span {
    if (node.kind === 'scalar') return { file, start: node.start, end: node.end };
    const p = this.propertyOf(file, node);
    if (p) return { file, start: p.keyStart, end: p.keyEnd };
    if (node.kind === 'object' && node.properties.length > 0) return { file, start: node.properties[0].keyStart, end: node.properties[0].keyEnd };
    return { file, start: node.start, end: Math.min(node.end, node.start + 1) };
  }

  /** The key span of the property holding a node, or the node's anchor. */
  keySpan(file: string, node: AstNode): Span {
    const p = this.propertyOf(file, node);
    return p ? { file, start: p.keyStart, end: p.keyEnd } : this.anchor(file, node);
  }

  /** Follows every `$ref` from a node to the node that is not a reference. */
  deref(file: string, node: AstNode): { file: string; node: AstNode } {
    return this.graph.deref(file, node) ?? { file, node };
  }

  /**
   * The node a Spectral result path names. Paths of rules that run on the resolved document
   * (`resolved`) step through `$ref`s as Spectral's resolver did, into other files; their last
   * node is followed too, so a finding lands on the schema that must change. Paths of unresolved
   * rules stay in the root document. A path that runs out stops at the closest node.
   */
  locate(path: readonly (string | number)[], resolved: boolean): { file: string; node: AstNode } | undefined {
    const rootNode = this.graph.documents.get(this.graph.root)?.root;
    if (!rootNode) return undefined;
    let at = { file: this.graph.root, node: rootNode };
    for (const raw of path) {
      const seg = String(raw);
      if (resolved && seg !== '$ref') at = this.deref(at.file, at.node);
      const node = at.node;
      const next = node.kind === 'object' ? node.map.get(seg)?.value : node.kind === 'array' && /^(0|[1-9]\d*)$/.test(seg) ? node.items[Number(seg)] : undefined;
      if (!next) break;
      at = { file: at.file, node: next };
    }
    return resolved ? this.deref(at.file, at.node) : at;
  }
}
