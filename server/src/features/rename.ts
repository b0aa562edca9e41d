import { ResponseError, ErrorCodes, type Range, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { prepareRenameAt, renameAt, type NavigationView } from '../engine/navigation/index';

/** Prepare rename: the name under the cursor, or the engine's reason as an error the editor shows. */
export function prepareRename(view: NavigationView, offset: number): { range: Range; placeholder: string } | ResponseError<void> {
  const r = prepareRenameAt(view, offset);
  if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
  return { range: view.lines(r.span.file).range(r.span.start, r.span.end), placeholder: r.placeholder };
}

/** Rename a component: one workspace edit over every file; a refusal (collision, invalid name) becomes an error message. */
export function rename(view: NavigationView, offset: number, newName: string): WorkspaceEdit | ResponseError<void> {
  const r = renameAt(view, offset, newName);
  if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of r.edits) (changes[URI.file(e.file).toString()] ??= []).push({ range: view.lines(e.file).range(e.start, e.end), newText: e.newText });
  return { changes };
}
