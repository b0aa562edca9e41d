/**
 * The environment the engine runs in, passed in so that the server can overlay unsaved editor
 * text, the CLI can read the disk, and tests can use in-memory trees.
 */
export interface FileSystem {
  /** The file's text, or undefined when it does not exist or is not a readable file. */
  readFile(path: string): string | undefined;
  /** 'file', 'dir' or undefined (missing). */
  stat(path: string): 'file' | 'dir' | undefined;
  /** Size in bytes of a file, or undefined when it is missing. */
  size(path: string): number | undefined;
  /** At most the first `length` characters of a file (cheap sniffing of large files). */
  readPrefix(path: string, length: number): string | undefined;
  /** Absolute paths of the files under `cwd` that match any of `patterns`, sorted. */
  glob(patterns: readonly string[], cwd: string, ignore?: readonly string[]): string[];
  /** Resolves symlinks; returns the path itself where it cannot. */
  realpath(path: string): string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Host {
  fs: FileSystem;
  logger: Logger;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
