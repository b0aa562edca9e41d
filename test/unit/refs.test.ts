import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkFiles } from '../helpers/check';

const head = 'openapi: 3.0.3\ninfo: {title: r, version: "1"}\npaths: {}\n';

test('a mistyped local pointer: unresolved, with a did-you-mean and the corrected ref in data', () => {
  const { view } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    Session: {type: object}\n    Page:\n      type: array\n      items: {$ref: '#/components/schemas/Sesion'}\n`,
  });
  assert.equal(view.length, 1);
  assert.equal(view[0].code, 'ref.unresolved');
  assert.equal(view[0].at, '9:21-9:50');
  assert.match(view[0].message, /Did you mean "Session"\?/);
  assert.equal(view[0].data?.suggestedRef, '#/components/schemas/Session');
});

test('split specs: findings inside a referenced file are reported in that file', () => {
  const { view, result } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    Pet: {$ref: './schemas/pet.yaml#/Pet'}\n`,
    'schemas/pet.yaml': "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Ownr'}\nOwner: {type: object}\n",
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.file} ${v.at}`), ['ref.unresolved schemas/pet.yaml 4:19-4:27']);
  assert.ok(result.dependencies.has('/project/schemas/pet.yaml'));
});

test('a missing file and a remote URL', () => {
  const { view } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    A: {$ref: './schemas.yml#/A'}\n    B: {$ref: 'https://example.com/b.yaml#/B'}\n`,
    'schemas.yaml': 'A: {type: string}\n',
  });
  assert.deepEqual(view.map((v) => v.code), ['ref.unresolved', 'ref.remote-not-fetched']);
  assert.match(view[0].message, /file "\.\/schemas\.yml" does not exist\. Did you mean "schemas\.yaml"\?/);
});

test('references that leave the project are refused, not read', () => {
  const { view } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    A: {$ref: '../../etc/passwd'}\n    B: {$ref: '/etc/hosts#/x'}\n`,
  });
  assert.deepEqual(view.map((v) => v.code), ['ref.outside-project', 'ref.outside-project']);
});

test('a pure $ref cycle is reported once; a recursive schema is not a cycle', () => {
  const { view } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {$ref: '#/components/schemas/A'}\n    Node:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n`,
  });
  assert.deepEqual(view.map((v) => v.code), ['ref.cycle']);
  assert.match(view[0].message, /cycle of 3/);
});

test('a chain of 1,000 references resolves and terminates', () => {
  const lines = [];
  for (let i = 0; i < 1000; i++) lines.push(`    S${i}: {$ref: '#/components/schemas/S${i + 1}'}`);
  lines.push('    S1000: {type: string}');
  const started = Date.now();
  const { view } = checkFiles({ 'openapi.yaml': `${head}components:\n  schemas:\n${lines.join('\n')}\n` });
  assert.deepEqual(view, []);
  assert.ok(Date.now() - started < 10_000);
});

test('a cycle across files terminates', () => {
  const { view } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    A: {$ref: './a.yaml'}\n`,
    'a.yaml': "$ref: './b.yaml'\n",
    'b.yaml': "$ref: './a.yaml'\n",
  });
  assert.ok(view.some((v) => v.code === 'ref.cycle'));
});

test('$ref inside examples, defaults and extensions is data, not a reference', () => {
  const { view } = checkFiles({
    'openapi.yaml': `${head}components:\n  schemas:\n    A:\n      type: object\n      example: {$ref: '#/nowhere'}\n      x-meta: {$ref: '#/nowhere'}\n      properties:\n        $ref: {type: string}\n  examples:\n    E:\n      value: {$ref: '#/nowhere'}\n`,
  });
  assert.deepEqual(view, []);
});

test('percent-encoded and escaped pointers resolve', () => {
  const { view } = checkFiles({
    'openapi.yaml': `openapi: 3.0.3\ninfo: {title: r, version: "1"}\npaths:\n  /a/b:\n    get:\n      operationId: ab\n      responses: {'200': {description: ok}}\n  /c:\n    $ref: '#/paths/~1a~1b'\ncomponents:\n  schemas:\n    'Name With Space': {type: string}\n    X: {$ref: '#/components/schemas/Name%20With%20Space'}\n`,
  });
  // X itself is used by nothing; 'Name With Space' is used through its percent-encoded pointer.
  assert.deepEqual(view.map((v) => `${v.code} ${v.text}`), ['spec.duplicate-operation-id ab', 'spec.unused-component X']);
});

test('a $ref in a `default` response or a `default` example is a reference (a name, not a default value) and is checked', () => {
  const { view } = checkFiles({
    'openapi.yaml': "openapi: 3.0.3\ninfo: {title: r, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        default:\n          $ref: '#/components/responses/Problm'\ncomponents:\n  responses:\n    Problem: {description: no}\n  schemas:\n    S: {type: string, default: {$ref: not-a-reference}}\n  requestBodies:\n    B: {content: {application/json: {examples: {default: {$ref: '#/components/examples/Nope'}}}}}\n",
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.at}`), [
    'ref.unresolved 9:17-9:48',
    'spec.unused-component 12:5-12:12',
    'spec.unused-component 14:5-14:6',
    'spec.unused-component 16:5-16:6',
    'ref.unresolved 16:65-16:93',
  ]);
  assert.equal(view[0].data?.suggestedRef, '#/components/responses/Problem');
});
