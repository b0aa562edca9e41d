/**
 * The VS Code door: starts the Contract Lens language server and stays thin. Everything the user
 * sees (diagnostics, hovers) comes from the server; the client only wires commands and output.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  checkWorkspaceRequest,
  commands,
  contextKeys,
  coverageReportRequest,
  defaultSettings,
  diagnosticSource,
  readSettings,
  settingsSection,
  statusNotification,
  workspaceTrustNotification,
  type CheckWorkspaceResult,
  type CoverageReportResult,
  type StatusParams,
  regenerateModelsRequest,
  type RegenerateModelsResult,
} from '../../server/src/protocol';
import { serverEnvironment } from '../../server/src/launch';
import { startWhenNeeded } from './startup';
import { createConfiguration } from './createConfiguration';

let client: LanguageClient | undefined;
/** The start in progress, so that two callers (a command, an opened spec) share one server. */
let starting: Promise<LanguageClient> | undefined;
let output: vscode.LogOutputChannel | undefined;
let status: vscode.StatusBarItem | undefined;
let lastStatus: StatusParams | undefined;

/** Shows the typed coverage of the project that holds the active editor's file (or the only one). */
function renderStatus(): void {
  if (!status) return;
  const projects = lastStatus?.projects.filter((p) => p.coverage) ?? [];
  const file = vscode.window.activeTextEditor?.document.uri.fsPath;
  const active = projects.find((p) => file && !path.relative(p.root, file).startsWith('..')) ?? (projects.length === 1 ? projects[0] : undefined);
  const busy = lastStatus?.state === 'busy' ? '$(sync~spin) ' : '';
  if (!active?.coverage) {
    if (busy) {
      status.text = `${busy}Contract Lens`;
      status.tooltip = 'Contract Lens is checking the workspace';
      status.show();
    } else status.hide();
    return;
  }
  status.text = `${busy}$(checklist) ${active.coverage.text}`;
  status.tooltip = `${active.coverage.tooltip}\nClick for the coverage report.`;
  status.show();
}

/** The `contractLens` settings, checked against the typed table (server/src/settings.ts). */
function serverSettings() {
  const c = vscode.workspace.getConfiguration(settingsSection);
  return readSettings(Object.fromEntries(Object.keys(defaultSettings).map((key) => [key, c.get(key)])));
}

/** What the extension gives other extensions (and the e2e tests): the language server's state. */
export interface ContractLensApi {
  /** `stopped` until there is a reason to start (see startup.ts), then `starting`, then `running`. */
  serverState(): 'stopped' | 'starting' | 'running';
}

/** The running client, starting the server first if it is not running yet. */
function ensureClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  if (client?.isRunning()) return Promise.resolve(client);
  starting ??= startClient(context)
    .then(() => client!)
    .finally(() => (starting = undefined));
  return starting;
}

function reportStartFailure(e: unknown): void {
  const message = `Contract Lens could not start its language server: ${(e as Error).message}`;
  output?.error(message);
  void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && output?.show(true));
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: serverEnvironment(process.env) } },
    debug: { module, transport: TransportKind.ipc, options: { env: serverEnvironment(process.env), execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Specs and configs, and the server and SDK sources whose unsaved edits change parity.
    documentSelector: ['yaml', 'json', 'jsonc', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'].map((language) => ({ scheme: 'file', language })),
    diagnosticCollectionName: diagnosticSource,
    outputChannel: output,
    // Trust decides whether the server may run the workspace's own JavaScript (Spectral custom functions).
    initializationOptions: { settings: serverSettings(), trusted: vscode.workspace.isTrusted },
    synchronize: {
      configurationSection: 'contractLens',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json,ts,tsx,mts,cts,js,jsx,mjs,cjs,py}'),
    },
  };
  client = new LanguageClient('contractLens', 'Contract Lens', serverOptions, clientOptions);
  // Commands that talk to the server are enabled only while it runs (package.json `enablement`).
  client.onDidChangeState((e) => void vscode.commands.executeCommand('setContext', contextKeys.serverReady, e.newState === State.Running));
  await client.start();
  await vscode.commands.executeCommand('setContext', contextKeys.serverReady, true);
  client.onNotification(statusNotification, (params: StatusParams) => {
    lastStatus = params;
    renderStatus();
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<ContractLensApi> {
  output = vscode.window.createOutputChannel('Contract Lens', { log: true });
  status = vscode.window.createStatusBarItem('contractLens.coverage', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Contract Lens typed coverage';
  status.command = commands.showCoverageReport;
  context.subscriptions.push(status, vscode.window.onDidChangeActiveTextEditor(() => renderStatus()));
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(workspaceTrustNotification, { trusted: true })));
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(commands.showOutput, () => output?.show(true)),
    // CodeLens targets: the server sends a file uri and an LSP range.
    vscode.commands.registerCommand(commands.openLocation, async (uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      await vscode.window.showTextDocument(doc, { selection: r });
    }),
    vscode.commands.registerCommand(commands.showCoverageReport, async (uri?: string) => {
      if (!client) return;
      const file = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      const report = await client.sendRequest<CoverageReportResult>(coverageReportRequest, { file });
      if (report.projects === 0) {
        void vscode.window.showInformationMessage('No Contract Lens project declares typed coverage (`coverage:` in contract-lens.yaml).');
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report.markdown });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    }),
    vscode.commands.registerCommand(commands.regenerateModels, async (uri?: string) => {
      if (!client) return;
      const file = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Contract Lens: regenerating models' }, () =>
        client!.sendRequest<RegenerateModelsResult>(regenerateModelsRequest, { file }),
      );
      if (result.refused.length > 0) {
        void vscode.window.showErrorMessage(`Contract Lens did not overwrite ${result.refused.map((r) => `${r.file} (${r.reason})`).join(', ')}.`);
      }
      if (result.projects === 0) void vscode.window.showInformationMessage('No Contract Lens project has `generate` targets in contract-lens.yaml.');
      else output?.info(`Regenerated models: ${result.written.length} file(s) written, ${result.unchanged} unchanged, ${result.refused.length} refused.`);
    }),
    vscode.commands.registerCommand(commands.checkWorkspace, async () => {
      if (!client) return;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Contract Lens: checking the workspace' }, () =>
        client!.sendRequest<CheckWorkspaceResult>(checkWorkspaceRequest),
      );
      void vscode.window.showInformationMessage(`Contract Lens: ${result.projects} project(s), ${result.errors} error(s), ${result.warnings} warning(s).`);
    }),
    vscode.commands.registerCommand(commands.restartServer, async () => {
      await starting?.catch(() => undefined);
      await client?.stop();
      client = undefined;
      await ensureClient(context).catch(reportStartFailure);
    }),
    // Also in a folder that has no project yet: the server is started for it.
    vscode.commands.registerCommand(commands.createConfiguration, (folder?: unknown) => createConfiguration(() => ensureClient(context), output!, folder)),
    startWhenNeeded((reason) => {
      output?.info(`Starting the language server: ${reason}.`);
      void ensureClient(context).catch(reportStartFailure);
    }),
  );
  return { serverState: () => (client?.isRunning() ? 'running' : starting ? 'starting' : 'stopped') };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
