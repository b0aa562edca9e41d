// Helpers shared by the end-to-end tests. They run inside VS Code's extension host with the real
// `vscode` API, so every wait is on an event with a deadline: never a fixed sleep.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'contract-lens.contract-lens';
export const DIAGNOSTIC_SOURCE = 'contract-lens';

/** Default deadline for waits: the language server starts cold on a 2-core machine. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The first workspace folder; every e2e run opens exactly one (a temp copy of an example). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: the e2e runner must open an example');
  return folder.uri;
}

export function workspaceFile(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

/** Activates Contract Lens (or returns its exports if already active). */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

/** Opens a workspace file in an editor, as a user would. */
export async function openWorkspaceFile(...segments: string[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(...segments));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function contractLensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** The string form of a diagnostic's code, whether it is plain or `{ value, target }`. */
export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/**
 * Resolves with Contract Lens's diagnostics for `uri` as soon as they satisfy `predicate`: checks
 * the current diagnostics first, then on every `onDidChangeDiagnostics` event that touches `uri`.
 * Rejects after `timeoutMs`, listing what was last seen so a failure says what the server did.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      listener.dispose();
      fn();
    };
    const check = () => {
      const current = contractLensDiagnostics(uri);
      let ok = false;
      try {
        ok = predicate(current);
      } catch (err) {
        finish(() => reject(err));
        return;
      }
      if (ok) finish(() => resolve(current));
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    const timer = setTimeout(() => {
      const seen = contractLensDiagnostics(uri)
        .map((d) => `  ${diagnosticCode(d) ?? '(no code)'} @${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
        .join('\n');
      finish(() =>
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${DIAGNOSTIC_SOURCE} diagnostics on ${uri.fsPath}; ` +
              `last seen:\n${seen || '  (none)'}`,
          ),
        ),
      );
    }, timeoutMs);
    check();
  });
}

/** Shorthand: waits until a diagnostic with `code` is reported for `uri`, and returns those. */
export async function waitForDiagnosticCode(
  uri: vscode.Uri,
  code: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  const all = await waitForDiagnostics(uri, (ds) => ds.some((d) => diagnosticCode(d) === code), timeoutMs);
  return all.filter((d) => diagnosticCode(d) === code);
}
