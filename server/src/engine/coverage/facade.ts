import * as path from 'node:path';
import type { ProjectContext } from '../context';
import { finding, type Finding } from '../findings';
import { relativePath } from '../paths';
import type { SyntaxNode } from '../source/treesitter';
import { facadeFiles } from '../generate/facade';
import { parseHeader } from '../generate/header';
import type { TypedDecl } from './model';

/**
 * `coverage.missing-from-facade`: typed declarations (already resolved against the spec) whose SDK
 * operation key the generated facade's `CONTRACTS` table does not have, so `client.typed` has no
 * method for them until the facade is regenerated. Reads the generated `contracts.py` of each
 * python-facade target; a facade not generated yet, or not ours, is reported by the generate
 * checks instead.
 */
export function facadeCoverageFindings(ctx: ProjectContext, typed: readonly TypedDecl[]): Finding[] {
  const findings: Finding[] = [];
  if (!ctx.sources.ready) return findings;
  for (const gen of ctx.config.generate) {
    if (gen.target !== 'python-facade') continue;
    const file = path.join(gen.output, facadeFiles.contracts);
    const text = ctx.readText(file);
    if (text === undefined || !parseHeader(text)) continue;
    const src = ctx.source(file);
    if (!src) continue;
    const keys = contractKeys(src.tree.rootNode);
    const output = relativePath(ctx.config.root, gen.output);
    for (const d of typed) {
      if (d.key === undefined || d.operationId === undefined || keys.has(d.key)) continue;
      findings.push(
        finding('coverage.missing-from-facade', `"${d.key}" (${d.operationId}) is declared typed, but the generated facade in ${output}/ has no method for it: regenerate the facade.`, d.keySpan ?? d.idEntry?.span ?? d.span, {
          data: { key: d.key, operationId: d.operationId, target: gen.target, output },
        }),
      );
    }
  }
  return findings;
}

/** The string keys of the top-level `CONTRACTS = {...}` (annotated or not). */
function contractKeys(root: SyntaxNode): Set<string> {
  const keys = new Set<string>();
  for (const st of root.namedChildren) {
    const a = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.text !== 'CONTRACTS') continue;
    const right = a.childForFieldName('right');
    if (right?.type !== 'dictionary') continue;
    for (const pair of right.namedChildren) {
      const key = pair?.type === 'pair' ? pair.childForFieldName('key') : undefined;
      if (key?.type !== 'string') continue;
      const content = key.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
      keys.add(content.replace(/\\(["'\\])/g, '$1'));
    }
  }
  return keys;
}
