import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticTag, type CodeAction, type CompletionItem, type Diagnostic, type DocumentSymbol, type Hover, type Location, type LocationLink, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';
import { copyExample, copyFixture } from '../helpers/examples';

/**
 * Authoring requests against the real server over stdio: definition, implementation, references,
 * rename, hover, completion and the outline, on a split YAML spec (three files, an Express server,
 * YAML declarations), a JSON spec, and the sessions-api example (Python SDK and contracts module).
 */

const clients: LspTestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(dir: string, textDocument: Record<string, unknown> = {}) {
  const client = new LspTestClient();
  clients.push(client);
  await client.initialize(dir, textDocument);
  await client.checkWorkspace();
  return client;
}

const uri = (file: string) => URI.file(file).toString();

/** The text a range covers (the test side converts with JS string indexes, which are UTF-16 too). */
function slice(text: string, range: Range): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/** The position of the first `needle` in a file (plus `delta` characters). */
function at(text: string, needle: string, delta = 0, nth = 0) {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `"${needle}" not found`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Opens files in the server as an editor would (so requests answer from the buffers). */
async function openAll(client: LspTestClient, files: string[]) {
  for (const f of files) await client.open(f, fs.readFileSync(f, 'utf8'));
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

test('YAML split spec: definition across files, with UTF-16 columns on a line with non-ASCII text', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir, { definition: { linkSupport: true } });
  const root = path.join(dir, 'openapi.yaml');
  const item = path.join(dir, 'paths/pet.yaml');
  const schemas = path.join(dir, 'schemas/pet.yaml');
  await openAll(client, [root, item, schemas]);
  const rootText = fs.readFileSync(root, 'utf8');
  const schemasText = fs.readFileSync(schemas, 'utf8');

  const toPet = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uri(root) }, position: at(rootText, './schemas/pet.yaml#/Pet', 5) });
  assert.equal(toPet.length, 1);
  assert.equal(toPet[0].targetUri, uri(schemas));
  assert.deepEqual(toPet[0].originSelectionRange, r(18, 24, 18, 49));
  assert.deepEqual(toPet[0].targetSelectionRange, r(1, 0, 1, 3));
  assert.deepEqual(toPet[0].targetRange, r(1, 0, 10, 62));

  // `    owner: {description: "Besitzer – 飼い主 🐾", $ref: '#/Owner'}`: the $ref value starts at
  // UTF-16 column 52 (51 code points, 62 UTF-8 bytes) and ends at 61.
  const ownerLine = schemasText.split('\n')[10];
  assert.equal(ownerLine.indexOf("'#/Owner'"), 52);
  assert.equal([...ownerLine.slice(0, 52)].length, 51);
  assert.equal(Buffer.byteLength(ownerLine.slice(0, 52)), 62);
  const toOwner = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uri(schemas) }, position: { line: 10, character: 56 } });
  assert.deepEqual(toOwner[0].originSelectionRange, r(10, 52, 10, 61));
  assert.equal(toOwner[0].targetUri, uri(schemas));
  assert.deepEqual(toOwner[0].targetSelectionRange, r(17, 0, 17, 5));

  // From the path item file back into the root's components.
  const itemText = fs.readFileSync(item, 'utf8');
  const toParam = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uri(item) }, position: at(itemText, 'PetId') });
  assert.equal(toParam[0].targetUri, uri(root));
  assert.deepEqual(toParam[0].targetSelectionRange, r(37, 4, 37, 9));
  assert.equal(slice(rootText, toParam[0].targetSelectionRange), 'PetId');
  // A file-only $ref goes to the top of that file.
  const toItem = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uri(root) }, position: at(rootText, './paths/pet.yaml', 2) });
  assert.equal(toItem[0].targetUri, uri(item));
  assert.deepEqual(toItem[0].targetSelectionRange.start, { line: 1, character: 0 });
});

