import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { documentSymbols, type NavigationView, type OutlineKind, type OutlineSymbol } from '../engine/navigation/index';

const kinds: Record<OutlineKind, SymbolKind> = {
  paths: SymbolKind.Module,
  webhooks: SymbolKind.Module,
  path: SymbolKind.Namespace,
  operation: SymbolKind.Method,
  components: SymbolKind.Module,
  section: SymbolKind.Package,
  schemas: SymbolKind.Class,
  parameters: SymbolKind.Variable,
  responses: SymbolKind.Interface,
  requestBodies: SymbolKind.Struct,
  headers: SymbolKind.Field,
  examples: SymbolKind.Constant,
  securitySchemes: SymbolKind.Key,
  links: SymbolKind.Property,
  callbacks: SymbolKind.Event,
  pathItems: SymbolKind.Namespace,
};

/** The outline of a spec file (null for files that are not part of a spec, so other extensions keep theirs). */
export function symbols(view: NavigationView): DocumentSymbol[] | null {
  if (!view.doc) return null;
  const outline = documentSymbols(view.doc, view.rootFiles.has(view.file), view.specs.length > 0);
  if (!outline) return null;
  const lines = view.doc.lines;
  const convert = (s: OutlineSymbol): DocumentSymbol => ({
    name: s.name,
    detail: s.detail,
    kind: kinds[s.kind],
    range: lines.range(s.span.start, s.span.end),
    selectionRange: lines.range(s.selection.start, s.selection.end),
    children: s.children.map(convert),
  });
  return outline.map(convert);
}
