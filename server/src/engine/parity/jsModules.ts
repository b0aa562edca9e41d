import * as path from 'node:path';
import { parseTree, findNodeAtLocation, getNodeValue } from 'jsonc-parser';
import type { ProjectContext } from '../context';
import type { ParsedSource, SyntaxNode } from '../source/treesitter';
import { concatFolded, type Folded } from './model';

/** What one JS/TS module binds and exports, for folding constants and following routers across files. */
export interface ModuleInfo {
  file: string;
  source: ParsedSource;
  /** Module-level `const` bindings: name → initializer. */
  consts: Map<string, SyntaxNode>;
  /** Function declarations and `const f = (...) => ...` at any level, by name (module scope). */
  functions: Map<string, SyntaxNode>;
  /** Local name → where it comes from. */
  imports: Map<string, { module: string; name: string }>;
  /** Exported name → local name (`default` included when it is a name). */
  exports: Map<string, string>;
  /** `export default <expression>` when it is not a plain name. */
  defaultExport?: SyntaxNode;
}

/** Resolves module specifiers (relative, tsconfig `paths` aliases, directory index files) to files. */
export class ModuleResolver {
  private readonly aliases: { pattern: string; targets: string[] }[] = [];
  private baseUrl: string | undefined;

  constructor(private readonly ctx: ProjectContext, tsconfig: string | undefined) {
    const file = tsconfig ?? [path.join(ctx.config.root, 'tsconfig.json')].find((f) => ctx.host.fs.stat(f) === 'file');
    if (file) this.loadTsconfig(file, 0);
  }

  private loadTsconfig(file: string, depth: number): void {
    const text = this.ctx.readText(file);
    if (!text || depth > 5) return;
    const tree = parseTree(text);
    if (!tree) return;
    const ext = findNodeAtLocation(tree, ['extends']);
    if (ext && typeof getNodeValue(ext) === 'string' && getNodeValue(ext).startsWith('.')) {
      const base = path.resolve(path.dirname(file), getNodeValue(ext));
      this.loadTsconfig(base.endsWith('.json') ? base : base + '.json', depth + 1);
    }
    const baseUrl = findNodeAtLocation(tree, ['compilerOptions', 'baseUrl']);
    if (baseUrl) this.baseUrl = path.resolve(path.dirname(file), String(getNodeValue(baseUrl)));
    const paths = findNodeAtLocation(tree, ['compilerOptions', 'paths']);
    if (paths) {
      const value = getNodeValue(paths) as Record<string, string[]>;
      const base = this.baseUrl ?? path.dirname(file);
      for (const [pattern, targets] of Object.entries(value ?? {})) {
        if (Array.isArray(targets)) this.aliases.push({ pattern, targets: targets.map((t) => path.resolve(base, t)) });
      }
    }
  }

  resolve(fromFile: string, specifier: string): string | undefined {
    const candidates: string[] = [];
    if (specifier.startsWith('.')) candidates.push(path.resolve(path.dirname(fromFile), specifier));
    for (const alias of this.aliases) {
      const star = alias.pattern.indexOf('*');
      if (star < 0 ? specifier === alias.pattern : specifier.startsWith(alias.pattern.slice(0, star)) && specifier.endsWith(alias.pattern.slice(star + 1))) {
        const middle = star < 0 ? '' : specifier.slice(star, specifier.length - (alias.pattern.length - star - 1));
        for (const t of alias.targets) candidates.push(t.replace('*', middle));
      }
    }
    if (this.baseUrl && !specifier.startsWith('.')) candidates.push(path.resolve(this.baseUrl, specifier));
    for (const c of candidates) {
      const found = this.existing(c);
      if (found) return found;
    }
    return undefined;
  }

