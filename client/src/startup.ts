/**
 * When to start the language server. The extension activates on any YAML or JSON file (VS Code
 * cannot activate on a file's content), so activation itself must stay cheap: the server process
 * starts only for a workspace with a contract-lens.yaml, or once an open YAML/JSON document's first
 * 4 KB have an `openapi`/`swagger` key. A package.json or a settings file never starts it.
 */
import * as vscode from 'vscode';
import { looksLikeOpenApi } from '../../server/src/engine/project';

const sniffedLanguages = new Set(['yaml', 'json', 'jsonc']);
export const configGlob = '**/contract-lens.yaml';

/** True for an open document that is an OpenAPI (or Swagger) description, judged from its head. */
export function isOpenApiDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' || !sniffedLanguages.has(doc.languageId)) return false;
  const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(4096)));
  return looksLikeOpenApi(head);
}

/**
 * Calls `start` once, as soon as there is a reason to: a contract-lens.yaml in the workspace (now
 * or created later), or an OpenAPI document opened. Returns the listeners to dispose.
 */
export function startWhenNeeded(start: (reason: string) => void): vscode.Disposable {
  let started = false;
  const disposables: vscode.Disposable[] = [];
  const fire = (reason: string) => {
    if (started) return;
    started = true;
    disposables.forEach((d) => d.dispose());
    start(reason);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(configGlob, false, true, true);
  disposables.push(
    watcher,
    watcher.onDidCreate((uri) => fire(`${vscode.workspace.asRelativePath(uri)} was created`)),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isOpenApiDocument(doc)) fire(`${vscode.workspace.asRelativePath(doc.uri)} is an OpenAPI document`);
    }),
  );
  const open = vscode.workspace.textDocuments.find(isOpenApiDocument);
  if (open) fire(`${vscode.workspace.asRelativePath(open.uri)} is an OpenAPI document`);
  else {
    void vscode.workspace.findFiles(configGlob, '**/node_modules/**', 1).then((found) => {
      if (found.length) fire(`${vscode.workspace.asRelativePath(found[0])} is in the workspace`);
    });
  }
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
