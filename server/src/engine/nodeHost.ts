import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { FileSystem, Host, Logger } from './host';

/** Folders no project wants scanned, ever. */
export const defaultIgnores = ['**/node_modules/**', '**/.git/**', '**/.venv/**', '**/__pycache__/**'];

/**
 * Opens a path for reading only when it is a regular file. A workspace may hold a FIFO (or a
 * device, or a socket) named like a spec: opening it for a blocking read would hang the server
 * for good, so it is opened non-blocking and checked on the open descriptor (no race with a
 * rename in between). Throws like `openSync` when the path is missing or not a regular file.
 */
function openRegularFile(p: string): number {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    throw new Error(`${p} is not a regular file`);
  }
  return fd;
}

/**
 * Reads a regular file without blocking the thread while the disk is read (only the decoding
 * runs on it): a server preloads a 47 MB description this way before checking it. Undefined
 * where {@link FileSystem.readFile} would answer undefined.
 */
export async function readRegularFileAsync(p: string): Promise<string | undefined> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    if (!(await handle.stat()).isFile()) return undefined;
    // Decoded in one go: reading with an encoding joins the decoded chunks into a string that is
    // flattened (copied again) at its first use.
    return (await handle.readFile()).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** The real disk. */
export function nodeFileSystem(): FileSystem {
  return {
    readFile(p) {
      let fd: number | undefined;
      try {
        fd = openRegularFile(p);
        return fs.readFileSync(fd, 'utf8');
      } catch {
        // Missing, not a file, unreadable, or deleted or renamed while being read.
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    stat(p) {
      try {
        const s = fs.statSync(p);
        return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : undefined;
      } catch {
        return undefined;
      }
    },
    size(p) {
      try {
        const s = fs.statSync(p);
        return s.isFile() ? s.size : undefined;
      } catch {
        return undefined;
      }
    },
    readPrefix(p, length) {
      let fd: number | undefined;
      try {
        fd = openRegularFile(p);
        const buf = Buffer.alloc(length * 2);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        return buf.subarray(0, n).toString('utf8').slice(0, length);
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    glob(patterns, cwd, ignore = []) {
      if (patterns.length === 0) return [];
      try {
        return globSync([...patterns], {
          cwd,
          absolute: true,
          onlyFiles: true,
          followSymbolicLinks: false,
          ignore: [...defaultIgnores, ...ignore],
          expandDirectories: false,
        })
          .map((p) => path.normalize(p))
          .sort();
      } catch {
        return [];
      }
    },
    realpath(p) {
      try {
        return fs.realpathSync(p);
      } catch {
        return p;
      }
    },
  };
}

export function nodeHost(logger?: Logger): Host {
  return {
    fs: nodeFileSystem(),
    logger: logger ?? { info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
  };
}
