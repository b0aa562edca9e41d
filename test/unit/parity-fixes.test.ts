import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseText } from '../../server/src/engine/index';
import { applyEdits } from '../../server/src/engine/edits';
import { ignoreRouteEdit, specStubEdit } from '../../server/src/engine/parity/fixes';

const stub = { method: 'post', path: '/api/sessions/{sessionId}/archive', suggestedOperationId: 'postApiSessionsBySessionIdArchive' };

test('spec stub in YAML: appended under paths in block style, comments and formatting kept', () => {
  const text = `openapi: 3.0.3 # the contract
info: {title: t, version: "1"}
paths:
  # sessions
  /api/sessions:
    get:
      operationId: listSessions
      responses:
        '200': {description: ok}
components: {}
`;
  const doc = parseText('/p/openapi.yaml', text);
  const out = applyEdits(text, [specStubEdit(doc, stub)!]);
  assert.equal(
    out,
    `openapi: 3.0.3 # the contract
info: {title: t, version: "1"}
paths:
  # sessions
  /api/sessions:
    get:
      operationId: listSessions
      responses:
        '200': {description: ok}
  /api/sessions/{sessionId}/archive:
    post:
      operationId: postApiSessionsBySessionIdArchive
      summary: 'TODO: describe POST /api/sessions/{sessionId}/archive'
      parameters:
        - name: sessionId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: 'TODO: describe the response'
components: {}
`,
  );
  const reparsed = parseText('/p/openapi.yaml', out);
  assert.deepEqual(reparsed.problems, []);
});

test('spec stub in YAML under an existing path item adds only the method', () => {
  const text = `paths:\n  /api/sessions/{sessionId}/archive:\n    get:\n      responses: {'200': {description: ok}}\n`;
  const out = applyEdits(text, [specStubEdit(parseText('/p/a.yaml', text), stub)!]);
  assert.ok(out.startsWith(`paths:\n  /api/sessions/{sessionId}/archive:\n    get:\n      responses: {'200': {description: ok}}\n    post:\n      operationId: postApiSessionsBySessionIdArchive\n`), out);
});

test("spec stub in JSON: inserted with the file's indentation, still valid JSON", () => {
  const text = `{
    "openapi": "3.1.0",
    "paths": {
        "/api/sessions": {
            "get": { "operationId": "listSessions", "responses": { "200": { "description": "ok" } } }
        }
    }
}
`;
  const out = applyEdits(text, [specStubEdit(parseText('/p/openapi.json', text), stub)!]);
  assert.equal(
    out,
    `{
    "openapi": "3.1.0",
    "paths": {
        "/api/sessions": {
            "get": { "operationId": "listSessions", "responses": { "200": { "description": "ok" } } }
        },
        "/api/sessions/{sessionId}/archive": {
            "post": {
                "operationId": "postApiSessionsBySessionIdArchive",
                "summary": "TODO: describe POST /api/sessions/{sessionId}/archive",
                "parameters": [
                    {
                        "name": "sessionId",
                        "in": "path",
                        "required": true,
                        "schema": {
                            "type": "string"
                        }
                    }
                ],
                "responses": {
                    "200": {
                        "description": "TODO: describe the response"
                    }
                }
            }
        }
    }
}
`,
  );
  JSON.parse(out);
});

test('ignore-list edit: creates rules.ignore, or appends to a block or flow list', () => {
  const none = 'spec: openapi.yaml\n';
  assert.equal(applyEdits(none, [ignoreRouteEdit(parseText('/p/contract-lens.yaml', none), 'GET /metrics')!]), 'spec: openapi.yaml\nrules:\n  ignore:\n    - GET /metrics\n');
  const block = 'spec: openapi.yaml\nrules:\n  ignore:\n    - GET /health # probes\nlimits: {}\n';
  assert.equal(applyEdits(block, [ignoreRouteEdit(parseText('/p/contract-lens.yaml', block), 'GET /metrics')!]), 'spec: openapi.yaml\nrules:\n  ignore:\n    - GET /health # probes\n    - GET /metrics\nlimits: {}\n');
  const flow = 'rules:\n  ignore: ["GET /health"]\n';
  assert.equal(applyEdits(flow, [ignoreRouteEdit(parseText('/p/contract-lens.yaml', flow), 'GET /metrics')!]), 'rules:\n  ignore: ["GET /health", "GET /metrics"]\n');
  const rulesOnly = 'rules:\n  severity:\n    spec.missing-operation-id: error\n';
  assert.equal(applyEdits(rulesOnly, [ignoreRouteEdit(parseText('/p/contract-lens.yaml', rulesOnly), 'GET /metrics')!]), 'rules:\n  severity:\n    spec.missing-operation-id: error\n  ignore:\n    - GET /metrics\n');
});
