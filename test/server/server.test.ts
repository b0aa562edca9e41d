import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { createProtocolConnection, InitializeRequest, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';
import { copyExample, serverBundle } from '../helpers/examples';

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

/** The structural findings (the example's spec breaks); parity, coverage and generator findings come and go with their tests. */
const structural = (d: Diagnostic[]) => d.filter((x) => /^(spec|ref|syntax)\./.test(String(x.code)));
const codes = (d: Diagnostic[]) => structural(d).map((x) => String(x.code)).sort();

test('the workspace is checked at startup; didOpen and didChange (unsaved) update diagnostics per version', async () => {
  const { dir, client } = await startOn('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const initial = await client.waitForDiagnostics(spec, (d) => structural(d).length === 5);
  assert.deepEqual(codes(initial.diagnostics), ['ref.unresolved', 'spec.duplicate-operation-id', 'spec.missing-operation-id', 'spec.missing-responses', 'spec.undeclared-path-parameter']);
  const ref = initial.diagnostics.find((d) => d.code === 'ref.unresolved')!;
  assert.deepEqual(ref.range, { start: { line: 134, character: 32 }, end: { line: 134, character: 68 } });
  assert.equal(ref.source, 'contract-lens');
  assert.match(ref.codeDescription!.href, /README\.md#refunresolved$/);
  const dup = initial.diagnostics.find((d) => d.code === 'spec.duplicate-operation-id')!;
  assert.equal(dup.relatedInformation![0].location.range.start.line, 555);

  const text = fs.readFileSync(spec, 'utf8');
  await client.open(spec, text, 'json', 1);
  const fixed = text.replace('#/components/schemas/SesionSummary', '#/components/schemas/SessionSummary');
  await client.change(spec, fixed, 2);
  const after2 = await client.waitForDiagnostics(spec, (d, p) => p.version === 2);
  assert.deepEqual(codes(after2.diagnostics), ['spec.duplicate-operation-id', 'spec.missing-operation-id', 'spec.missing-responses', 'spec.undeclared-path-parameter']);
  // The file on disk was never written: the server read the unsaved buffer.
  assert.equal(fs.readFileSync(spec, 'utf8'), text);
});

test('a change in a $ref\'d file re-checks the root that includes it', async () => {
  const { dir, client } = await startOn('petstore-express');
  const root = path.join(dir, 'openapi.yaml');
  const schemas = path.join(dir, 'components/schemas.yaml');
  const before = await client.waitForDiagnostics(root, (d) => d.length > 0);
  const unresolvedBefore = before.diagnostics.filter((d) => d.code === 'ref.unresolved').length;
  const text = fs.readFileSync(schemas, 'utf8');
  assert.match(text, /^Pet:/m);
  await client.open(schemas, text, 'yaml', 1);
  // Rename the Pet schema in the referenced file, unsaved: every ref to it in the root breaks.
  await client.change(schemas, text.replace(/^Pet:/m, 'Animal:'), 2);
  const afterEdit = await client.waitForDiagnostics(root, (d) => d.filter((x) => x.code === 'ref.unresolved').length > unresolvedBefore);
  const newOnes = afterEdit.diagnostics.filter((d) => d.code === 'ref.unresolved' && /Pet"/.test(String(d.message)));
  assert.ok(newOnes.length >= 1, JSON.stringify(afterEdit.diagnostics.map((d) => d.message)));
  // Undo: the root's diagnostics return to what they were.
  await client.change(schemas, text, 3);
  await client.waitForDiagnostics(root, (d) => d.filter((x) => x.code === 'ref.unresolved').length === unresolvedBefore);
});

test('malformed input is a finding, never a crash; hover answers from the last good index', async () => {
  const { dir, client } = await startOn('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const text = fs.readFileSync(spec, 'utf8');
  await client.waitForDiagnostics(spec, (d) => structural(d).length === 5);
  await client.open(spec, text, 'json', 1);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('"operationId": "createSession"'));
  const hover: any = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI.file(spec).toString() }, position: { line, character: lines[line].indexOf('createSession') + 2 } });
  assert.match((hover.contents as { value: string }).value, /\*\*POST\*\* `\/api\/sessions`/);
  assert.match((hover.contents as { value: string }).value, /operationId `createSession`/);

  const garbage = ['', '{', '{"openapi": ', '\u0000\u0001\ufffd', text.slice(0, 1000), '[1,2,3]', 'null', '{"openapi":"3.1.0","paths":{"/a/{x}":{"get":{"parameters":[{"$ref":"#/a"}]}}}}'];
  let version = 2;
  for (const g of garbage) await client.change(spec, g, version++);
  const last = await client.waitForDiagnostics(spec, (d, p) => p.version === version - 1);
  assert.ok(last.diagnostics.length > 0);
  for (const d of last.diagnostics) assert.ok(d.range.start.line >= 0 && d.range.end.line <= 0, 'one-line document: ranges stay inside');
  // Still alive and answering.
  const again = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI.file(spec).toString() }, position: { line: 0, character: 0 } });
  assert.equal(again, null);
  await client.change(spec, text, version++);
  await client.waitForDiagnostics(spec, (d, p) => p.version === version - 1 && structural(d).length === 5);
  assert.equal(client.exited, false);
  assert.ok(!client.log.some((l) => /Unhandled|Uncaught/.test(l)), client.log.join('\n'));
});

