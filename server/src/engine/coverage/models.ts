import * as path from 'node:path';
import type { ProjectContext } from '../context';
import type { SyntaxNode } from '../source/treesitter';
import { languageOf } from '../source/treesitter';
import type { Declarations } from './model';

/** The model names a project's declarations may use, and where they were found. */
export interface KnownModels {
  names: Set<string>;
  from: 'generate' | 'imports' | 'spec' | 'none';
}

const pythonTargets = new Set(['pydantic-v2', 'pydantic-v1', 'dataclasses', 'typeddict', 'python-facade']);

/**
 * Where the typed models live, in order of preference: the project's `generate` outputs (the
 * generated Python or TypeScript files), else the packages the contracts module imports its
 * models from, else the spec's component schemas (the names a generator would give them).
 */
export function knownModels(ctx: ProjectContext, decls: Declarations): KnownModels {
  if (!ctx.sources.ready) return { names: specSchemaNames(ctx), from: 'spec' };
  const fromGenerate = new Set<string>();
  for (const g of ctx.config.generate) {
    // The typed facade defines clients and tables, not models.
    if (g.target === 'python-facade') continue;
    const ext = pythonTargets.has(g.target) ? ['py', 'pyi'] : ['ts'];
    for (const f of filesUnder(ctx, g.output, ext)) for (const n of definedNames(ctx, f)) fromGenerate.add(n);
  }
  if (fromGenerate.size > 0) return { names: fromGenerate, from: 'generate' };
  if (decls.importedModules && decls.importedModules.length > 0) {
    const names = new Set<string>();
    for (const target of decls.importedModules) for (const f of filesUnder(ctx, target, ['py', 'pyi'])) for (const n of definedNames(ctx, f)) names.add(n);
    if (names.size > 0) return { names, from: 'imports' };
  }
  const spec = specSchemaNames(ctx);
  return spec.size > 0 ? { names: spec, from: 'spec' } : { names: spec, from: 'none' };
}

/** A file, or the files with these extensions below a folder. */
function filesUnder(ctx: ProjectContext, target: string, ext: string[]): string[] {
  const kind = ctx.host.fs.stat(target);
  if (kind === 'file') return [target];
  if (kind !== 'dir') return [];
  return ctx.host.fs.glob(ext.map((e) => `**/*.${e}`), target, ['**/node_modules/**', '**/__pycache__/**']);
}

/** Top-level classes, type aliases and capitalised assignments of a Python or TypeScript file. */
function definedNames(ctx: ProjectContext, file: string): string[] {
  if (!languageOf(file)) return [];
  const src = ctx.source(file);
  if (!src) return [];
  const out: string[] = [];
  const visit = (n: SyntaxNode) => {
    switch (n.type) {
      case 'class_definition':
      case 'class_declaration':
      case 'interface_declaration':
      case 'type_alias_declaration':
      case 'enum_declaration': {
        const name = n.childForFieldName('name');
        if (name) out.push(name.text);
        break;
      }
      case 'decorated_definition':
      case 'export_statement': {
        const d = n.childForFieldName('definition') ?? n.childForFieldName('declaration');
        if (d) visit(d);
        break;
      }
      case 'type_alias_statement': {
        const name = n.namedChildren[0]?.namedChildren[0] ?? n.namedChildren[0];
        if (name) out.push(name.text);
        break;
      }
      case 'expression_statement': {
        const a = n.namedChildren[0];
        const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
        if (left?.type === 'identifier' && /^[A-Z]/.test(left.text)) out.push(left.text);
        break;
      }
    }
  };
  for (const n of src.tree.rootNode.namedChildren) if (n) visit(n);
  return out;
}

function specSchemaNames(ctx: ProjectContext): Set<string> {
  const names = new Set<string>();
  for (const spec of ctx.specs) {
    const root = spec.graph.documents.get(spec.root)?.root;
    const schemas = root?.kind === 'object' ? root.map.get('components')?.value : undefined;
    const map = schemas?.kind === 'object' ? schemas.map.get('schemas')?.value : undefined;
    if (map?.kind === 'object') for (const p of map.properties) names.add(p.key);
  }
  return names;
}

/**
 * Resolves `from .models import X` (level 1, "models") to the files it may load, relative to the
 * contracts module; absolute modules are looked up from each folder above it, up to the project root.
 */
export function pythonModuleResolver(ctx: ProjectContext, contractsFile: string): (module: string, level: number) => string[] {
  return (module, level) => {
    const parts = module ? module.split('.') : [];
    const candidatesFrom = (base: string) => {
      const joined = path.join(base, ...parts);
      const out: string[] = [];
      if (ctx.host.fs.stat(joined + '.py') === 'file') out.push(joined + '.py');
      else if (parts.length > 0 && ctx.host.fs.stat(joined) === 'dir') out.push(joined);
      return out;
    };
    if (level > 0) {
      let base = path.dirname(contractsFile);
      for (let i = 1; i < level; i++) base = path.dirname(base);
      return candidatesFrom(base);
    }
    for (let dir = path.dirname(contractsFile); ; dir = path.dirname(dir)) {
      const found = candidatesFrom(dir);
      if (found.length > 0) return found;
      if (dir === ctx.config.root || path.dirname(dir) === dir || !dir.startsWith(ctx.config.root)) return [];
    }
  };
}

/**
 * The module a contracts module would import new model names from: the first Python generate
 * output, as a relative import (`.models`), when it lies in the module's package tree.
 */
export function relativeModelsModule(ctx: ProjectContext, contractsFile: string): string | undefined {
  const g = ctx.config.generate.find((x) => pythonTargets.has(x.target));
  if (!g) return undefined;
  let target = g.output;
  if (target.endsWith('.py')) target = target.slice(0, -3);
  const rel = path.relative(path.dirname(contractsFile), target);
  const parts = rel.split(path.sep);
  const ups = parts.filter((p) => p === '..').length;
  const rest = parts.filter((p) => p !== '..' && p !== '');
  if (rest.some((p) => !/^[A-Za-z_]\w*$/.test(p)) || rest.length === 0) return undefined;
  return '.'.repeat(ups + 1) + rest.join('.');
}
