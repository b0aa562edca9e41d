/**
 * A broken workspace under the real server (stdio): files deleted or renamed while they are
 * checked, edits to open documents whose file is gone, the config removed, a FIFO where a spec
 * would be. The server must survive, keep answering, and clear diagnostics that no longer apply.
 * Engine-level hostile cases (paths leaving the project, symlinks, remote refs, nothing executed)
 * are in test/unit/hostile.test.ts.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DidChangeWatchedFilesNotification, FileChangeType, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';
import { copyExample } from '../helpers/examples';

const clients: LspTestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function startOn(example: string) {
  const dir = copyExample(example);
  const client = new LspTestClient();
  clients.push(client);
  await client.initialize(dir);
  return { dir, client };
}

function watched(client: LspTestClient, changes: [string, FileChangeType][]) {
  return client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map(([file, type]) => ({ uri: URI.file(file).toString(), type })) });
}

/** The server still answers a request (hover on an unknown position: null, quickly). */
async function alive(client: LspTestClient, file: string) {
  const answer = await Promise.race([
    client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI.file(file).toString() }, position: { line: 0, character: 0 } }).then(() => 'answered'),
    new Promise((r) => setTimeout(() => r('no answer within 5 s'), 5000)),
  ]);
  assert.equal(answer, 'answered');
  assert.equal(client.exited, false);
  assert.ok(!client.log.some((l) => /Unhandled|Uncaught| failed: /.test(l)), client.log.join('\n'));
}

const unresolvedIn = (file: string) => (d: Diagnostic[]) => d.some((x) => x.code === 'ref.unresolved' && String(x.message).includes(file));

test("a $ref'd file deleted, then renamed, while the server watches: the root reports it, nothing crashes, and restoring it clears the finding", async () => {
  const { dir, client } = await startOn('petstore-express');
  const root = path.join(dir, 'openapi.yaml');
  const schemas = path.join(dir, 'components/schemas.yaml');
  const text = fs.readFileSync(schemas, 'utf8');
  await client.waitForDiagnostics(root, (d) => d.length > 0);
  assert.ok(!unresolvedIn('schemas.yaml')(client.diagnostics.get(URI.file(root).toString())!.diagnostics));

  fs.rmSync(schemas);
  await watched(client, [[schemas, FileChangeType.Deleted]]);
  await client.waitForDiagnostics(root, unresolvedIn('components/schemas.yaml'));
  await alive(client, root);

  // Renamed: the old name is deleted, a new one created; references still point at the old name.
  fs.writeFileSync(path.join(dir, 'components/models.yaml'), text);
  await watched(client, [[path.join(dir, 'components/models.yaml'), FileChangeType.Created]]);
  await client.waitForDiagnostics(root, unresolvedIn('components/schemas.yaml'));
  fs.renameSync(path.join(dir, 'components/models.yaml'), schemas);
  await watched(client, [
    [path.join(dir, 'components/models.yaml'), FileChangeType.Deleted],
    [schemas, FileChangeType.Created],
  ]);
  await client.waitForDiagnostics(root, (d) => !unresolvedIn('components/schemas.yaml')(d));
  await alive(client, root);
});

test('the spec deleted: its diagnostics are cleared and the config says the file is missing; edits to the open buffer of a deleted file still check', async () => {
  const { dir, client } = await startOn('petstore-express');
  const root = path.join(dir, 'openapi.yaml');
  const config = path.join(dir, 'contract-lens.yaml');
  const schemas = path.join(dir, 'components/schemas.yaml');
  await client.waitForDiagnostics(root, (d) => d.length > 0);

  // An editor keeps a deleted file open and goes on typing: the buffer is what counts.
  const text = fs.readFileSync(schemas, 'utf8');
  await client.open(schemas, text, 'yaml', 1);
  fs.rmSync(schemas);
  await watched(client, [[schemas, FileChangeType.Deleted]]);
  await client.change(schemas, text.replace(/^Pet:/m, 'Animal:'), 2);
  await client.waitForDiagnostics(root, (d) => d.some((x) => x.code === 'ref.unresolved' && /"Pet"/.test(String(x.message))));
  await alive(client, root);

  fs.rmSync(root);
  await watched(client, [[root, FileChangeType.Deleted]]);
  await client.waitForDiagnostics(root, (d) => d.length === 0);
  await client.waitForDiagnostics(config, (d) => d.some((x) => x.code === 'config.path-not-found'));
  await alive(client, config);
});

test('the config deleted while checked: the project goes, its diagnostics are cleared, the spec is checked on its own', async () => {
  const { dir, client } = await startOn('petstore-express');
  const root = path.join(dir, 'openapi.yaml');
  const config = path.join(dir, 'contract-lens.yaml');
  await client.open(config, fs.readFileSync(config, 'utf8') + 'coverge: {}\n', 'yaml', 1);
  await client.waitForDiagnostics(config, (d) => d.some((x) => x.code === 'config.unknown-key'));
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI.file(config).toString() } });
  const mark = client.publications.length;
  fs.rmSync(config);
  await watched(client, [[config, FileChangeType.Deleted]]);
  await client.waitForDiagnostics(config, (d) => d.length === 0);
  // The spec is published again, now as a project of its own (found by rediscovery).
  await client.waitForDiagnostics(root, (d, p) => client.publications.indexOf(p) >= mark && d.length > 0);
  await alive(client, root);
});

test('a FIFO named like a spec, created in the workspace or opened by path, never blocks the server', async () => {
  const { dir, client } = await startOn('petstore-express');
  const root = path.join(dir, 'openapi.yaml');
  await client.waitForDiagnostics(root, (d) => d.length > 0);
  const fifo = path.join(dir, 'pipe.yaml');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return;
  await watched(client, [[fifo, FileChangeType.Created]]);
  await alive(client, root);
  await watched(client, [[fifo, FileChangeType.Changed]]);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI.file(fifo).toString() } });
  await alive(client, root);
  // A config pointing at it: a missing file, not a hang.
  const config = path.join(dir, 'contract-lens.yaml');
  await client.open(config, 'spec: pipe.yaml\n', 'yaml', 1);
  await client.waitForDiagnostics(config, (d) => d.some((x) => x.code === 'config.path-not-found'));
  await alive(client, root);
});
