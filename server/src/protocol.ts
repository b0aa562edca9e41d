/**
 * Names and shapes shared by the client and the server. Both import this module; nothing here
 * depends on VS Code or on the engine.
 */

/** Diagnostic source shown in the Problems panel. */
export const diagnosticSource = 'contract-lens';

/** Server → client, whenever checking starts or ends: drives the status bar's busy state. */
export const statusNotification = 'contractLens/status';
export interface StatusParams {
  state: 'busy' | 'idle';
  projects: {
    root: string;
    operations: number;
    errors: number;
    warnings: number;
    /** The typed-coverage status-bar text of the project, when it declares coverage. */
    coverage?: { text: string; tooltip: string };
  }[];
}

/** Client → server: the coverage report of every project (or of the one containing `file`), as Markdown. */
export const coverageReportRequest = 'contractLens/coverageReport';
export interface CoverageReportParams {
  file?: string;
}
export interface CoverageReportResult {
  markdown: string;
  projects: number;
}

/** Client → server: regenerate the models of the project containing `file` (or of every project). */
export const regenerateModelsRequest = 'contractLens/regenerateModels';
export interface RegenerateModelsParams {
  /** A file uri; its project is regenerated. Without it, every project with `generate` targets. */
  file?: string;
}
export interface RegenerateModelsResult {
  /** Files written (created or updated), relative to their project. */
  written: string[];
  /** Files left alone and why (no generated header, or edited by hand). */
  refused: { file: string; reason: string }[];
  unchanged: number;
  projects: number;
}

/** Server-side command (workspace/executeCommand): declare an operation typed or raw, computed on the latest result. */
export const declareCommand = 'contractLens.declareOperation';

/**
 * Client → server, when the user trusts the workspace (VS Code's onDidGrantWorkspaceTrust). The
 * initial state travels as `initializationOptions.trusted`. Only a trusted workspace may run
 * JavaScript of its own (Spectral rulesets with custom functions). Deliberately not a setting: a
 * workspace's own settings file must not be able to declare itself trusted.
 */
export const workspaceTrustNotification = 'contractLens/workspaceTrust';
export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** Client → server: check every project of the workspace now; answers when done. */
export const checkWorkspaceRequest = 'contractLens/checkWorkspace';
export interface CheckWorkspaceResult {
  projects: number;
  findings: number;
  errors: number;
  warnings: number;
}

/** Command ids contributed in package.json. */
export const commands = {
  restartServer: 'contractLens.restartServer',
  showOutput: 'contractLens.showOutput',
  checkWorkspace: 'contractLens.checkWorkspace',
  /** Client-side: opens a file at a range; CodeLens use it to jump between spec, server and SDK. */
  openLocation: 'contractLens.openLocation',
  showCoverageReport: 'contractLens.showCoverageReport',
  regenerateModels: 'contractLens.regenerateModels',
  createConfiguration: 'contractLens.createConfiguration',
} as const;

/**
 * Settings under `contractLens.*`: one typed table in settings.ts. The client sends the section as
 * `initializationOptions.settings` and on every change (workspace/didChangeConfiguration); the
 * server reads it with `readSettings`.
 */
export { defaultSettings, readSettings, settingsSection, type Settings, type SeverityLevel } from './settings';

/** Client → server: what "Contract Lens: Create Configuration" should write for a folder (the server only reads). */
export const createConfigurationRequest = 'contractLens/createConfiguration';
export interface CreateConfigurationParams {
  /** The folder (a file URI) to create contract-lens.yaml in. */
  folder: string;
}
export interface CreateConfigurationResult {
  /** File URI of the contract-lens.yaml to write. */
  uri: string;
  /** Its commented text, with what was detected filled in. */
  text: string;
  /** True when the file already exists: the client must not overwrite it. */
  exists: boolean;
  /** One line per detection, for the output channel ("spec: openapi.json", "server: fastify (server/package.json)"). */
  detected: string[];
}

/**
 * Context keys the client sets (package.json `enablement` and `when` clauses read them).
 * `serverReady` is true while the language server runs and has answered `initialize`.
 */
export const contextKeys = {
  serverReady: 'contractLens.serverReady',
} as const;

/** Where each finding code is documented. */
export function codeHref(code: string): string {
  return `https://github.com/contract-lens/contract-lens/blob/main/README.md#${code.replace(/\./g, '')}`;
}
