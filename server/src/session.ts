import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CancelledError,
  ContractEngine,
  nodeFileSystem,
  readRegularFileAsync,
  nearestConfig,
  configFileName,
  type CheckResult,
  type FileSystem,
  type Finding,
  type Logger,
  type ProjectRef,
} from './engine/index';
import { looksLikeOpenApi } from './engine/project';
import { nextTurn } from './engine/steps';
import type { QualityRunner } from './qualityRunner';

/** An open editor buffer: the engine reads it instead of the disk. */
export interface OpenDocument {
  path: string;
  text: string;
  version: number;
}

/** What the session hands to the publisher after each check round. */
export interface FilePublication {
  file: string;
  findings: Finding[];
  /** The result each finding came from (for line conversion). */
  resultOf: Map<Finding, CheckResult>;
  /** The version of the open document the findings were computed from, if it is open. */
  version?: number;
}

export interface SessionEvents {
  publish(pub: FilePublication): void;
  status(state: 'busy' | 'idle', results: CheckResult[]): void;
  /** What a running check is doing now (its next phase), for progress reports. */
  progress?(project: string, phase: string): void;
}

/** A file system that serves open editor buffers first and the disk for everything else. */
export class OverlayFileSystem implements FileSystem {
  readonly open = new Map<string, OpenDocument>();
  /** Disk texts read so far; dropped when the client reports the file changed. Only changed files are re-read. */
  private readonly disk = new Map<string, string | undefined>();
  /**
   * Answers about the tree (stat, glob, realpath) kept like the texts: module resolution and
   * source globs ask the same questions on every check. A file created or deleted anywhere drops
   * them all (rare, and cheap to ask again); a changed file leaves them as they are.
   */
  private readonly stats = new Map<string, 'file' | 'dir' | undefined>();
  private readonly globs = new Map<string, string[]>();
  private readonly realpaths = new Map<string, string>();
  /** Bumped by each invalidation of a path: a preload that raced with one is dropped. */
  private readonly epochs = new Map<string, number>();
  constructor(
    private readonly base: FileSystem = nodeFileSystem(),
    /** Reads a file off the thread (the disk's own; none for in-memory trees). */
    private readonly readAsync?: (p: string) => Promise<string | undefined>,
  ) {}
  /**
   * Reads large files (at least `minSize` bytes) that are neither open nor cached yet, without
   * blocking: a check would otherwise read them synchronously (a quarter of a second for 47 MB,
   * with every request waiting).
   */
  async preload(paths: readonly string[], minSize: number): Promise<void> {
    if (!this.readAsync) return;
    for (const p of paths) {
      if (this.open.has(p) || this.disk.has(p) || (this.base.size(p) ?? 0) < minSize) continue;
      const epoch = this.epochs.get(p) ?? 0;
      const text = await this.readAsync(p);
      if ((this.epochs.get(p) ?? 0) === epoch && !this.disk.has(p) && text !== undefined) this.disk.set(p, text);
    }
  }
  readFile(p: string) {
    const open = this.open.get(p);
    if (open) return open.text;
    if (!this.disk.has(p)) this.disk.set(p, this.base.readFile(p));
    return this.disk.get(p);
  }
  invalidate(p: string, kind: 'created' | 'changed' | 'deleted' = 'changed'): void {
    this.disk.delete(p);
    this.epochs.set(p, (this.epochs.get(p) ?? 0) + 1);
    if (kind !== 'changed') {
      this.stats.clear();
      this.globs.clear();
      this.realpaths.clear();
    }
  }
  stat(p: string) {
    if (this.open.has(p)) return 'file';
    if (!this.stats.has(p)) this.stats.set(p, this.base.stat(p));
    return this.stats.get(p);
  }
  size(p: string) {
    const doc = this.open.get(p);
    if (doc) return doc.text.length;
    const cached = this.disk.get(p);
    return cached !== undefined ? cached.length : this.base.size(p);
  }
  readPrefix(p: string, n: number) {
    const doc = this.open.get(p);
    if (doc) return doc.text.slice(0, n);
    const cached = this.disk.get(p);
    return cached !== undefined ? cached.slice(0, n) : this.base.readPrefix(p, n);
  }
  glob(patterns: readonly string[], cwd: string, ignore?: readonly string[]) {
    const key = JSON.stringify([patterns, cwd, ignore ?? []]);
    let found = this.globs.get(key);
    if (!found) this.globs.set(key, (found = this.base.glob(patterns, cwd, ignore)));
    return [...found];
  }
  realpath(p: string) {
    let real = this.realpaths.get(p);
    if (real === undefined) this.realpaths.set(p, (real = this.base.realpath(p)));
    return real;
  }
}

