import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseText, LineIndex } from '../../server/src/engine/index';
import { keySubSpan, toValue, type ObjectNode } from '../../server/src/engine/parse/ast';

const slice = (text: string, n: { start: number; end: number }) => text.slice(n.start, n.end);

test('JSON: every key and value keeps its exact source range', () => {
  const text = '{\n  "openapi": "3.1.0",\n  "paths": { "/a/{id}": { "get": {} } }\n}';
  const doc = parseText('/x/spec.json', text);
  assert.equal(doc.format, 'json');
  assert.equal(doc.problems.length, 0);
  const root = doc.root as ObjectNode;
  const openapi = root.map.get('openapi')!;
  assert.equal(text.slice(openapi.keyStart, openapi.keyEnd), '"openapi"');
  assert.equal(slice(text, openapi.value), '"3.1.0"');
  const pathProp = (root.map.get('paths')!.value as ObjectNode).map.get('/a/{id}')!;
  assert.equal(slice(text, keySubSpan(pathProp, 3, 7)), '{id}');
  assert.deepEqual(toValue(root), { openapi: '3.1.0', paths: { '/a/{id}': { get: {} } } });
});

test('YAML: plain and quoted keys map to their source characters', () => {
  const text = "openapi: 3.0.3\npaths:\n  '/b/{bId}':\n    get: {}\n  /c/{cId}:\n    post: {}\n";
  const doc = parseText('/x/spec.yaml', text);
  assert.equal(doc.problems.length, 0);
  const paths = ((doc.root as ObjectNode).map.get('paths')!.value as ObjectNode).map;
  assert.equal(slice(text, keySubSpan(paths.get('/b/{bId}')!, 3, 8)), '{bId}');
  assert.equal(slice(text, keySubSpan(paths.get('/c/{cId}')!, 3, 8)), '{cId}');
});

test('JSON truncated in the middle: a positioned syntax problem, and what was read is kept', () => {
  const full = '{\n  "openapi": "3.1.0",\n  "paths": {\n    "/a": { "get": { "operationId": "a" } }\n  }\n}\n';
  const text = full.slice(0, full.indexOf('"get"') + 8);
  const doc = parseText('/x/spec.json', text);
  assert.ok(doc.problems.length >= 1);
  const first = doc.problems[0];
  assert.equal(first.kind, 'syntax');
  assert.match(first.message, /end of file|expected/i);
  assert.ok(first.start <= text.length && first.end <= text.length + 1);
  assert.equal(((doc.root as ObjectNode).map.get('openapi')!.value as { value: unknown }).value, '3.1.0');
});

test('YAML syntax error is positioned where the parser stopped', () => {
  const text = 'openapi: 3.0.0\npaths:\n  /a:\n    get: [1, 2\n';
  const doc = parseText('/x/spec.yaml', text);
  const syntax = doc.problems.filter((p) => p.kind === 'syntax');
  assert.ok(syntax.length >= 1);
  const pos = doc.lines.positionAt(syntax[0].start);
  assert.ok(pos.line >= 3, `expected the error on line 4 or later, got ${pos.line + 1}`);
});

test('duplicate keys are reported in YAML and JSON, pointing at the second key', () => {
  for (const [file, text] of [
    ['/x/a.yaml', 'a: 1\nb: 2\na: 3\n'],
    ['/x/a.json', '{"a": 1, "b": 2, "a": 3}'],
  ] as const) {
    const doc = parseText(file, text);
    const dup = doc.problems.filter((p) => p.kind === 'duplicate-key');
    assert.equal(dup.length, 1, file);
    assert.equal(text.slice(dup[0].start, dup[0].end).replace(/"/g, ''), 'a');
    assert.equal(dup[0].start, text.lastIndexOf(file.endsWith('json') ? '"a"' : 'a:'));
    assert.equal(dup[0].relatedStart, text.indexOf(file.endsWith('json') ? '"a"' : 'a'));
  }
});

test('a byte-order mark does not shift offsets or break parsing', () => {
  const text = '\ufeff{"openapi": "3.1.0"}';
  const doc = parseText('/x/a.json', text);
  assert.equal(doc.problems.length, 0);
  const p = (doc.root as ObjectNode).map.get('openapi')!;
  assert.equal(text.slice(p.keyStart, p.keyEnd), '"openapi"');
});

test('YAML aliases are shared, so an alias bomb stays small and a self-reference terminates', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
  const started = Date.now();
  const doc = parseText('/x/bomb.yaml', bomb.join('\n') + '\n');
  assert.ok(doc.root);
  assert.ok(Date.now() - started < 5000);
});

test('LineIndex counts UTF-16 columns and handles CRLF', () => {
  const text = 'a: "é😀"\r\nb: 1\rc: 2\n';
  const lines = new LineIndex(text);
  assert.deepEqual(lines.positionAt(text.indexOf('b')), { line: 1, character: 0 });
  assert.deepEqual(lines.positionAt(text.indexOf('c')), { line: 2, character: 0 });
  // é is one UTF-16 unit, 😀 two: the closing quote is at column 7.
  assert.deepEqual(lines.positionAt(text.indexOf('"', 4)), { line: 0, character: 7 });
  assert.equal(lines.offsetAt({ line: 1, character: 3 }), text.indexOf('1'));
  // An offset between the CR and the LF of a line end (where a parser may end an error range) is
  // the end of that line, not a column past it (found by the 10,000-case fuzz run).
  assert.deepEqual(lines.positionAt(text.indexOf('\n')), { line: 0, character: text.indexOf('\r') });
});
