import { spawn, type ChildProcess } from 'node:child_process';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createProtocolConnection, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, ShutdownRequest, ExitNotification, type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { serverBundle } from './examples';

/**
 * A real LSP client talking to the bundled server over stdio: the same bytes VS Code would send.
 * Diagnostics are collected per uri so tests can wait for the publication they expect.
 */
export class LspTestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in order of arrival. */
  readonly publications: PublishDiagnosticsParams[] = [];
  readonly log: string[] = [];
  private waiters: { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  exited = false;

  constructor() {
    // CONTRACT_LENS_TEST_NODE_ARGS: node options for the server under test (e.g. --report-on-signal to look into a hang).
    const nodeArgs = (process.env.CONTRACT_LENS_TEST_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.process = spawn(process.execPath, [...nodeArgs, serverBundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.on('exit', () => (this.exited = true));
    this.process.stderr!.on('data', (d) => this.log.push(String(d)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.publications.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.predicate(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.log.push(p.message);
    });
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  /** `textDocument` adds client capabilities (e.g. `{ definition: { linkSupport: true } }`) to the default ones. */
  async initialize(folder: string, textDocument: Record<string, unknown> = {}, window: Record<string, unknown> = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: URI.file(folder).toString(),
      workspaceFolders: [{ uri: URI.file(folder).toString(), name: 'test' }],
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, ...textDocument }, window },
      initializationOptions: { settings: { debounceMs: 30 } },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Sends a request by method name (for the text-document requests the tests make). */
  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Checks every project now; resolves when done (its diagnostics have been published by then). */
  checkWorkspace(): Promise<unknown> {
    return this.connection.sendRequest('contractLens/checkWorkspace');
  }

  /** Resolves with the next (or current) publication for `file` that satisfies `predicate`. */
  waitForDiagnostics(file: string, predicate: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean, timeoutMs = 15_000): Promise<PublishDiagnosticsParams> {
    const uri = URI.file(file).toString();
    const current = this.diagnostics.get(uri);
    if (current && predicate(current.diagnostics, current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${file} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map((d) => d.code))}\nserver log:\n${this.log.join('\n')}`)), timeoutMs);
      this.waiters.push({
        uri,
        predicate: (p) => predicate(p.diagnostics, p),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  open(file: string, text: string, languageId = file.endsWith('.json') ? 'json' : 'yaml', version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI.file(file).toString(), languageId, version, text } });
  }

  /** Replaces the whole text of an open document (no save). */
  change(file: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI.file(file).toString(), version }, contentChanges: [{ text }] });
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        /* already gone */
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    if (!this.exited) this.process.kill();
    this.connection.dispose();
  }
}
