import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem } from 'vscode-languageserver';
import { completionsAt, type CompletionKind, type NavigationView } from '../engine/navigation/index';

const kinds: Record<CompletionKind, CompletionItemKind> = {
  reference: CompletionItemKind.Reference,
  file: CompletionItemKind.File,
  operation: CompletionItemKind.Function,
  key: CompletionItemKind.Constant,
  model: CompletionItemKind.Class,
  status: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

/** Completion items for the position; each replaces the token under the cursor. */
export function completion(view: NavigationView, offset: number): CompletionItem[] {
  const lines = view.lines(view.file);
  return completionsAt(view, offset).map((c) => {
    const item: CompletionItem = {
      label: c.label,
      kind: kinds[c.kind],
      detail: c.detail,
      textEdit: { range: lines.range(c.replace.start, c.replace.end), newText: c.insertText },
      filterText: c.filterText,
      sortText: c.sortText,
    };
    if (c.documentation) item.documentation = { kind: 'markdown', value: c.documentation };
    if (c.snippet) {
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.insertTextMode = InsertTextMode.adjustIndentation;
    }
    return item;
  });
}
