import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkFiles } from '../helpers/check';

const yamlSpec = `openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /orders/{orderId}:
    get:
      operationId: readOrder
      responses:
        '200': {description: ok}
    put:
      operationId: readOrder
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string}}
      responses:
        '2OO': {description: ok}
  /orders/{id}/lines/{lineId}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - name: ghost
        in: path
        required: true
        schema: {type: string}
    get:
      responses: {}
    post:
      operationId: addLine
  /orders/{other}:
    delete:
      operationId: deleteOrder
      parameters:
        - {name: other, in: path, required: true, schema: {type: string}}
      responses:
        default: {description: error}
`;

test('structural findings on YAML, each at the exact token', () => {
  const { view } = checkFiles({ 'openapi.yaml': yamlSpec });
  const got = view.map((v) => `${v.code} ${v.at} ${JSON.stringify(v.text)}`);
  assert.deepEqual(got, [
    'spec.undeclared-path-parameter 5:5-5:8 "get"',
    'spec.duplicate-operation-id 10:20-10:29 "readOrder"',
    'spec.invalid-status-code 14:9-14:14 "\'2OO\'"',
    'spec.undeclared-path-parameter 15:22-15:30 "{lineId}"',
    'spec.unused-path-parameter 18:15-18:20 "ghost"',
    'spec.missing-operation-id 22:5-22:8 "get"',
    'spec.missing-responses 23:7-23:16 "responses"',
    'spec.missing-responses 24:5-24:9 "post"',
    'spec.duplicate-path 26:3-26:18 "/orders/{other}"',
  ]);
  const dup = view.find((v) => v.code === 'spec.duplicate-operation-id')!;
  assert.equal(dup.data?.operationId, 'readOrder');
  assert.equal(dup.data?.suggestedOperationId, 'putOrdersByOrderId');
  const missing = view.find((v) => v.code === 'spec.missing-operation-id')!;
  assert.equal(missing.data?.suggestedOperationId, 'getOrdersByIdLinesByLineId');
  const status = view.find((v) => v.code === 'spec.invalid-status-code')!;
  assert.equal(status.data?.suggestion, '200');
});

test('the same spec in JSON yields the same findings at the JSON tokens', () => {
  const yaml = require('yaml') as typeof import('yaml');
  const json = JSON.stringify(yaml.parse(yamlSpec), null, 2);
  const { view } = checkFiles({ 'openapi.json': json }, { spec: 'openapi.json' });
  assert.deepEqual(
    view.map((v) => `${v.code} ${v.text}`),
    [
      'spec.undeclared-path-parameter "get"',
      'spec.duplicate-operation-id "readOrder"',
      'spec.invalid-status-code "2OO"',
      'spec.undeclared-path-parameter {lineId}',
      'spec.unused-path-parameter "ghost"',
      'spec.missing-operation-id "get"',
      'spec.missing-responses "responses"',
      'spec.missing-responses "post"',
      'spec.duplicate-path "/orders/{other}"',
    ],
  );
});

test('a valid spec has no findings', () => {
  const { view } = checkFiles({
    'openapi.yaml': `openapi: 3.1.0
info: {title: ok, version: "1"}
paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getA
      responses:
        '200': {description: ok}
        4XX: {description: client error}
`,
  });
  assert.deepEqual(view, []);
});

test('Swagger 2.0 gets a clear not-supported finding, not a crash', () => {
  const { view } = checkFiles({ 'openapi.yaml': 'swagger: "2.0"\ninfo: {title: old, version: "1"}\npaths: {}\n' });
  assert.deepEqual(view.map((v) => [v.code, v.at]), [['spec.unsupported-version', '1:10-1:15']]);
  assert.match(view[0].message, /Swagger 2\.0 is not supported/);
});

test('a configured file without an openapi key is not an OpenAPI document', () => {
  const { view } = checkFiles({ 'contract-lens.yaml': 'spec: data.yaml\n', 'data.yaml': 'name: x\n' }, { config: 'contract-lens.yaml' });
  assert.deepEqual(view.map((v) => v.code), ['spec.not-openapi']);
});

test('path items and parameters through $ref are followed', () => {
  const { view } = checkFiles({
    'openapi.yaml': `openapi: 3.0.3
info: {title: split, version: "1"}
paths:
  /pets/{petId}:
    $ref: './paths/pet.yaml'
components:
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: string}}
`,
    'paths/pet.yaml': `get:
  operationId: getPet
  parameters:
    - $ref: '../openapi.yaml#/components/parameters/PetId'
  responses:
    '200': {description: ok}
delete:
  operationId: deletePet
  responses:
    '204': {description: gone}
`,
  });
  assert.deepEqual(view.map((v) => `${v.code} ${v.file} ${v.at}`), ['spec.undeclared-path-parameter paths/pet.yaml 7:1-7:7']);
});
