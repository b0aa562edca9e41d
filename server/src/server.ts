/**
 * The language server's entry point: wiring only. All knowledge lives in the engine; the session
 * keeps workspace state; features/ convert engine results to LSP shapes.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  FileChangeType,
  CodeActionKind,
  CodeLensRefreshRequest,
  type InitializeParams,
  type TextEdit as LspTextEdit,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import { Session } from './session';
import { WorkerQualityRunner } from './qualityRunner';
import { overrideSeverity, toDiagnostic } from './features/diagnostics';
import { hover, hoverSinceChecked } from './features/hover';
import { definition, implementation } from './features/definition';
import { references } from './features/references';
import { prepareRename, rename } from './features/rename';
import { completion } from './features/completion';
import { symbols } from './features/symbols';
import { Navigator, checkedText, type NavigationView } from './engine/navigation/index';
import { codeLenses } from './features/codeLens';
import { codeActions } from './features/codeActions';
import { regenerate } from './features/regenerate';
import { CheckProgress } from './features/progress';
import {
  checkWorkspaceRequest,
  coverageReportRequest,
  createConfigurationRequest,
  declareCommand,
  defaultSettings,
  readSettings,
  settingsSection,
  statusNotification,
  workspaceTrustNotification,
  type WorkspaceTrustParams,
  type CheckWorkspaceResult,
  type CoverageReportParams,
  type CoverageReportResult,
  type CreateConfigurationParams,
  type CreateConfigurationResult,
  type Settings,
  type StatusParams,
  regenerateModelsRequest,
  type RegenerateModelsParams,
  type RegenerateModelsResult,
} from './protocol';
import { buildCoverageReport, coverageStatus, declareRaw, declareTyped, formatCoverageMarkdown } from './engine/coverage/index';
import { configFileName, LineIndex, nodeFileSystem, type Logger } from './engine/index';
import { detectProject, renderConfiguration } from './engine/init/index';
import { version } from './version';
import { HeapKeeper } from './heap';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

const logger: Logger = {
  info: (m) => connection.console.info(m),
  warn: (m) => connection.console.warn(m),
  error: (m) => connection.console.error(m),
};

// A bug in one handler must never take the server down: log it and carry on.
process.on('uncaughtException', (e) => logger.error(`Uncaught exception: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => logger.error(`Unhandled rejection: ${(e as Error)?.stack ?? e}`));

/** Wraps a request handler so that an exception is logged and answered with `fallback`. */
function safe<P extends unknown[], R>(name: string, fallback: R, handler: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
  return async (...args: P) => {
    try {
      return await handler(...args);
    } catch (e) {
      logger.error(`${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  };
}

let session: Session | undefined;
/**
 * Live heap above which the server forces no collection: one would hold every request for about
 * 80 ms or more (GitHub's description keeps about 100 MB live, Microsoft Graph's about 470 MB).
 */
const maxCollectedLive = 160 << 20;
/** Full garbage collections when a large contract's re-checks have left much garbage behind. */
const heap = new HeapKeeper({ maxLive: maxCollectedLive });
/** Builds the views navigation requests answer from (current texts, last good results). */
let navigator: Navigator | undefined;
/** Whether the client takes LocationLinks for definition and implementation. */
let linkSupport = { definition: false, implementation: false };
let settings: Settings = { ...defaultSettings };
/** VS Code's workspace trust, as the client reports it; untrusted until it says otherwise. */
let trusted = false;

function filePath(uri: string): string | undefined {
  const u = URI.parse(uri);
  return u.scheme === 'file' ? u.fsPath : undefined;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  settings = readSettings(params.initializationOptions?.settings);
  trusted = params.initializationOptions?.trusted === true;
  const roots = (params.workspaceFolders ?? []).map((f) => filePath(f.uri)).filter((p): p is string => !!p);
  if (roots.length === 0 && params.rootUri) {
    const r = filePath(params.rootUri);
    if (r) roots.push(r);
  }
  const progress = new CheckProgress(() => connection.window.createWorkDoneProgress());
  session = new Session(
    roots,
    {
      publish: (pub) => {
        connection.sendDiagnostics({
          uri: URI.file(pub.file).toString(),
          version: pub.version,
          diagnostics: settings.enable
            ? pub.findings.flatMap((f) => {
                const shown = overrideSeverity(f, settings.severity);
                return shown ? [toDiagnostic(shown, pub.resultOf.get(f)!)] : [];
              })
            : [],
        });
      },
      progress: (project, phase) => progress.phase(project, phase),
      status: (state, results) => {
        if (state === 'idle') {
          progress.idle();
          // After the publications of this round have been written.
          setImmediate(() => heap.settled());
        }
        const params: StatusParams = {
          state,
          projects: results.map((r) => ({
            root: r.project.root,
            operations: r.summary.operations,
            errors: r.summary.errors,
            warnings: r.summary.warnings,
            ...(r.coverage ? { coverage: coverageStatus(r.coverage) } : {}),
          })),
        };
        void connection.sendNotification(statusNotification, params);
      },
    },
    logger,
    settings.debounceMs,
    undefined,
    // Spectral runs in a worker thread next to this bundle; hover, CodeLens and the fast checks never wait for it.
    new WorkerQualityRunner(path.join(__dirname, 'qualityWorker.js'), logger, { trusted: () => trusted, readFile: (f) => session?.fs.readFile(f), beforeJob: () => heap.trim() }),
  );
  navigator = new Navigator(session.engine);
  linkSupport = {
    definition: params.capabilities.textDocument?.definition?.linkSupport === true,
    implementation: params.capabilities.textDocument?.implementation?.linkSupport === true,
  };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      implementationProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      completionProvider: { triggerCharacters: ['#', '/', '"', "'"] },
      documentSymbolProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: [declareCommand] },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'Contract Lens', version },
  };
});

connection.onInitialized(() => {
  logger.info(`Contract Lens ${version} started (node ${process.version}).`);
  void session?.start();
});

/** Notification handlers cannot answer with an error; a throw is logged and the server goes on. */
function guard<T>(name: string, handler: (e: T) => void): (e: T) => void {
  return (e) => {
    try {
      handler(e);
    } catch (err) {
      logger.error(`${name} failed: ${(err as Error).stack ?? err}`);
    }
  };
}

documents.onDidOpen(
  guard('didOpen', (e) => {
    const p = filePath(e.document.uri);
    if (p) session?.openDocument({ path: p, text: e.document.getText(), version: e.document.version });
  }),
);
documents.onDidChangeContent(
  guard('didChange', (e) => {
    const p = filePath(e.document.uri);
    if (p) session?.changeDocument({ path: p, text: e.document.getText(), version: e.document.version });
  }),
);
documents.onDidClose(
  guard('didClose', (e) => {
    const p = filePath(e.document.uri);
    if (p) session?.closeDocument(p);
  }),
);

connection.onDidChangeWatchedFiles(
  guard('didChangeWatchedFiles', (params) => {
    for (const change of params.changes) {
      const p = filePath(change.uri);
      if (!p) continue;
      session?.fileChanged(p, change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed');
    }
  }),
);

connection.onDidChangeConfiguration(
  guard('didChangeConfiguration', (params) => {
    const incoming = params.settings?.[settingsSection];
    if (!incoming || typeof incoming !== 'object') return;
    const before = settings;
    settings = readSettings(incoming);
    if (session) session.debounceMs = settings.debounceMs;
    // Severities and `enable` change what is published: publish again from fresh results.
    void session?.checkAll();
    if (before['codeLens.enable'] !== settings['codeLens.enable'] || before.enable !== settings.enable) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {});
  }),
);

/**
 * The navigation view and cursor offset of a request. Answers from the last good results and the
 * current texts: never waits for a running check.
 */
function navigationAt(params: { textDocument: { uri: string }; position: { line: number; character: number } }): { view: NavigationView; offset: number } | undefined {
  const p = filePath(params.textDocument.uri);
  if (!p || !session || !navigator || !settings.enable) return undefined;
  const results = session.resultsFor(p);
  // No check has read this file yet: there is nothing to say about it but what a parse of it would
  // show, and a large one would be parsed on the request path (a second for Microsoft Graph's
  // 47 MB, while its first check, which reports progress, parses it anyway). Answer nothing.
  if (results.length === 0 && (session.fs.size(p) ?? 0) > parseOnRequestLimit) return undefined;
  const view = navigator.view(results, p);
  const doc = documents.get(params.textDocument.uri);
  return { view, offset: (doc ? linesOf(doc, p) : view.lines(p)).offsetAt(params.position) };
}

/** The line starts of the open document last asked about, for its version. */
let lastLines: { uri: string; version: number; lines: LineIndex } | undefined;

/**
 * Line starts of an open document: the parse's when a check has read this text, else found once
 * per version. (TextDocument finds its own character by character: 0.2 s on a 47 MB file, on
 * the request path.)
 */
function linesOf(doc: TextDocument, file: string): LineIndex {
  if (lastLines?.uri === doc.uri && lastLines.version === doc.version) return lastLines.lines;
  const lines = session ? session.engine.linesOf(file, doc.getText()) : new LineIndex(doc.getText());
  lastLines = { uri: doc.uri, version: doc.version, lines };
  return lines;
}

connection.onNotification(
  workspaceTrustNotification,
  guard('workspaceTrust', (params: WorkspaceTrustParams) => {
    const now = params?.trusted === true;
    if (now === trusted) return;
    trusted = now;
    void session?.checkAll();
  }),
);

/** Above this size, a navigation request on a document no check has read yet answers nothing. */
const parseOnRequestLimit = 8 << 20;

/** Above this size, a hover in a document edited since its check maps into the checked text instead of parsing again. */
const reparseLimit = 1 << 20;

connection.onHover(
  safe('hover', null, (params) => {
    const p = filePath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (p && doc && session && navigator && settings.enable) {
      const results = session.resultsFor(p);
      const checked = checkedText(results, p);
      if (checked !== undefined && checked.length > reparseLimit && checked !== doc.getText()) {
        const lines = linesOf(doc, p);
        return hoverSinceChecked(navigator.view(results, p, { asChecked: true }), checked, doc.getText(), lines, lines.offsetAt(params.position));
      }
    }
    const at = navigationAt(params);
    return at ? hover(at.view, at.offset) : null;
  }),
);

connection.onDefinition(
  safe('definition', null, (params) => {
    const at = navigationAt(params);
    return at ? definition(at.view, at.offset, linkSupport.definition) : null;
  }),
);

connection.onImplementation(
  safe('implementation', null, (params) => {
    const at = navigationAt(params);
    return at ? implementation(at.view, at.offset, linkSupport.implementation) : null;
  }),
);

connection.onReferences(
  safe('references', null, (params) => {
    const at = navigationAt(params);
    return at ? references(at.view, at.offset, params.context.includeDeclaration) : null;
  }),
);

connection.onPrepareRename(
  safe('prepareRename', null, (params) => {
    const at = navigationAt(params);
    return at ? prepareRename(at.view, at.offset) : null;
  }),
);

connection.onRenameRequest(
  safe('rename', null, (params) => {
    const at = navigationAt(params);
    return at ? rename(at.view, at.offset, params.newName) : null;
  }),
);

connection.onCompletion(
  safe('completion', [], (params) => {
    const at = navigationAt(params);
    return at ? completion(at.view, at.offset) : [];
  }),
);

connection.onDocumentSymbol(
  safe('documentSymbol', null, (params) => {
    const p = filePath(params.textDocument.uri);
    if (!p || !session || !navigator || !settings.enable) return null;
    return symbols(navigator.view(session.resultsFor(p), p));
  }),
);

connection.onCodeLens(
  safe('codeLens', [], (params) => {
    const p = filePath(params.textDocument.uri);
    if (!p || !session || !settings.enable || !settings['codeLens.enable']) return [];
    return codeLenses(session.resultsFor(p), p);
  }),
);

connection.onCodeAction(
  safe('codeAction', [], (params) => {
    const p = filePath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!p || !session || !settings.enable) return [];
    // Fixes are computed for the text the diagnostics describe; a newer edit makes them stale.
    if (doc && session.checkedVersion(p) !== undefined && session.checkedVersion(p) !== doc.version) return [];
    return codeActions(params, p, session.resultsFor(p), session.engine);
  }),
);

connection.onExecuteCommand(
  safe('executeCommand', null, async (params) => {
    if (params.command !== declareCommand || !session) return null;
    const [operationId, action, root] = (params.arguments ?? []) as [string, 'declare-typed' | 'declare-raw', string];
    const result = session.lastResults().find((r) => r.project.root === root && r.coverage);
    if (!result?.coverage) return null;
    const fix = action === 'declare-typed' ? declareTyped(result.coverage, operationId) : declareRaw(result.coverage, operationId);
    if (!fix) return null;
    const changes: Record<string, LspTextEdit[]> = {};
    for (const e of fix.edits) (changes[URI.file(e.file).toString()] ??= []).push({ range: result.lines(e.file).range(e.start, e.end), newText: e.newText });
    await connection.workspace.applyEdit({ label: fix.title, edit: { changes } });
    return null;
  }),
);

connection.onRequest(
  coverageReportRequest,
  safe<[CoverageReportParams], CoverageReportResult>('coverageReport', { markdown: '', projects: 0 }, async (params) => {
    if (!session) return { markdown: '', projects: 0 };
    await session.whenIdle();
    const file = params?.file ? filePath(params.file) : undefined;
    let results = session.lastResults().filter((r) => r.coverage);
    if (file) {
      const own = results.filter((r) => r.dependencies.has(file) || !path.relative(r.project.root, file).startsWith('..'));
      if (own.length) results = own;
    }
    const base = results.length === 1 ? results[0].project.root : commonRoot(results.map((r) => r.project.root));
    return { markdown: formatCoverageMarkdown(buildCoverageReport(results, base)), projects: results.length };
  }),
);

function commonRoot(roots: string[]): string {
  if (roots.length === 0) return '/';
  let common = roots[0];
  for (const r of roots.slice(1)) while (path.relative(common, r).startsWith('..')) common = path.dirname(common);
  return common;
}

connection.onRequest(
  regenerateModelsRequest,
  safe<[RegenerateModelsParams], RegenerateModelsResult>('regenerateModels', { written: [], refused: [], unchanged: 0, projects: 0 }, async (params) => {
    if (!session) return { written: [], refused: [], unchanged: 0, projects: 0 };
    await session.whenIdle();
    const file = params?.file ? filePath(params.file) : undefined;
    let results = session.lastResults().filter((r) => r.project.generate.length > 0);
    if (file) {
      const own = results.filter((r) => r.dependencies.has(file) || !path.relative(r.project.root, file).startsWith('..'));
      if (own.length) results = own;
    }
    return regenerate(session, results.map((r) => r.ref), async (edit, label) => (await connection.workspace.applyEdit({ label, edit })).applied);
  }),
);

connection.onRequest(
  checkWorkspaceRequest,
  safe<[], CheckWorkspaceResult>('checkWorkspace', { projects: 0, findings: 0, errors: 0, warnings: 0 }, async () => {
    if (!session) return { projects: 0, findings: 0, errors: 0, warnings: 0 };
    await session.checkAll();
    const results = session.lastResults();
    return {
      projects: results.length,
      findings: results.reduce((n, r) => n + r.findings.length, 0),
      errors: results.reduce((n, r) => n + r.summary.errors, 0),
      warnings: results.reduce((n, r) => n + r.summary.warnings, 0),
    };
  }),
);

connection.onRequest(
  createConfigurationRequest,
  safe<[CreateConfigurationParams], CreateConfigurationResult | null>('createConfiguration', null, async (params) => {
    const folder = params?.folder ? filePath(params.folder) : undefined;
    if (!folder || !session) return null;
    // Detection parses sources with tree-sitter: wait until the parsers are loaded.
    await session.engine.init().catch(() => undefined);
    const detection = detectProject(folder, { fs: nodeFileSystem(), sources: session.engine.sources.ready ? session.engine.sources : undefined });
    const detected = [
      ...detection.specs.map((s) => `spec: ${s}`),
      ...(detection.server ? [`server: ${detection.server.framework} (${detection.server.evidence})`] : []),
      ...detection.clients.map((c) => `client: ${c.name} (${c.evidence})`),
      ...(detection.coverage ? [`coverage: ${detection.coverage.file} (${detection.coverage.evidence})`] : []),
      ...detection.generate.map((g) => `generate: ${g.target} → ${g.output}`),
    ];
    return { uri: URI.file(path.join(folder, configFileName)).toString(), text: renderConfiguration(detection), exists: detection.existingConfig !== undefined, detected };
  }),
);

documents.listen(connection);
connection.listen();