  private existing(base: string): string | undefined {
    const stripped = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
    const tries = [base, `${stripped}.ts`, `${stripped}.tsx`, `${stripped}.js`, `${stripped}.mjs`, `${stripped}.jsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx'), path.join(base, 'index.js')];
    return tries.find((t) => /\.(ts|tsx|js|mjs|cjs|jsx)$/.test(t) && this.ctx.host.fs.stat(t) === 'file');
  }
}

export function stringOf(node: SyntaxNode): string | undefined {
  if (node.type === 'string') {
    const raw = node.text;
    const body = raw.slice(1, -1);
    return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) {
    return node.text.slice(1, -1);
  }
  return undefined;
}

/** Reads a module's top-level bindings, imports and exports. */
export function readModule(file: string, source: ParsedSource): ModuleInfo {
  const info: ModuleInfo = { file, source, consts: new Map(), functions: new Map(), imports: new Map(), exports: new Map() };
  const declare = (decl: SyntaxNode, exported: boolean) => {
    if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        if (d?.type !== 'variable_declarator') continue;
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        if (name?.type !== 'identifier' || !value) continue;
        info.consts.set(name.text, value);
        if (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function') info.functions.set(name.text, value);
        if (exported) info.exports.set(name.text, name.text);
      }
    } else if (decl.type === 'function_declaration' || decl.type === 'generator_function_declaration' || decl.type === 'class_declaration') {
      const name = decl.childForFieldName('name');
      if (name) {
        if (decl.type !== 'class_declaration') info.functions.set(name.text, decl);
        if (exported) info.exports.set(name.text, name.text);
      }
    }
  };
  for (const stmt of source.tree.rootNode.namedChildren) {
    if (!stmt) continue;
    if (stmt.type === 'import_statement') {
      const from = stmt.childForFieldName('source');
      const module = from ? stringOf(from) : undefined;
      if (!module) continue;
      for (const clause of stmt.namedChildren) {
        if (clause?.type !== 'import_clause') continue;
        for (const part of clause.namedChildren) {
          if (!part) continue;
          if (part.type === 'identifier') info.imports.set(part.text, { module, name: 'default' });
          else if (part.type === 'namespace_import') {
            const id = part.namedChildren.find((c) => c?.type === 'identifier');
            if (id) info.imports.set(id.text, { module, name: '*' });
          } else if (part.type === 'named_imports') {
            for (const spec of part.namedChildren) {
              if (spec?.type !== 'import_specifier') continue;
              const name = spec.childForFieldName('name')!.text;
              const alias = spec.childForFieldName('alias')?.text ?? name;
              info.imports.set(alias, { module, name });
            }
          }
        }
      }
    } else if (stmt.type === 'export_statement') {
      const decl = stmt.childForFieldName('declaration');
      const isDefault = stmt.children.some((c) => c?.type === 'default');
      if (decl) {
        declare(decl, true);
        if (isDefault) {
          const name = decl.childForFieldName('name');
          if (name) info.exports.set('default', name.text);
          else info.defaultExport = decl;
        }
        continue;
      }
      const value = stmt.childForFieldName('value');
      if (stmt.children.some((c) => c?.type === 'default')) {
        if (value?.type === 'identifier') info.exports.set('default', value.text);
        else if (value) info.defaultExport = value;
        const fn = stmt.namedChildren.find((c) => c?.type === 'function_declaration' || c?.type === 'function_expression' || c?.type === 'arrow_function' || c?.type === 'class_declaration');
        if (fn && !value) {
          info.defaultExport = fn;
          const name = fn.childForFieldName('name');
          if (name && fn.type !== 'class_declaration') info.functions.set(name.text, fn);
        }
        continue;
      }
      const clause = stmt.namedChildren.find((c) => c?.type === 'export_clause');
      const from = stmt.childForFieldName('source');
      for (const spec of clause?.namedChildren ?? []) {
        if (spec?.type !== 'export_specifier') continue;
        const name = spec.childForFieldName('name')!.text;
        const alias = spec.childForFieldName('alias')?.text ?? name;
        if (from) {
          const module = stringOf(from);
          if (module) info.imports.set(`\0reexport:${alias}`, { module, name });
          info.exports.set(alias, `\0reexport:${alias}`);
        } else info.exports.set(alias, name);
      }
    } else {
      declare(stmt, false);
      // CommonJS: module.exports = x; exports.y = z
      if (stmt.type === 'expression_statement') {
        const e = stmt.namedChildren[0];
        if (e?.type === 'assignment_expression') {
          const left = e.childForFieldName('left')?.text;
          const right = e.childForFieldName('right');
          if (right && left === 'module.exports') {
            if (right.type === 'identifier') info.exports.set('default', right.text);
            else info.defaultExport = right;
          } else if (right && left?.startsWith('exports.')) {
            if (right.type === 'identifier') info.exports.set(left.slice(8), right.text);
          }
        }
        // require(): const x = require('./m')
      }
      if (stmt.type === 'lexical_declaration' || stmt.type === 'variable_declaration') {
        for (const d of stmt.namedChildren) {
          const value = d?.childForFieldName('value');
          const name = d?.childForFieldName('name');
          if (value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'require') {
            const arg = value.childForFieldName('arguments')?.namedChildren[0];
            const module = arg ? stringOf(arg) : undefined;
            if (module && name?.type === 'identifier') info.imports.set(name.text, { module, name: 'default' });
            if (module && name?.type === 'object_pattern') {
              for (const p of name.namedChildren) {
                if (p?.type === 'shorthand_property_identifier_pattern') info.imports.set(p.text, { module, name: p.text });
              }
            }
          }
        }
      }
    }
  }
  return info;
}

/**
 * Folds JS/TS expressions to strings: literals, template literals, `+`, constants of this or an
 * imported module, and properties of constant object literals. What cannot be folded stays opaque.
 */
export class Folder {
  constructor(
    private readonly module: (file: string) => ModuleInfo | undefined,
    private readonly resolver: ModuleResolver,
  ) {}

  fold(file: string, node: SyntaxNode, depth = 0): Folded {
    if (depth > 20) return [{ opaque: node.text }];
    switch (node.type) {
      case 'string':
        return [stringOf(node) ?? ''];
      case 'template_string': {
        const out: Folded[] = [];
        let cursor = node.startIndex + 1;
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === 'template_substitution') {
            if (child.startIndex > cursor) out.push([node.tree.rootNode.text.slice(cursor, child.startIndex)]);
            const expr = child.namedChildren[0];
            out.push(expr ? this.fold(file, expr, depth + 1) : []);
            cursor = child.endIndex;
          }
        }
        if (cursor < node.endIndex - 1) out.push([node.tree.rootNode.text.slice(cursor, node.endIndex - 1)]);
        return concatFolded(...out);
      }
      case 'binary_expression': {
        const op = node.children.find((c) => c && !c.isNamed)?.text;
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        if (op === '+' && l && r) return concatFolded(this.fold(file, l, depth + 1), this.fold(file, r, depth + 1));
        return [{ opaque: node.text }];
      }
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.fold(file, inner, depth + 1) : [{ opaque: node.text }];
      }
      case 'identifier': {
        const value = this.constant(file, node.text, depth);
        return value ?? [{ opaque: node.text }];
      }
      case 'member_expression': {
        const obj = node.childForFieldName('object');
        const prop = node.childForFieldName('property');
        if (obj?.type === 'identifier' && prop) {
          const target = this.constantNode(file, obj.text, depth);
          if (target && target.node.type === 'object') {
            const pair = target.node.namedChildren.find((p) => p?.type === 'pair' && p.childForFieldName('key')?.text.replace(/['"]/g, '') === prop.text);
            const value = pair?.childForFieldName('value');
            if (value) return this.fold(target.file, value, depth + 1);
          }
          // Namespace import: ns.CONST
          const mod = this.module(file);
          const imp = mod?.imports.get(obj.text);
          if (imp?.name === '*') {
            const targetFile = this.resolver.resolve(file, imp.module);
            if (targetFile) {
              const v = this.exported(targetFile, prop.text, depth + 1);
              if (v) return v;
            }
          }
        }
        return [{ opaque: node.text }];
      }
      default:
        return [{ opaque: node.text }];
    }
  }

  /** The initializer of a constant visible in `file` (local or imported), with the file it lives in. */
  constantNode(file: string, name: string, depth = 0): { file: string; node: SyntaxNode } | undefined {
    if (depth > 20) return undefined;
    const mod = this.module(file);
    if (!mod) return undefined;
    const local = mod.consts.get(name);
    if (local) return { file, node: local };
    const imp = mod.imports.get(name);
    if (imp && imp.name !== '*') {
      const target = this.resolver.resolve(file, imp.module);
      if (!target) return undefined;
      const tm = this.module(target);
      if (!tm) return undefined;
      const localName = tm.exports.get(imp.name);
      if (localName?.startsWith('\0reexport:')) {
        const re = tm.imports.get(localName);
        if (!re) return undefined;
        const next = this.resolver.resolve(target, re.module);
        return next ? this.exportedNode(next, re.name, depth + 1) : undefined;
      }
      if (localName) return this.constantNode(target, localName, depth + 1);
      if (imp.name === 'default' && tm.defaultExport) return { file: target, node: tm.defaultExport };
    }
    return undefined;
  }

  private exportedNode(file: string, name: string, depth: number): { file: string; node: SyntaxNode } | undefined {
    const mod = this.module(file);
    const local = mod?.exports.get(name);
    if (!mod || !local) return undefined;
    return this.constantNode(file, local, depth + 1);
  }

  private exported(file: string, name: string, depth: number): Folded | undefined {
    const n = this.exportedNode(file, name, depth);
    return n ? this.fold(n.file, n.node, depth + 1) : undefined;
  }

  constant(file: string, name: string, depth = 0): Folded | undefined {
    const n = this.constantNode(file, name, depth);
    if (!n) return undefined;
    if (n.node.type === 'object' || n.node.type === 'arrow_function' || n.node.type === 'call_expression' || n.node.type === 'new_expression') return undefined;
    return this.fold(n.file, n.node, depth + 1);
  }
}
