import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InitializeRequest, InitializedNotification, HoverRequest, CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';
import { copyExample } from '../helpers/examples';

const clients: LspTestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

/** Starts the bundled server on a folder, telling it whether VS Code trusts the workspace. */
async function start(dir: string, trusted: boolean): Promise<LspTestClient> {
  const client = new LspTestClient();
  clients.push(client);
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: URI.file(dir).toString(),
    workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'test' }],
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
    initializationOptions: { settings: { debounceMs: 30 }, trusted },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
  return client;
}

const quality = (d: Diagnostic[]) => d.filter((x) => String(x.code).startsWith('quality.'));

test('fast findings publish first; the Spectral findings join them from the worker; an edit drops and re-runs them', async () => {
  const dir = copyExample('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const client = await start(dir, false);
  const withQuality = await client.waitForDiagnostics(spec, (d) => quality(d).length === 2, 30_000);
  const uri = URI.file(spec).toString();
  const first = client.publications.find((p) => p.uri === uri)!;
  assert.ok(first.diagnostics.some((d) => d.code === 'ref.unresolved'), 'the fast check published first');
  assert.deepEqual(quality(first.diagnostics), [], 'without waiting for Spectral');
  assert.deepEqual(
    quality(withQuality.diagnostics).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`),
    ['quality.required-not-in-properties 1093:10', 'quality.loose-schema 1183:6'],
  );
  // The related information names the typed operation.
  assert.match(quality(withQuality.diagnostics)[1].relatedInformation![0].message, /startRun \(POST \/api\/runs\), a typed operation/);

  // Hover answers from the last result at once.
  const text = fs.readFileSync(spec, 'utf8');
  await client.open(spec, text, 'json', 1);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('"operationId": "startRun"'));
  const hover: any = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: lines[line].indexOf('startRun') + 2 } });
  assert.match(JSON.stringify(hover), /startRun/);

  // Quick fix from the worker's finding: did-you-mean on the required name.
  const typo = quality(withQuality.diagnostics)[0];
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } })) as CodeAction[];
  assert.deepEqual(actions.map((a) => a.title), ['Change to "content"']);
  assert.equal(actions[0].edit!.changes![uri][0].newText, '"content"');

  // Repair the typo, unsaved: the fast publication for version 2 has no stale quality finding in
  // the edited file; then the new pass brings back only the loose schema.
  await client.change(spec, text.replace('"contents"', '"content"'), 2);
  const fast = await client.waitForDiagnostics(spec, (_d, p) => p.version === 2);
  assert.deepEqual(quality(fast.diagnostics), []);
  const again = await client.waitForDiagnostics(spec, (d, p) => p.version === 2 && quality(d).length === 1, 30_000);
  assert.equal(quality(again.diagnostics)[0].code, 'quality.loose-schema');
});

test('workspace trust: a ruleset with custom functions is skipped (visibly) until the client reports trust, then runs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-srv-trust-'));
  const marker = path.join(dir, 'MARKER');
  const spec = path.join(dir, 'openapi.yaml');
  fs.writeFileSync(spec, 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200": {description: ok}\n');
  fs.writeFileSync(path.join(dir, '.spectral.yaml'), 'functions: [mark]\nrules:\n  marked:\n    given: "$.paths[*][*]"\n    severity: warn\n    then: {function: mark}\n');
  fs.mkdirSync(path.join(dir, 'functions'));
  fs.writeFileSync(path.join(dir, 'functions/mark.js'), `const fs = require('fs');\nfs.writeFileSync(${JSON.stringify(marker)}, 'loaded');\nmodule.exports = () => [{ message: 'marked' }];\n`);
  const client = await start(dir, false);
  const ruleset = path.join(dir, '.spectral.yaml');
  const skipped = await client.waitForDiagnostics(ruleset, (d) => d.some((x) => x.code === 'quality.ruleset-skipped'), 30_000);
  assert.deepEqual(skipped.diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
  assert.equal(fs.existsSync(marker), false, 'untrusted: no workspace JavaScript ran');

  await client.connection.sendNotification('contractLens/workspaceTrust', { trusted: true });
  const ran = await client.waitForDiagnostics(spec, (d) => d.some((x) => x.code === 'quality.spectral-rule'), 30_000);
  assert.match(String(ran.diagnostics.find((x) => x.code === 'quality.spectral-rule')!.message), /^marked: /);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'loaded');
  await client.waitForDiagnostics(ruleset, (d) => d.length === 0, 30_000);
});