test('a rapid burst of edits publishes only for the latest version', async () => {
  const { dir, client } = await startOn('petstore-express');
  const root = path.join(dir, 'openapi.yaml');
  const text = fs.readFileSync(root, 'utf8');
  await client.waitForDiagnostics(root, (d) => d.length > 0);
  await client.open(root, text, 'yaml', 1);
  const mark = client.publications.length;
  for (let v = 2; v <= 30; v++) await client.change(root, text + `\n# edit ${v}\n`, v);
  await client.waitForDiagnostics(root, (_d, p) => p.version === 30);
  const seen = client.publications.slice(mark).filter((p) => p.uri === URI.file(root).toString()).map((p) => p.version);
  assert.ok(seen.length < 10, `superseded checks are dropped, saw ${seen.length} publications: ${seen}`);
  assert.equal(seen[seen.length - 1], 30);
});

test('the server also speaks LSP over node IPC (the transport the VS Code client uses)', async () => {
  const child = fork(serverBundle, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  try {
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    assert.equal(result.serverInfo?.name, 'Contract Lens');
    assert.equal(result.capabilities.hoverProvider, true);
    connection.dispose();
  } finally {
    child.kill();
  }
});

test('parity moves live: an unsaved server edit changes the spec\'s diagnostics in the next publish', async () => {
  const { dir, client } = await startOn('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const app = path.join(dir, 'server/src/app.ts');
  await client.waitForDiagnostics(spec, (d) => d.some((x) => x.code === 'parity.unimplemented-operation'));
  const text = fs.readFileSync(app, 'utf8');
  await client.open(app, text, 'typescript', 1);
  const implemented = text + '\napp.delete("/api/agents/:agentId", async () => ({ deleted: true }));\n';
  await client.change(app, implemented, 2);
  await client.waitForDiagnostics(spec, (d) => !d.some((x) => x.code === 'parity.unimplemented-operation'));
  // And back: the finding returns when the registration goes.
  await client.change(app, text, 3);
  await client.waitForDiagnostics(spec, (d) => d.some((x) => x.code === 'parity.unimplemented-operation'));
});

test('CodeLens on the spec and on the server file come from the parity index', async () => {
  const { dir, client } = await startOn('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const app = path.join(dir, 'server/src/app.ts');
  await client.waitForDiagnostics(spec, (d) => d.length > 0);
  const specLenses: any[] = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI.file(spec).toString() } })) as any[];
  const titles = specLenses.map((l) => l.command.title);
  assert.ok(titles.some((t) => /^implemented · server\/src\/app\.ts:\d+$/.test(t)), titles.join('\n'));
  assert.ok(titles.some((t) => /^called by sdk\/agentlab\/\w+\.py:\d+/.test(t)), titles.join('\n'));
  assert.ok(titles.includes('not implemented'));
  const implemented = specLenses.find((l) => l.command.title.startsWith('implemented'));
  assert.equal(implemented.command.command, 'contractLens.openLocation');
  assert.equal(implemented.command.arguments[0], URI.file(app).toString());
  const appLenses: any[] = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI.file(app).toString() } })) as any[];
  const appTitles = appLenses.map((l) => l.command.title);
  assert.ok(appTitles.includes('documented · POST /api/sessions · createSession'), appTitles.join('\n'));
  assert.ok(appTitles.includes('undocumented · POST /api/sessions/{sessionId}/archive'), appTitles.join('\n'));
  assert.ok(appTitles.some((t) => t.startsWith('websocket · GET /api/stream')), appTitles.join('\n'));
});