test('YAML split spec: references across the three files, rename applied and re-checked with zero unresolved $refs, a collision refused', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir);
  const root = path.join(dir, 'openapi.yaml');
  const item = path.join(dir, 'paths/pet.yaml');
  const schemas = path.join(dir, 'schemas/pet.yaml');
  await openAll(client, [root, item, schemas]);
  const texts = new Map([root, item, schemas].map((f) => [uri(f), fs.readFileSync(f, 'utf8')]));
  const schemasText = texts.get(uri(schemas))!;

  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri(schemas) }, position: at(schemasText, 'Pet:'), context: { includeDeclaration: true } });
  assert.deepEqual(
    refs.map((l) => `${path.relative(dir, URI.parse(l.uri).fsPath)} ${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character} ${slice(texts.get(l.uri)!, l.range)}`),
    [
      'schemas/pet.yaml 1:0-1:3 Pet',
      "openapi.yaml 18:24-18:49 './schemas/pet.yaml#/Pet'",
      "openapi.yaml 30:22-30:47 './schemas/pet.yaml#/Pet'",
      "paths/pet.yaml 13:18-13:44 '../schemas/pet.yaml#/Pet'",
    ],
  );

  const itemText = texts.get(uri(item))!;
  const onRef = at(itemText, 'schemas/pet.yaml#/Pet', 18);
  const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri(item) }, position: onRef });
  assert.deepEqual(prepared, { range: r(13, 40, 13, 43), placeholder: 'Pet' });

  await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: uri(item) }, position: onRef, newName: 'Owner' }), (e: Error) => {
    assert.equal(e.message, 'Cannot rename schema "Pet" to "Owner": schemas/pet.yaml already has "Owner" (schemas/pet.yaml:18).');
    return true;
  });
  await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri: uri(item) }, position: at(itemText, 'showPet') }), /Only components can be renamed/);

  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(item) }, position: onRef, newName: 'Animal' });
  assert.deepEqual(Object.keys(edit.changes!).sort(), [uri(root), uri(item), uri(schemas)].sort());
  assert.equal(edit.changes![uri(root)].length, 2);
  // Apply the edit as an editor would (unsaved buffers), then wait for the re-check of that version.
  for (const [u, edits] of Object.entries(edit.changes!)) {
    const next = applyTextEdits(texts.get(u)!, edits);
    texts.set(u, next);
    await client.change(URI.parse(u).fsPath, next, 2);
  }
  assert.match(texts.get(uri(schemas))!, /^Animal:$/m);
  assert.equal((texts.get(uri(root))!.match(/schemas\/pet\.yaml#\/Animal'/g) ?? []).length, 2);
  for (const f of [root, item, schemas]) {
    const pub = await client.waitForDiagnostics(f, (_d, p) => p.version === 2);
    assert.deepEqual(pub.diagnostics.filter((d) => String(d.code).startsWith('ref.')), [], f);
  }
  // Still exactly the references it had, under the new name.
  const after = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri(schemas) }, position: at(texts.get(uri(schemas))!, 'Animal:'), context: { includeDeclaration: false } });
  assert.equal(after.length, 3);
});

test('YAML split spec: hover on a $ref and on an operation (typed state, where it is implemented)', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir);
  const root = path.join(dir, 'openapi.yaml');
  await openAll(client, [root]);
  const text = fs.readFileSync(root, 'utf8');
  const onRef = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(root) }, position: at(text, './schemas/pet.yaml#/Pet', 3) });
  assert.deepEqual(onRef.range, r(18, 24, 18, 49));
  assert.equal(
    (onRef.contents as { value: string }).value,
    '**Pet** · schema · `schemas/pet.yaml`\n\n`object`\n\nRequired: `id`, `name`\n\n- `id`\\*: string\n- `name`\\*: string\n- `owner`: Owner\n\nA pet living in the kennel.',
  );
  const onOp = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(root) }, position: at(text, 'post:', 1) });
  const md = (onOp.contents as { value: string }).value;
  assert.match(md, /^\*\*POST\*\* `\/pets`\noperationId `createPet`/);
  assert.match(md, /Coverage: \*\*typed\*\* as `pets\.create`/);
  assert.match(md, new RegExp(`Implemented by \\[src/app\\.ts:9\\]\\(${URI.file(path.join(dir, 'src/app.ts')).toString().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#L9\\)`));
  const onList = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(root) }, position: at(text, 'listPets') });
  assert.match((onList.contents as { value: string }).value, /Coverage: \*\*raw\*\*/);
});

