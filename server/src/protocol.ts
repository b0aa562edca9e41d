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
  projects: { root: string; operations: number; errors: number; warnings: number }[];
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
