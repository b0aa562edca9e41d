/**
 * The quality pass's worker thread (bundled as dist/qualityWorker.js): receives jobs (texts, typed
 * targets, rulesets) from the language server, runs Spectral on them, and answers with findings.
 * Spectral's seconds on a large spec are spent here, never on the thread that answers the editor.
 * Parses are kept between jobs, so an edit re-parses only the file it changed.
 */
import { parentPort } from 'node:worker_threads';
import { nodeFileSystem } from './engine/index';
import type { ParsedDocument } from './engine/parse/document';
import { runQualityJob, type QualityJob } from './engine/quality/index';
import type { QualityRequest, QualityResponse } from './qualityRunner';

const cache = new Map<string, ParsedDocument>();
const fs = nodeFileSystem();

parentPort?.on('message', (request: QualityRequest) => {
  void run(request.id, request.job);
});

async function run(id: number, job: QualityJob): Promise<void> {
  let response: QualityResponse;
  try {
    const outcome = await runQualityJob(job, fs, cache);
    response = { id, findings: outcome.findings, timings: outcome.timings };
  } catch (e) {
    response = { id, error: (e as Error).stack ?? String(e) };
  }
  parentPort?.postMessage(response);
}