test('YAML split spec: go to implementation from an operation to the Express route, and back from the route to the operation', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir);
  const root = path.join(dir, 'openapi.yaml');
  const app = path.join(dir, 'src/app.ts');
  await openAll(client, [root]);
  await client.open(app, fs.readFileSync(app, 'utf8'), 'typescript');
  const text = fs.readFileSync(root, 'utf8');
  const impl = await client.request<Location[]>('textDocument/implementation', { textDocument: { uri: uri(root) }, position: at(text, 'get:', 1) });
  assert.deepEqual(impl, [{ uri: uri(app), range: r(4, 8, 4, 15) }]);
  const appText = fs.readFileSync(app, 'utf8');
  const back = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri(app) }, position: at(appText, "'/pets/:petId'", 3) });
  assert.deepEqual(back, [{ uri: uri(path.join(dir, 'paths/pet.yaml')), range: r(3, 0, 3, 3) }]);
  const backImpl = await client.request<Location[]>('textDocument/implementation', { textDocument: { uri: uri(app) }, position: at(appText, "app.post('/pets'", 2) });
  assert.deepEqual(backImpl, [{ uri: uri(root), range: r(19, 4, 19, 8) }]);
});

test('YAML split spec: completion of $ref values by kind, status codes, and the declarations file', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir);
  const root = path.join(dir, 'openapi.yaml');
  const decls = path.join(dir, 'contract-lens.coverage.yaml');
  const text = fs.readFileSync(root, 'utf8');
  await client.open(root, text);
  // The user empties the first $ref (unsaved) and asks for completion inside the quotes.
  const edited = text.replace("$ref: './schemas/pet.yaml#/Pet'", "$ref: ''");
  await client.change(root, edited, 2);
  const inSchema = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(root) }, position: at(edited, "$ref: ''", 7) });
  assert.deepEqual(inSchema.map((i) => i.label), ['#/components/schemas/Legacy', './schemas/pet.yaml#/Pet', './schemas/pet.yaml#/NewPet', './schemas/pet.yaml#/Owner', './schemas/pet.yaml#/Error']);
  assert.deepEqual(inSchema[1].textEdit, { range: r(18, 24, 18, 26), newText: "'./schemas/pet.yaml#/Pet'" });
  const inBody = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(root) }, position: at(edited, "'#/components/requestBodies/NewPetBody'", 3) });
  assert.deepEqual(inBody.map((i) => i.label), ['#/components/requestBodies/NewPetBody']);

  // A new response status under an operation: the ones already there are not offered.
  const withStatus = edited.replace("        default:\n          $ref: '#/components/responses/Problem'\n", "        default:\n          $ref: '#/components/responses/Problem'\n        '4'\n");
  await client.change(root, withStatus, 3);
  const statuses = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(root) }, position: at(withStatus, "'4'", 2) });
  assert.ok(statuses.some((i) => i.label === '404') && !statuses.some((i) => i.label === '201' || i.label === 'default'));
  const notFound = statuses.find((i) => i.label === '404')!;
  assert.equal(notFound.insertTextFormat, 2);
  assert.deepEqual(notFound.textEdit, { range: r(33, 8, 33, 11), newText: "'404':\n  description: ${1:Not Found}" });

  const declText = fs.readFileSync(decls, 'utf8');
  const newEntry = declText.replace('raw:\n  - listPets\n', 'raw:\n  - listPets\n  - \n');
  await client.open(decls, newEntry);
  const ids = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(decls) }, position: { line: 5, character: 4 } });
  // Editors order by sortText: operations not declared yet come first.
  ids.sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
  assert.deepEqual(ids.map((i) => `${i.label} (${i.detail})`), ['showPet (GET /pets/{petId} · undeclared)', 'listPets (GET /pets · raw)', 'createPet (POST /pets · typed)']);
});