/** Specs at least this large are read off the thread before their check. */
const preloadSize = 4 << 20;
/** The longest a quality pass waits for the project to be quiet (a pass over Microsoft Graph's 47 MB takes many seconds). */
const maxQualityDelay = 2000;

/**
 * What a project's first quality pass will take, before one has been timed: about 70 ms per MB of
 * contract on the benchmark machine (GitHub's 13 MB description: 870 ms in the worker).
 */
function estimatedQualityMs(result: CheckResult): number {
  let chars = 0;
  for (const spec of result.specs) for (const doc of spec.graph.documents.values()) chars += doc.text.length;
  return (chars / (1 << 20)) * 70;
}

function refKey(ref: ProjectRef): string {
  return ref.kind === 'config' ? `config:${ref.configFile}` : `spec:${ref.specFile}`;
}

/**
 * The language server's state, free of LSP types: the projects of the workspace, their last
 * results, and a debounced scheduler that re-checks only the projects an edit can affect. A check
 * that is superseded by a newer edit is abandoned and its results are never published.
 */
export class Session {
  readonly fs: OverlayFileSystem;
  readonly engine: ContractEngine;
  private readonly projects = new Map<string, ProjectRef>();
  private readonly results = new Map<string, CheckResult>();
  private readonly dirty = new Set<string>();
  /** Bumped on every edit; a running check compares it to know it is stale. */
  private generation = 0;
  /** The generation at which each file last changed, and at which everything was last re-checked. */
  private readonly changedAt = new Map<string, number>();
  private resetAt = 0;
  /** The generation at which each result's check started. */
  private readonly startedAt = new WeakMap<CheckResult, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private published = new Set<string>();
  /** The open-document version each file's current diagnostics were computed from. */
  private readonly versions = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  /**
   * Settles when the source parsers are loaded (or failed to); undefined until a project with a
   * config needs them (no config project's check starts before). A lone spec never reads server
   * or SDK sources, so a workspace of specs never loads them (tree-sitter's runtime and grammars:
   * about 17 MB, and their start-up time).
   */
  private parsersLoaded: Promise<void> | undefined;
  /**
   * The last quality (Spectral) findings of each project, the result they were computed for
   * (weakly: a superseded result's trees and texts must not stay alive for them), and the
   * generation at which the pass read its texts.
   */
  private readonly quality = new Map<string, { result: WeakRef<CheckResult>; findings: Finding[]; readAt: number; files: Set<string> }>();
  private readonly qualityTimers = new Map<string, NodeJS.Timeout>();
  /** How long each project's last completed quality pass took, in ms (see {@link scheduleQuality}). */
  private readonly qualityCost = new Map<string, number>();

  constructor(
    private readonly roots: string[],
    private readonly events: SessionEvents,
    private readonly logger: Logger,
    public debounceMs = 150,
    baseFs?: FileSystem,
    /** Runs the slow quality pass off the request path (a worker thread); none: no quality findings. */
    private readonly qualityRunner?: QualityRunner,
  ) {
    this.fs = new OverlayFileSystem(baseFs, baseFs ? undefined : readRegularFileAsync);
    this.engine = new ContractEngine({ fs: this.fs, logger });
  }

  /** Finds the projects of every workspace folder, loads the source parsers if one has a config, and checks them all. */
  async start(): Promise<void> {
    for (const root of this.roots) {
      for (const ref of this.engine.discover(root)) this.addProject(ref);
    }
    await this.parsersLoaded;
    this.schedule(0);
  }

