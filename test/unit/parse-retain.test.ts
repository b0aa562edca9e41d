import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText } from '../../server/src/engine/parse/document';
import { reparse } from '../../server/src/engine/parse/incremental';
import type { AstNode } from '../../server/src/engine/parse/ast';
import { heapAfterCollecting } from '../helpers/gc';

// A parsed tree must not keep the text it was parsed from alive: V8 keeps a substring of 13
// characters or more as a view of the whole string, so one key or value sliced from the text
// would hold all of it (26 MB for GitHub's description) for as long as the tree lives, and the
// editor's next text would come on top of it. Each case parses a text of about 8 MB (two bytes a
// character: it holds a non-ASCII character), keeps the tree, drops the text and collects: the
// heap must shrink by most of the text's size.

// The parsers run on small texts first, twice in each format and through an incremental
// re-parse. A closure created only once so far (the parsers' readers close over the text) may be
// compiled by V8 specialized to its context, and that code then keeps the context, text
// included, alive for a while: once in about seven full runs the text before the edit stayed
// (-0.2 MB freed of 15.4 MB) whatever the tree held. After the warm-up no parser closure is a
// first one.
for (const n of [1, 2]) {
  const json = `{"a": {"description": "warm-up text number ${n} of the parsers"}}`;
  const doc = parseText('w.json', json);
  reparse(doc, json.replace('warm-up', 'warm up'));
  const yaml = `a:\n  description: warm-up text number ${n} of the parsers\n`;
  reparse(parseText('w.yaml', yaml), yaml.replace('warm-up', 'warm up'));
  parseText('w.yaml', `# comment\n${yaml}`);
  parseText('w.json', `${json.slice(0, -1)},}`);
}

const entries = 20_000;
/** A spec-shaped text of about 4 M characters with long keys and values, in JSON or YAML, with a variant (`n`) so no two texts are equal. */
function bigText(format: 'json' | 'yaml' | 'json-invalid' | 'yaml-commented', n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < entries; i++) {
    const key = `/repos/{owner}/{repo}/things/${n}/${i}`;
    const value = `A long description of thing ${i} in text ${n}, café, naïve — every word here counts.`;
    const long = `${value} ${value} ${value}`;
    parts.push(format.startsWith('json') ? `"${key}": {"description": "${long}", "summary": "${value}"}` : `'${key}':\n  description: ${long}\n  summary: '${value}'\n`);
  }
  if (format === 'json') return `{${parts.join(',\n')}}`;
  if (format === 'json-invalid') return `{${parts.join(',\n')},}`; // a trailing comma: the tolerant parser
  if (format === 'yaml-commented') return `# a comment: the yaml package's path\n${parts.join('')}`;
  return parts.join('');
}

/**
 * Drops the texts one by one while the tree stays, collecting after each: the bytes each drop
 * freed. `held` must be the only holder of the texts (everything that parsed them has returned).
 */
