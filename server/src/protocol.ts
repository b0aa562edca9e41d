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

/** Server-side command (workspace/executeCommand): declare an operation typed or raw, computed on the latest result. */
export const declareCommand = 'contractLens.declareOperation';

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
} as const;

/** Settings under `contractLens.*` that the server reads (sent as initializationOptions and on change). */
export interface ServerSettings {
  enable: boolean;
  /** Milliseconds to wait after the last edit before checking. */
  debounceMs: number;
}

export const defaultServerSettings: ServerSettings = { enable: true, debounceMs: 150 };

/** Where each finding code is documented. */
export function codeHref(code: string): string {
  return `https://github.com/contract-lens/contract-lens/blob/main/README.md#${code.replace(/\./g, '')}`;
}