  private loadParsers(): Promise<void> {
    return (this.parsersLoaded ??= this.engine.init().catch((e) => {
      this.logger.error(`Source parsers could not be loaded; route and SDK checks are off: ${(e as Error).message}`);
    }));
  }

  private addProject(ref: ProjectRef): string {
    if (ref.kind === 'config') void this.loadParsers();
    const key = refKey(ref);
    if (!this.projects.has(key)) this.projects.set(key, ref);
    this.dirty.add(key);
    return key;
  }

  lastResults(): CheckResult[] {
    return [...this.results.values()];
  }

  /** The last good result of each project that involves this file. */
  resultsFor(file: string): CheckResult[] {
    return this.lastResults().filter((r) => r.dependencies.has(file));
  }

  openDocument(doc: OpenDocument): void {
    this.fs.open.set(doc.path, doc);
    // While open, the editor's text is the file's: the disk's copy is dropped (read again on close).
    this.fs.invalidate(doc.path);
    this.changed(doc.path);
  }

  changeDocument(doc: OpenDocument): void {
    this.fs.open.set(doc.path, doc);
    this.changed(doc.path);
  }

  closeDocument(file: string): void {
    this.fs.open.delete(file);
    // The disk may differ from the buffer that was closed without saving, or not hold the file at all.
    this.fs.invalidate(file, 'deleted');
    this.changed(file);
  }

  /** A file changed on disk (created, saved by another tool, deleted). */
  fileChanged(file: string, kind: 'created' | 'changed' | 'deleted'): void {
    this.fs.invalidate(file, kind);
    if (kind === 'deleted') this.engine.forget(file);
    if (kind !== 'changed') {
      // A new or removed file may match a project's source globs: re-check the projects around it.
      for (const [key, result] of this.results) if (!path.relative(result.project.root, file).startsWith('..')) this.dirty.add(key);
    }
    if (path.basename(file) === configFileName) {
      if (kind === 'deleted') {
        const key = refKey({ kind: 'config', configFile: file });
        this.projects.delete(key);
        this.results.delete(key);
        this.rediscover();
      } else {
        this.addProject({ kind: 'config', configFile: file });
        this.dropLoneSpecsUnder(path.dirname(file));
      }
    }
    this.changed(file);
  }

  private rediscover(): void {
    for (const root of this.roots) for (const ref of this.engine.discover(root)) this.addProject(ref);
  }

  private dropLoneSpecsUnder(dir: string): void {
    for (const [key, ref] of this.projects) {
      if (ref.kind === 'spec' && !path.relative(dir, ref.specFile).startsWith('..')) {
        this.projects.delete(key);
        this.results.delete(key);
      }
    }
  }

  private changed(file: string): void {
    this.generation++;
    this.changedAt.set(file, this.generation);
    let affected = false;
    for (const [key, result] of this.results) {
      if (result.dependencies.has(file)) {
        this.dirty.add(key);
        affected = true;
      }
    }
    for (const [key, ref] of this.projects) {
      if (!this.results.has(key)) {
        this.dirty.add(key);
        affected = true;
      } else if (ref.kind === 'config' && ref.configFile === file) {
        this.dirty.add(key);
        affected = true;
      }
    }
    if (!affected) this.adoptIfSpec(file);
    // A quality pass over text that just changed is wasted work: stop it, the next check reschedules it.
    for (const key of this.dirty) this.cancelQuality(key);
    this.schedule(this.debounceMs);
  }