function freedPerText(held: { texts: (string | undefined)[]; root: AstNode | undefined }): { freed: number; textBytes: number }[] {
  assert.ok(held.root, 'the text parsed');
  const out: { freed: number; textBytes: number }[] = [];
  for (let i = 0; i < held.texts.length; i++) {
    const textBytes = held.texts[i]!.length * 2;
    const before = heapAfterCollecting();
    held.texts[i] = undefined;
    out.push({ freed: before - heapAfterCollecting(), textBytes });
  }
  assert.ok(held.root.start >= 0);
  return out;
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

for (const format of ['json', 'json-invalid', 'yaml', 'yaml-commented'] as const) {
  test(`a tree parsed from ${format} holds no view of its text`, () => {
    const held = (() => {
      const text = bigText(format, 1);
      const doc = parseText(format.startsWith('json') ? 'a.json' : 'a.yaml', text);
      // The texts are what they claim: the invalid one has its error, the others none.
      assert.equal(doc.problems.some((p) => p.kind === 'syntax'), format === 'json-invalid');
      return { texts: [text], root: doc.root };
    })();
    const [{ freed, textBytes }] = freedPerText(held);
    assert.ok(freed > 0.8 * textBytes, `${mb(freed)} freed of a ${mb(textBytes)} text`);
  });
}

for (const format of ['json', 'yaml'] as const) {
  test(`a ${format} tree re-parsed after an edit holds neither the text before it nor the edited one`, () => {
    const held = (() => {
      const file = format === 'json' ? 'a.json' : 'a.yaml';
      const first = bigText(format, 2);
      const doc = parseText(file, first);
      // Type into a description in the middle: the incremental path re-parses that value only.
      const at = first.indexOf('description', first.length >> 1) + 'description": "'.length;
      // Joined, not concatenated: a concatenation is a rope of two slices of `first` until V8
      // flattens it, and would hold `first` itself whatever the tree does.
      const edited = [first.slice(0, at), 'typed ', first.slice(at)].join('');
      const again = reparse(doc, edited);
      assert.ok(again, 'the edit took the incremental path');
      return { texts: [first, again.doc.text], root: again.doc.root };
    })();
    const [before, after] = freedPerText(held);
    assert.ok(before.freed > 0.8 * before.textBytes, `the text before the edit: ${mb(before.freed)} freed of ${mb(before.textBytes)}`);
    assert.ok(after.freed > 0.8 * after.textBytes, `the edited text: ${mb(after.freed)} freed of ${mb(after.textBytes)}`);
  });
}

test('ten edits of GitHub\'s description in ten places keep no earlier text alive', () => {
  // Each re-parse copies the strings of the region it parsed: the tree after ten edits holds the
  // current text (26 MB in UTF-16) and the copied nodes, not ten texts.
  const file = path.resolve(__dirname, '../../..', 'node_modules/@octokit/openapi/generated/api.github.com.json');
  let text = fs.readFileSync(file, 'utf8');
  let doc = parseText(file, text);
  const before = heapAfterCollecting();
  for (let i = 1; i <= 10; i++) {
    const at = text.indexOf('"description": "', Math.floor((text.length * i) / 12)) + '"description": "'.length;
    text = text.slice(0, at) + 'z' + text.slice(at);
    const next = reparse(doc, text);
    assert.ok(next, `edit ${i} was not re-parsed incrementally`);
    doc = next.doc;
  }
  const grown = (heapAfterCollecting() - before) / 1048576;
  assert.ok(grown < 100, `the heap grew by ${grown.toFixed(0)} MB over ten edits`);
  assert.ok(doc.root);
});

// Parsers push a container's children one by one, and V8 grows an array by half plus 16 slots:
// left as built, a mapping of two keys holds an array of 16. Every container must hold an array
// of its exact size once parsed (seal): copying each array to its exact size must then free
// next to nothing. Without it, about a quarter of these trees is slack.
const units = 40_000;
function smallContainers(format: 'json' | 'json-invalid' | 'yaml' | 'yaml-commented'): string {
  const parts: string[] = [];
  for (let i = 0; i < units; i++) parts.push(format.startsWith('json') ? `"k${i}": {"a": ${i}, "b": [1, 2]}` : `k${i}:\n  a: ${i}\n  b:\n  - 1\n  - 2\n`);
  if (format === 'json') return `{${parts.join(',\n')}}`;
  if (format === 'json-invalid') return `{${parts.join(',\n')},}`;
  if (format === 'yaml-commented') return `# a comment: the yaml package's path\n${parts.join('')}`;
  return parts.join('');
}

/** Bytes freed by giving every container of `root` an exact-size copy of its array. */
function slackOf(root: AstNode): number {
  const before = heapAfterCollecting();
  const walk = (n: AstNode) => {
    if (n.kind === 'array') {
      n.items = n.items.slice();
      n.items.forEach(walk);
    } else if (n.kind === 'object') {
      n.properties = n.properties.slice();
      n.properties.forEach((p) => walk(p.value));
    }
  };
  walk(root);
  return before - heapAfterCollecting();
}

for (const format of ['json', 'json-invalid', 'yaml', 'yaml-commented', 'json, re-parsed after an edit', 'yaml, re-parsed after an edit'] as const) {
  test(`a tree parsed from ${format} holds arrays of their exact size`, () => {
    const kind = format.startsWith('json') ? (format === 'json-invalid' ? 'json-invalid' : 'json') : format === 'yaml-commented' ? 'yaml-commented' : 'yaml';
    const file = kind.startsWith('json') ? 'a.json' : 'a.yaml';
    const empty = heapAfterCollecting();
    const held = (() => {
      const text = smallContainers(kind);
      const doc = parseText(file, text);
      if (!format.includes('edit')) return { text, root: doc.root! };
      // An edit near the start: the re-parse copies nearly every node after it with moved offsets.
      const at = text.indexOf('1', 10);
      const edited = `${text.slice(0, at)}7${text.slice(at)}`;
      const again = reparse(doc, edited);
      assert.ok(again, 'the edit took the incremental path');
      return { text: edited, root: again.doc.root! };
    })();
    const tree = heapAfterCollecting() - empty - held.text.length;
    const slack = slackOf(held.root);
    assert.ok(slack < 0.03 * tree, `exact-size copies freed ${mb(slack)} of a ${mb(tree)} tree`);
  });
}