test('quick fix: add a spec stub for an undocumented route; applied, the finding goes away', async () => {
  const { dir, client } = await startOn('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const app = path.join(dir, 'server/src/app.ts');
  const pub = await client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'parity.undocumented-route'));
  const diagnostic = pub.diagnostics.find((x) => x.code === 'parity.undocumented-route')!;
  const actions: any[] = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI.file(app).toString() }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as any[];
  const add = actions.find((a) => a.title === 'Add POST /api/sessions/{sessionId}/archive to the spec');
  assert.ok(add, actions.map((a) => a.title).join('\n'));
  assert.ok(actions.some((a) => a.title === 'Ignore POST /api/sessions/{sessionId}/archive in contract-lens.yaml'));
  const edits = add.edit.changes[URI.file(spec).toString()];
  assert.equal(edits.length, 1);
  const text = fs.readFileSync(spec, 'utf8');
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edited = text.slice(0, offset(edits[0].range.start)) + edits[0].newText + text.slice(offset(edits[0].range.end));
  JSON.parse(edited);
  await client.open(spec, edited, 'json', 1);
  await client.waitForDiagnostics(app, (d) => !d.some((x) => x.code === 'parity.undocumented-route'));
});

test('coverage: CodeLens counts on the spec, and an unsaved operationId rename yields the stale declaration with its did-you-mean fix', async () => {
  const { dir, client } = await startOn('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const contracts = path.join(dir, 'sdk/agentlab/contracts.py');
  await client.waitForDiagnostics(spec, (d) => d.length > 0);
  const lenses: any[] = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI.file(spec).toString() } })) as any[];
  const summary = lenses.find((l) => l.range.start.line === 0 && l.command.title.startsWith('Typed coverage'));
  assert.equal(summary?.command.title, 'Typed coverage 5/16 (31 %) · strict 1 · raw 9 · undeclared 2');
  assert.equal(summary.command.command, 'contractLens.showCoverageReport');
  assert.ok(lenses.some((l) => /^typed · sessions\.create · CreateSessionRequest → Session/.test(l.command.title)), lenses.map((l) => l.command.title).join('\n'));
  assert.equal(lenses.filter((l) => l.command.title === 'declare raw').length, 1, 'listAgents is undeclared: declare typed | declare raw');

  const text = fs.readFileSync(spec, 'utf8');
  await client.open(spec, text, 'json', 1);
  await client.change(spec, text.replace('"operationId": "createSession"', '"operationId": "createNewSession"'), 2);
  const isStale = (x: Diagnostic) => x.code === 'coverage.stale-declaration' && /createSession/.test(String(x.message));
  const pub = await client.waitForDiagnostics(contracts, (d) => d.some(isStale));
  const stale = pub.diagnostics.find(isStale)!;
  assert.match(String(stale.message), /Did you mean "createNewSession"\?/);
  const actions: any[] = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI.file(contracts).toString() }, range: stale.range, context: { diagnostics: [stale] } })) as any[];
  const rename = actions.find((a) => /createNewSession/.test(a.title));
  assert.ok(rename, actions.map((a) => a.title).join('\n'));
  // Every mention of the old id in the module (the contract, the all set, the strict set) is renamed.
  const edits = rename.edit.changes[URI.file(contracts).toString()];
  assert.ok(edits.length >= 1);
  assert.ok(edits.every((e: any) => e.newText === 'createNewSession'));
});