test('YAML split spec: the outline of the root, of the path item file, of the definitions file', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir);
  const names = (list: DocumentSymbol[], depth = 0): string[] => list.flatMap((s) => [`${'  '.repeat(depth)}${s.name}${s.detail ? ` · ${s.detail}` : ''} [${s.selectionRange.start.line}:${s.selectionRange.start.character}]`, ...names(s.children ?? [], depth + 1)]);
  const outline = async (file: string) => {
    const f = path.join(dir, file);
    await client.open(f, fs.readFileSync(f, 'utf8'));
    return names(await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(f) } }));
  };
  assert.deepEqual(await outline('openapi.yaml'), [
    'paths · 2 [4:0]',
    '  /pets [5:2]',
    '    GET listPets · List the pets [6:4]',
    '    POST createPet [19:4]',
    '  /pets/{petId} · → ./paths/pet.yaml [33:2]',
    'components [35:0]',
    '  parameters · 1 [36:2]',
    '    PetId [37:4]',
    '  requestBodies · 1 [43:2]',
    '    NewPetBody [44:4]',
    '  responses · 1 [50:2]',
    '    Problem [51:4]',
    '  schemas · 1 [57:2]',
    '    Legacy · object [58:4]',
  ]);
  assert.deepEqual(await outline('paths/pet.yaml'), ['GET showPet · Show one pet [3:0]']);
  assert.deepEqual(await outline('schemas/pet.yaml'), ['Pet · object [1:0]', 'NewPet · object [11:0]', 'Owner · object [17:0]', 'Error · object [24:0]']);
  const config = path.join(dir, 'contract-lens.yaml');
  await client.open(config, fs.readFileSync(config, 'utf8'));
  assert.equal(await client.request('textDocument/documentSymbol', { textDocument: { uri: uri(config) } }), null);
});

test('unused components: a hint (faded) with a quick fix that deletes the component', async () => {
  const dir = copyFixture('authoring/split');
  const client = await start(dir);
  const root = path.join(dir, 'openapi.yaml');
  const text = fs.readFileSync(root, 'utf8');
  const pub = await client.waitForDiagnostics(root, (d) => d.some((x) => x.code === 'spec.unused-component'));
  const hints = pub.diagnostics.filter((d) => d.code === 'spec.unused-component');
  assert.deepEqual(hints.map((d) => [d.range, d.severity, d.message, d.tags]), [[r(58, 4, 58, 10), 4, 'Schema "Legacy" is not used: no $ref points at #/components/schemas/Legacy.', [DiagnosticTag.Unnecessary]]]);
  await client.open(root, text);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(root) }, range: hints[0].range, context: { diagnostics: hints } });
  const fix = actions.find((a) => a.title === 'Delete unused schema "Legacy"')!;
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  const fixed = applyTextEdits(text, fix.edit!.changes![uri(root)]);
  assert.ok(fixed.endsWith('  schemas:\n    {}\n'), fixed.slice(-80));
  await client.change(root, fixed, 2);
  const after = await client.waitForDiagnostics(root, (_d, p) => p.version === 2);
  assert.deepEqual(after.diagnostics.filter((d: Diagnostic) => d.code === 'spec.unused-component' || String(d.code).startsWith('syntax.')), []);
});

