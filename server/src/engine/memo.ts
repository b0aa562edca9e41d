import type { ProjectContext } from './context';
import type { FileSystem } from './host';

/**
 * Reuse of a feature's work across checks when none of its inputs changed. Route and SDK call
 * extraction read dozens of source files, resolve imports and walk tree-sitter trees; an edit of
 * the spec (the common keystroke) changes none of that. A memo records every read the work made
 * through the context (texts, parsed sources, documents, globs, file-system look-ups) and its
 * result; the next check replays those reads against the current files, and reuses the result
 * only when every answer is the same. Replaying also registers the files as dependencies again,
 * so a reused result re-checks on the same edits as a computed one. Correct by construction: the
 * work is a function of what it read.
 */
type Call = { kind: string; args: unknown[]; answer: unknown };

interface Entry<T> {
  key: string;
  calls: Call[];
  value: T;
}

export class MemoStore {
  private readonly entries = new Map<string, Entry<unknown>>();
  hits = 0;
  misses = 0;

  /** `compute` must read only through the context it is given, and must not mutate its result later. */
  memoized<T>(ctx: ProjectContext, name: string, key: string, compute: (ctx: ProjectContext) => T): T {
    const entry = this.entries.get(name) as Entry<T> | undefined;
    if (entry && entry.key === key && replay(ctx, entry.calls)) {
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const calls: Call[] = [];
    const value = compute(recording(ctx, calls));
    this.entries.set(name, { key, calls, value });
    return value;
  }
}

const answerOf = (kind: string, value: unknown): unknown => {
  // Parsed sources and documents are compared by their text: the parse of a text is a function of it.
  if (kind === 'source' || kind === 'document') return (value as { text?: string } | undefined)?.text;
  return value;
};

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

function replay(ctx: ProjectContext, calls: Call[]): boolean {
  for (const c of calls) {
    if (!same(answerOf(c.kind, invoke(ctx, c.kind, c.args)), c.answer)) return false;
  }
  return true;
}

function invoke(ctx: ProjectContext, kind: string, args: unknown[]): unknown {
  switch (kind) {
    case 'readText':
      return ctx.readText(args[0] as string);
    case 'source':
      return ctx.source(args[0] as string);
    case 'document':
      return ctx.document(args[0] as string);
    case 'glob':
      return ctx.glob(args[0] as string[], args[1] as string[] | undefined);
    default: {
      const fs = ctx.host.fs as unknown as Record<string, (...a: unknown[]) => unknown>;
      return fs[kind.slice(3)](...args);
    }
  }
}

const fsMethods = ['readFile', 'stat', 'size', 'readPrefix', 'glob', 'realpath'] as const satisfies readonly (keyof FileSystem)[];

function recording(ctx: ProjectContext, calls: Call[]): ProjectContext {
  const record = <R>(kind: string, args: unknown[], answer: R): R => {
    calls.push({ kind, args, answer: answerOf(kind, answer) });
    return answer;
  };
  const base = ctx.host.fs;
  const fs = {} as FileSystem;
  for (const m of fsMethods) {
    (fs as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => record(`fs.${m}`, args, (base[m] as (...a: unknown[]) => unknown).apply(base, args));
  }
  return {
    ...ctx,
    host: { ...ctx.host, fs },
    readText: (file) => record('readText', [file], ctx.readText(file)),
    source: (file) => record('source', [file], ctx.source(file)),
    document: (file) => record('document', [file], ctx.document(file)),
    glob: (patterns, exclude) => record('glob', [patterns, exclude], ctx.glob(patterns, exclude)),
  };
}

/** Runs `compute` through the context's memo when it has one (the long-lived engine), else directly. */
export function memoized<T>(ctx: ProjectContext, name: string, compute: (ctx: ProjectContext) => T): T {
  // The whole configuration is part of the key: it is small, and any change of it recomputes.
  return ctx.memo ? ctx.memo.memoized(ctx, name, JSON.stringify(ctx.config), compute) : compute(ctx);
}
