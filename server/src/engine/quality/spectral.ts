import * as path from 'node:path';
import type { ISpectralDiagnostic, RulesetDefinition } from '@stoplight/spectral-core';
import type { AstNode } from '../parse/ast';
import { toValue } from '../parse/ast';
import type { SpecGraph } from '../spec/graph';

type SpectralCore = typeof import('@stoplight/spectral-core');
export type SpectralRuleset = InstanceType<SpectralCore['Ruleset']>;

/**
 * Spectral and its rulesets cost a few hundred milliseconds to load; they are required on first
 * use, so a CLI run or a server without quality work never pays for them.
 */
export function spectralCore(): SpectralCore {
  return require('@stoplight/spectral-core') as SpectralCore;
}
export function spectralFunctions(): Record<string, unknown> {
  return require('@stoplight/spectral-functions') as Record<string, unknown>;
}
export function spectralFormats(): Record<string, unknown> {
  return require('@stoplight/spectral-formats') as Record<string, unknown>;
}
export function spectralRulesets(): Record<'oas' | 'asyncapi' | 'arazzo', RulesetDefinition> {
  return require('@stoplight/spectral-rulesets') as Record<'oas' | 'asyncapi' | 'arazzo', RulesetDefinition>;
}

/**
 * A spec as Spectral sees it, built from the engine's trees (no second parse): the root document
 * as written, and the resolved view in which every `$ref` is replaced by its target. Targets are
 * shared, not copied, and a reference back into a schema that is still being built stays a
 * `$ref` (as Spectral's own resolver leaves circular references), so the view is finite.
 */
export interface SpectralInput {
  source: string;
  unresolved: unknown;
  resolved: unknown;
  /** `file#pointer` of every reference target, for Spectral's unused-component function. */
  referenced: string[];
}

export function spectralInput(graph: SpecGraph): SpectralInput | undefined {
  const root = graph.documents.get(graph.root)?.root;
  if (!root) return undefined;
  const memo = new Map<AstNode, unknown>();
  const building = new Set<AstNode>();
  const build = (node: AstNode): unknown => {
    if (node.kind === 'scalar') return node.value;
    if (node.kind === 'object') {
      const site = graph.refAt(node);
      if (site) {
        // Follow the whole chain at once (deref is a loop, and gives up on a cycle): recursing one
        // `$ref` at a time overflowed the stack on a `$ref` cycle (ref.cycle) and on long chains.
        const target = graph.deref(site.file, node)?.node;
        if (!target || building.has(target)) return toValue(node);
        return build(target);
      }
    }
    if (building.has(node)) return null; // a YAML alias inside itself
    const known = memo.get(node);
    if (known !== undefined) return known;
    building.add(node);
    let out: unknown;
    if (node.kind === 'array') {
      const list: unknown[] = [];
      memo.set(node, list);
      for (const item of node.items) list.push(build(item));
      out = list;
    } else {
      const obj: Record<string, unknown> = {};
      memo.set(node, obj);
      for (const [k, p] of node.map) obj[k] = build(p.value);
      out = obj;
    }
    building.delete(node);
    return out;
  };
  const referenced = new Set<string>();
  for (const site of graph.refs) {
    if (site.target) referenced.add(`${path.normalize(site.target.file)}#${site.target.pointer}`);
  }
  let unresolved: unknown;
  return {
    source: path.normalize(graph.root),
    // Built on first use: only rules with `resolved: false` read it (none of the built-in ruleset's),
    // and for GitHub's description it is about 13 MB more at the pass's peak.
    get unresolved() {
      return (unresolved ??= toValue(root));
    },
    resolved: build(root),
    referenced: [...referenced],
  };
}

/**
 * Runs one ruleset over a spec. Spectral gets the values above through a resolver that hands back
 * the resolved view, so it neither reads nor parses a file; results carry paths, which the
 * caller maps to the engine's nodes (ranges are never taken from Spectral).
 */
export async function runSpectral(input: SpectralInput, ruleset: SpectralRuleset): Promise<ISpectralDiagnostic[]> {
  const { Spectral } = spectralCore();
  const referenced = input.referenced;
  const resolver = {
    uriCache: {},
    resolve: async () => ({
      result: input.resolved,
      // Only Spectral's unused-component function reads the graph (overallOrder). Mapping result
      // paths through it would fail on purpose (getNodeData throws), so Spectral keeps the
      // resolved path, which Locator.locate follows through the `$ref`s itself.
      graph: {
        overallOrder: () => referenced,
        getNodeData: () => {
          throw new Error('no per-source data');
        },
      },
      errors: [],
      refMap: {},
    }),
  };
  const spectral = new Spectral({ resolver: resolver as never });
  spectral.setRuleset(ruleset);
  // Spectral reads the document's own data only for rules with `resolved: false`.
  const unresolvedRules = Object.values(ruleset.rules).some((r) => r.enabled && !r.resolved);
  const document = {
    parsed: { data: unresolvedRules ? input.unresolved : {}, diagnostics: [], ast: {}, lineMap: [] },
    getLocationForJsonPath: () => undefined,
    source: input.source,
  };
  return spectral.run(document as never, { ignoreUnknownFormat: true });
}