test('JSON spec: definition, references and rename (a pointer into the component follows), with UTF-16 columns; hover; completion; outline', async () => {
  const dir = copyFixture('authoring/json');
  const client = await start(dir);
  const spec = path.join(dir, 'openapi.json');
  let text = fs.readFileSync(spec, 'utf8');
  await client.open(spec, text, 'json');
  // `"tags": { "description": "Étiquettes 🏷️", …, "items": { "$ref": "#/components/schemas/Tag" } }`
  const tagsLine = text.split('\n').findIndex((l) => l.includes('Étiquettes'));
  const col = text.split('\n')[tagsLine].indexOf('"#/components/schemas/Tag"');
  // 89 UTF-16 code units before it ("🏷️" is three), 88 code points, 94 UTF-8 bytes.
  assert.equal(col, 89);
  assert.equal([...text.split('\n')[tagsLine].slice(0, col)].length, 88);
  assert.equal(Buffer.byteLength(text.split('\n')[tagsLine].slice(0, col)), 94);
  const def = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri(spec) }, position: { line: tagsLine, character: col + 3 } });
  assert.deepEqual(def, [{ uri: uri(spec), range: r(45, 6, 45, 11) }]);
  assert.equal(slice(text, def[0].range), '"Tag"');

  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri(spec) }, position: at(text, '"Note": {', 2), context: { includeDeclaration: false } });
  assert.deepEqual(refs.map((l) => slice(text, l.range)), ['"#/components/schemas/Note"', '"#/components/schemas/Note"']);
  assert.deepEqual(refs.map((l) => l.range.start.line), [11, 19]);

  await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: uri(spec) }, position: at(text, '"Note": {', 2), newName: 'Tag' }), /Cannot rename schema "Note" to "Tag": #\/components\/schemas already has "Tag" \(openapi\.json:46\)\./);
  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(spec) }, position: at(text, '"Note": {', 2), newName: 'Memo' });
  text = applyTextEdits(text, edit.changes![uri(spec)]);
  const parsed = JSON.parse(text);
  assert.deepEqual(Object.keys(parsed.components.schemas), ['Memo', 'NewNote', 'Tag', 'Error']);
  assert.equal(parsed.components.schemas.NewNote.properties.parent.$ref, '#/components/schemas/Memo/properties/id');
  await client.change(spec, text, 2);
  await client.checkWorkspace();
  assert.deepEqual((client.diagnostics.get(uri(spec))?.diagnostics ?? []).filter((d) => String(d.code).startsWith('ref.')), []);

  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(spec) }, position: at(text, '"#/components/schemas/NewNote"', 3) });
  assert.match((hover.contents as { value: string }).value, /^\*\*NewNote\*\* · schema\n\n`object`\n\nRequired: `text`\n\n- `text`\\\*: string\n- `parent`: id$/);

  const edited = text.replace('"$ref": "#/components/responses/BadRequest"', '"$ref": "#/"');
  await client.change(spec, edited, 3);
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(spec) }, position: at(edited, '"$ref": "#/"', 11) });
  assert.deepEqual(items.map((i) => [i.label, i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : undefined]), [['#/components/responses/BadRequest', '"#/components/responses/BadRequest"']]);

  const outline = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(spec) } });
  assert.deepEqual(outline.map((s) => s.name), ['paths', 'components']);
  assert.deepEqual(outline[0].children![0].children!.map((s) => s.name), ['GET listNotes', 'POST createNote']);
  assert.deepEqual(outline[0].children![0].children![0].selectionRange, r(5, 6, 5, 11));
});

test('sessions-api: implementation reaches the Fastify route and the Python SDK call; completion in the Python contracts module', async () => {
  const dir = copyExample('sessions-api');
  const client = await start(dir);
  const spec = path.join(dir, 'openapi.json');
  const text = fs.readFileSync(spec, 'utf8');
  await client.open(spec, text, 'json');
  const impl = await client.request<Location[]>('textDocument/implementation', { textDocument: { uri: uri(spec) }, position: at(text, '"createSession"', 2) });
  assert.deepEqual(impl.map((l) => path.relative(dir, URI.parse(l.uri).fsPath)).sort(), ['sdk/agentlab/sessions.py', 'server/src/app.ts']);
  const sdk = impl.find((l) => l.uri.endsWith('sessions.py'))!;
  assert.match(slice(fs.readFileSync(URI.parse(sdk.uri).fsPath, 'utf8'), sdk.range), /^["']\/sessions["']$/);

  const contracts = path.join(dir, 'sdk/agentlab/contracts.py');
  const module = fs.readFileSync(contracts, 'utf8').replace('operation_id="readRun"', 'operation_id="rea"');
  await client.open(contracts, module, 'python');
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(contracts) }, position: at(module, 'operation_id="rea"', 17) });
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('readRun') && labels.includes('readSession'), labels.join(', '));
  const readRun = items.find((i) => i.label === 'readRun')!;
  const p = at(module, 'operation_id="rea"', 14);
  assert.deepEqual(readRun.textEdit, { range: { start: p, end: { line: p.line, character: p.character + 3 } }, newText: 'readRun' });
});
