/**
 * The VS Code door: starts the Contract Lens language server and stays thin. Everything the user
 * sees (diagnostics, hovers) comes from the server; the client only wires commands and output.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { commands, defaultServerSettings, diagnosticSource } from '../../server/src/protocol';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('contractLens');
  return { enable: c.get<boolean>('enable', defaultServerSettings.enable) };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Specs and configs, and the server and SDK sources whose unsaved edits change parity.
    documentSelector: ['yaml', 'json', 'jsonc', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'].map((language) => ({ scheme: 'file', language })),
    diagnosticCollectionName: diagnosticSource,
    outputChannel: output,
    initializationOptions: { settings: serverSettings() },
    synchronize: {
      configurationSection: 'contractLens',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json,ts,tsx,mts,cts,js,jsx,mjs,cjs,py}'),
    },
  };
  client = new LanguageClient('contractLens', 'Contract Lens', serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Contract Lens', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(commands.showOutput, () => output?.show(true)),
    // CodeLens targets: the server sends a file uri and an LSP range.
    vscode.commands.registerCommand(commands.openLocation, async (uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      await vscode.window.showTextDocument(doc, { selection: r });
    }),
    vscode.commands.registerCommand(commands.restartServer, async () => {
      await client?.stop();
      client = undefined;
      await startClient(context);
    }),
  );
  try {
    await startClient(context);
  } catch (e) {
    const message = `Contract Lens could not start its language server: ${(e as Error).message}`;
    output.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && output?.show(true));
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