  /** An OpenAPI document outside every known project becomes a project of its own. */
  private adoptIfSpec(file: string): void {
    if (!/\.(ya?ml|json)$/i.test(file)) return;
    const head = this.fs.readPrefix(file, 4096);
    if (head === undefined || !looksLikeOpenApi(head)) return;
    const root = this.roots.find((r) => !path.relative(r, file).startsWith('..')) ?? path.dirname(file);
    const config = nearestConfig(file, root, this.fs);
    if (config) this.addProject({ kind: 'config', configFile: config });
    else this.addProject({ kind: 'spec', specFile: file, root });
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  /** Resolves when no check is pending or running (used by the check-workspace request). */
  whenIdle(): Promise<void> {
    if (!this.timer && !this.running && this.dirty.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Marks every project dirty and checks now. */
  checkAll(): Promise<void> {
    this.rediscover();
    for (const key of this.projects.keys()) this.dirty.add(key);
    this.generation++;
    this.resetAt = this.generation;
    this.schedule(0);
    return this.whenIdle();
  }

  private async run(): Promise<void> {
    if (this.running) {
      // The running round will notice the new generation and come back for the rest.
      return;
    }
    this.running = this.runRounds();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    if (this.dirty.size > 0) this.schedule(this.debounceMs);
    else {
      const waiters = this.idleWaiters.splice(0);
      waiters.forEach((w) => w());
    }
  }

  /** The spec files a project checks: as its last check found them, else from its config (once, before its first check). */
  private specFilesOf(key: string, ref: ProjectRef): string[] {
    if (ref.kind === 'spec') return [ref.specFile];
    return this.results.get(key)?.project.specs ?? this.engine.loadProject(ref).config.specs;
  }

  private async runRounds(): Promise<void> {
    this.events.status('busy', this.lastResults());
    while (this.dirty.size > 0) {
      const keys = [...this.dirty];
      this.dirty.clear();
      const started = this.generation;
      let superseded = false;
      for (const key of keys) {
        const ref = this.projects.get(key);
        if (!ref) {
          // Dropped meanwhile (its config deleted, or a config now claims its spec): so are its findings.
          this.results.delete(key);
          continue;
        }
        // A config project (found at start, created, or opened while the server starts) needs the
        // source parsers before its check.
        if (ref.kind === 'config') await this.loadParsers();
        // Let queued edits and requests in between projects; read a large spec off the thread.
        await nextTurn();
        await this.fs.preload(this.specFilesOf(key, ref), preloadSize);
        if (this.generation !== started) {
          superseded = true;
          break;
        }
        try {
          // The check pauses between phases so that requests are answered meanwhile. An edit
          // of a file it already read stops it (it would mix texts); an edit elsewhere does not
          // (typing in an unrelated file must not starve the check of a large contract).
          const result = await this.engine.checkAsync(ref, { isCancelled: (read) => this.readChangedSince(started, read), onPhase: (phase) => this.events.progress?.(ref.kind === 'config' ? path.dirname(ref.configFile) : ref.specFile, phase) });
          // A project dropped while it was checked has no result to keep: re-publishing it would
          // make it stale for ever (nothing re-checks a project that is gone).
          if (this.projects.get(key) !== ref) continue;
          this.startedAt.set(result, started);
          this.results.set(key, result);
          this.scheduleQuality(key, result);
        } catch (e) {
          if (e instanceof CancelledError) {
            superseded = true;
            break;
          }
          this.logger.error(`Checking ${key} failed: ${(e as Error).stack ?? e}`);
          // The previous result describes older text: re-published with the current document
          // versions, its ranges would point into text that is no longer there. Drop it.
          this.results.delete(key);
        }
      }
      if (superseded) {
        // Redo everything this round was meant to cover, with the newest text.
        keys.forEach((k) => this.dirty.add(k));
        await new Promise((r) => setTimeout(r, this.debounceMs));
        continue;
      }
      // A file one of these results read changed while a later project was checked: check it
      // again before publishing, or its findings would go out under the newer document version.
      if (this.dirty.size > 0) continue;
      this.publishAll();
    }
    this.events.status('idle', this.lastResults());
  }

  private readChangedSince(started: number, read: ReadonlySet<string>): boolean {
    if (this.resetAt > started) return true;
    for (const [file, at] of this.changedAt) if (at > started && read.has(file)) return true;
    return false;
  }

  /** The document version the last published diagnostics of a file describe (open files only). */
  checkedVersion(file: string): number | undefined {
    return this.versions.get(file);
  }

  /** Publishes per file the union of every project's findings; clears files that have none now. */
  private publishAll(): void {
    this.versions.clear();
    for (const [file, doc] of this.fs.open) this.versions.set(file, doc.version);
    const byFile = new Map<string, { findings: Finding[]; resultOf: Map<Finding, CheckResult> }>();
    for (const [key, result] of this.results) {
      for (const f of [...result.findings, ...this.qualityFindings(key, result)]) {
        let entry = byFile.get(f.span.file);
        if (!entry) byFile.set(f.span.file, (entry = { findings: [], resultOf: new Map() }));
        entry.findings.push(f);
        entry.resultOf.set(f, result);
      }
    }
    for (const file of this.published) {
      if (!byFile.has(file)) this.events.publish({ file, findings: [], resultOf: new Map(), version: this.fs.open.get(file)?.version });
    }
    for (const [file, entry] of byFile) {
      // Findings are only valid for the text their check read. When a file changed since (an
      // edit that a re-check has not caught up with yet), its diagnostics stay as they were
      // until that re-check publishes; the projects involved are made sure to be re-checked.
      // A file gone since (deleted, renamed away) is stale too: its findings must not come back.
      // Only a change reported after the check started makes a result stale: a re-check starts
      // later, so it cannot be stale the same way (otherwise two projects could re-dirty each
      // other for ever, with no edit in between).
      const now = this.fs.readFile(file);
      const changed = this.changedAt.get(file) ?? 0;
      const stale = [...new Set(entry.resultOf.values())].filter((r) => r.textOf(file) !== now && changed > (this.startedAt.get(r) ?? Infinity));
      if (stale.length > 0) {
        for (const [key, r] of this.results) if (stale.includes(r)) this.dirty.add(key);
        this.schedule(this.debounceMs);
        continue;
      }
      this.events.publish({ file, ...entry, version: this.fs.open.get(file)?.version });
    }
    this.published = new Set(byFile.keys());
  }

  /**
   * After a project's fast findings are published, its quality pass runs once the project has been
   * quiet for as long as its last pass took (at least the debounce, at most {@link maxQualityDelay}):
   * a pass that the next keystroke would cancel is work, and memory, spent for nothing, and a pass
   * over GitHub's description takes close to a second. A newer check cancels it. Its findings join
   * the published ones only if the project has not been checked again meanwhile, and are published
   * at once unless a check is due, which publishes them.
   */
  private scheduleQuality(key: string, result: CheckResult): void {
    if (!this.qualityRunner) return;
    this.cancelQuality(key);
    const expected = this.qualityCost.get(key) ?? estimatedQualityMs(result);
    const delay = Math.max(this.debounceMs, Math.min(expected, maxQualityDelay));
    this.qualityTimers.set(
      key,
      setTimeout(() => {
        this.qualityTimers.delete(key);
        if (this.results.get(key) !== result || this.dirty.has(key)) return;
        const files = new Set([...result.specs.flatMap((s) => [...s.graph.documents.keys()]), ...(result.quality?.rulesets.map((r) => r.file) ?? [])]);
        const readAt = this.generation;
        const started = performance.now();
        void this.qualityRunner!.run(key, result).then((findings) => {
          const took = performance.now() - started;
          // A cancelled pass took at least this long too: a pass cancelled at every keystroke still teaches the delay.
          this.qualityCost.set(key, findings ? took : Math.max(took, expected));
          if (!findings || this.results.get(key) !== result) return;
          this.quality.set(key, { result: new WeakRef(result), findings, readAt, files });
          if (!this.running && this.dirty.size === 0) this.publishAll();
        });
      }, delay),
    );
  }

  private cancelQuality(key: string): void {
    const timer = this.qualityTimers.get(key);
    if (timer) clearTimeout(timer);
    this.qualityTimers.delete(key);
    this.qualityRunner?.cancel(key);
  }

  /**
   * A project's quality findings that still describe the current text: all of them for its
   * current result; after a newer check, those in files whose text has not changed since (the
   * others return when the new pass completes).
   */
  private qualityFindings(key: string, result: CheckResult): Finding[] {
    const q = this.quality.get(key);
    if (!q) return [];
    if (q.result.deref() === result) return q.findings;
    const still = (file: string) => q.files.has(file) && (this.changedAt.get(file) ?? 0) <= q.readAt;
    return q.findings.filter((f) => still(f.span.file));
  }
}
