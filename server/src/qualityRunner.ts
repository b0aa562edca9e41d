import { Worker } from 'node:worker_threads';
import type { CheckResult, Finding, Logger } from './engine/index';
import { qualityJob } from './engine/quality/job';
import type { QualityJob, QualityOutcome } from './engine/quality/model';
import { encodeLargeTexts, type EncodedText } from './wireText';

/** Server → quality worker: one job, its large texts as UTF-8 bytes (see wireText.ts). */
export interface QualityRequest {
  id: number;
  job: QualityJob;
  encoded: EncodedText[];
}
/** Quality worker → server: the findings of job `id`, or why it failed. */
export type QualityResponse = { id: number; findings: QualityOutcome['findings']; timings: QualityOutcome['timings'] } | { id: number; error: string };

/**
 * Runs a project's quality pass somewhere other than the thread that answers the editor. The
 * promise settles with the findings, or with undefined when the pass was cancelled or failed.
 */
export interface QualityRunner {
  run(key: string, result: CheckResult): Promise<Finding[] | undefined>;
  /** Drops the project's queued pass and stops its running one. */
  cancel(key: string): void;
  dispose(): void;
}

interface Pending {
  id: number;
  key: string;
  job: QualityJob;
  resolve(findings: Finding[] | undefined): void;
}

/**
 * Quality passes in one worker thread (dist/qualityWorker.js), one at a time, at most one queued
 * per project. Cancelling the running pass terminates the worker (Spectral cannot be interrupted
 * otherwise); the next pass starts a fresh one. The worker's console goes to the log, never to
 * the server's stdout, which may be the LSP channel.
 */
export class WorkerQualityRunner implements QualityRunner {
  private worker: Worker | undefined;
  private running: Pending | undefined;
  private queue: Pending[] = [];
  private nextId = 1;
  private disabled = false;

  constructor(
    private readonly script: string,
    private readonly logger: Logger,
    private readonly options: {
      trusted: () => boolean;
      readFile: (file: string) => string | undefined;
      /** Called just before a job is handed to the worker (the server collects its garbage there). */
      beforeJob?: () => void;
    },
  ) {}

  run(key: string, result: CheckResult): Promise<Finding[] | undefined> {
    this.cancel(key);
    if (this.disabled) return Promise.resolve(undefined);
    const job = qualityJob(result, { trusted: this.options.trusted(), readFile: this.options.readFile });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, key, job, resolve });
      this.pump();
    });
  }

  cancel(key: string): void {
    for (const p of this.queue.filter((q) => q.key === key)) p.resolve(undefined);
    this.queue = this.queue.filter((q) => q.key !== key);
    if (this.running?.key === key) {
      const p = this.running;
      this.running = undefined;
      this.stopWorker();
      p.resolve(undefined);
      this.pump();
    }
  }

  dispose(): void {
    for (const p of this.queue) p.resolve(undefined);
    this.queue = [];
    this.running?.resolve(undefined);
    this.running = undefined;
    this.stopWorker();
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (e) {
      this.disabled = true;
      this.logger.error(`The quality worker could not start; Spectral checks are off: ${(e as Error).message}`);
      next.resolve(undefined);
      this.queue.forEach((q) => q.resolve(undefined));
      this.queue = [];
      return;
    }
    this.running = next;
    this.options.beforeJob?.();
    void this.post(worker, next);
  }

  /** Hands `p` to the worker once its large texts are encoded (with pauses), unless it was cancelled meanwhile. */
  private async post(worker: Worker, p: Pending): Promise<void> {
    const { job, encoded, transfer } = await encodeLargeTexts(p.job);
    if (this.running !== p || this.worker !== worker) return;
    worker.postMessage({ id: p.id, job, encoded } satisfies QualityRequest, transfer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // A young generation of 8 MB instead of V8's default: a pass builds mostly long-lived trees, so
    // a larger one buys no speed. One pass over GitHub's description in a worker: peak resident
    // memory of the process 264 MB with the default, 228-245 MB with this, in the same time.
    const w = new Worker(this.script, { stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    w.unref();
    w.stdout.on('data', (d: Buffer) => this.logger.info(`[quality] ${d.toString().trimEnd()}`));
    w.stderr.on('data', (d: Buffer) => this.logger.warn(`[quality] ${d.toString().trimEnd()}`));
    w.on('message', (m: QualityResponse) => {
      const p = this.running;
      if (this.worker !== w || !p || p.id !== m.id) return;
      this.running = undefined;
      if ('error' in m) {
        this.logger.error(`The quality pass failed: ${m.error}`);
        p.resolve(undefined);
      } else {
        this.logger.info(`Quality pass of ${p.key}: ${m.findings.length} finding(s) in ${(m.timings.prepareMs + m.timings.spectralMs).toFixed(0)} ms.`);
        p.resolve(m.findings);
      }
      this.pump();
    });
    const lost = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.logger.error(`The quality worker stopped: ${why}`);
      const p = this.running;
      this.running = undefined;
      p?.resolve(undefined);
      this.pump();
    };
    w.on('error', (e) => lost(e.stack ?? e.message));
    w.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = w;
    return w;
  }
}
