/**
 * "Contract Lens: Create Configuration": asks the server what a starter contract-lens.yaml for a
 * folder should say (it detects the spec, server framework, SDK, declarations and generated
 * models, reading only), writes it unless the folder already has one, and opens it.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createConfigurationRequest, type CreateConfigurationParams, type CreateConfigurationResult } from '../../server/src/protocol';

async function pickFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to create contract-lens.yaml in' }))?.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create contract-lens.yaml here' });
  return picked?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the command. `folder` (a Uri or a URI string) skips the folder choice; the explorer's
 * context menu passes it too. Resolves with the configuration's URI (created or already there).
 */
export async function createConfiguration(client: () => Promise<LanguageClient>, output: vscode.LogOutputChannel, folder?: unknown): Promise<vscode.Uri | undefined> {
  const target = await pickFolder(folder);
  if (!target) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Contract Lens: looking for the spec, server and SDK' },
    async () => (await client()).sendRequest<CreateConfigurationResult | null>(createConfigurationRequest, { folder: target.toString() } satisfies CreateConfigurationParams),
  );
  if (!result) {
    void vscode.window.showErrorMessage(`Contract Lens could not look into ${target.fsPath}; see the output.`);
    return undefined;
  }
  const uri = vscode.Uri.parse(result.uri);
  // Never overwrite: the server checked, but the file may have appeared since.
  if (result.exists || (await exists(uri))) {
    await vscode.window.showTextDocument(uri);
    void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(uri)} already exists; it was opened, not changed.`);
    return uri;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(result.text));
  output.info(`Created ${uri.fsPath}. Detected:${result.detected.length ? result.detected.map((d) => `\n  ${d}`).join('') : ' nothing (a commented template was written)'}`);
  await vscode.window.showTextDocument(uri);
  void vscode.window.showInformationMessage(
    result.detected.length ? `Contract Lens: created contract-lens.yaml (${result.detected.length} detection${result.detected.length > 1 ? 's' : ''}; check the commented lines).` : 'Contract Lens: created a commented contract-lens.yaml template (nothing was detected).',
  );
  return uri;
}
