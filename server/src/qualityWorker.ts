/**
 * The quality pass's worker thread (bundled as dist/qualityWorker.js): receives jobs (texts, typed
 * targets, rulesets) from the language server, runs Spectral on them, and answers with findings.
 * Spectral's seconds on a large spec are spent here, never on the thread that answers the editor.
 * Parses of small files are kept between jobs, so an edit re-parses only the file it changed; a
 * large file's parse is dropped once its job is done (see {@link keptTextLength}).
 */
import { parentPort } from 'node:worker_threads';
import { nodeFileSystem } from './engine/index';
import type { ParsedDocument } from './engine/parse/document';
import { runQualityJob, type QualityJob } from './engine/quality/index';
import type { QualityRequest, QualityResponse } from './qualityRunner';
import { HeapKeeper } from './heap';
import { decodeTexts } from './wireText';

const cache = new Map<string, ParsedDocument>();
/**
 * Parses of texts longer than this are not kept between jobs. Keeping one costs its text and its
 * tree in this thread for as long as the worker idles (about 80 MB for GitHub's 13 MB
 * description, on top of the server's own copy), while it only saves a parse when the same text
 * comes back: the file a job is about is nearly always the one just edited, parsed again anyway.
 */
const keptTextLength = 1 << 20;
const fs = nodeFileSystem();
const heap = new HeapKeeper();

parentPort?.on('message', (request: QualityRequest) => {
  void run(request.id, decodeTexts(request.job, request.encoded));
});

async function run(id: number, job: QualityJob): Promise<void> {
  let response: QualityResponse;
  try {
    const outcome = await runQualityJob(job, fs, cache);
    response = { id, findings: outcome.findings, timings: outcome.timings };
  } catch (e) {
    response = { id, error: (e as Error).stack ?? String(e) };
  }
  for (const [file, doc] of cache) if (doc.text.length > keptTextLength) cache.delete(file);
  parentPort?.postMessage(response);
  // What the job built is garbage now, and an idle thread never collects by itself: collect once
  // this job is off the stack (its texts and trees are referenced from it until then).
  setImmediate(() => heap.settled());
}
