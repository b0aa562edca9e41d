import * as assert from 'node:assert/strict';
import { DIAGNOSTIC_SOURCE, openWorkspaceFile, waitForDiagnosticCode } from './helpers';

describe('diagnostics in examples/sessions-api', () => {
  it('reports spec.duplicate-operation-id in openapi.json', async () => {
    const editor = await openWorkspaceFile('openapi.json');
    const found = await waitForDiagnosticCode(editor.document.uri, 'spec.duplicate-operation-id');
    assert.ok(found.length > 0);
    for (const d of found) assert.equal(d.source, DIAGNOSTIC_SOURCE);
  });
});
