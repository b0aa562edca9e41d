import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticCode, openWorkspaceFile, waitForDiagnosticCode, waitForDiagnostics } from './helpers';

const unresolved = (ds: vscode.Diagnostic[]) => ds.filter((d) => diagnosticCode(d) === 'ref.unresolved');

describe('authoring in examples/sessions-api', () => {
  it('goes to the definition of a $ref', async () => {
    const editor = await openWorkspaceFile('openapi.json');
    const doc = editor.document;
    // The server has checked the spec once its diagnostics are there.
    await waitForDiagnosticCode(doc.uri, 'spec.duplicate-operation-id');
    const text = doc.getText();
    const ref = text.indexOf('"#/components/schemas/CreateSessionRequest"');
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, doc.positionAt(ref + 5));
    const ours = found.map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : l)).filter((l) => l.uri.toString() === doc.uri.toString());
    assert.equal(ours.length, 1, JSON.stringify(found));
    const key = text.indexOf('"CreateSessionRequest": {');
    assert.deepEqual([ours[0].range.start.line, ours[0].range.start.character], [doc.positionAt(key).line, doc.positionAt(key).character]);
    assert.equal(doc.getText(ours[0].range), '"CreateSessionRequest"');
  });

  it('renames a schema: the key and every $ref change in one edit, and nothing new is unresolved', async () => {
    const editor = await openWorkspaceFile('openapi.json');
    const doc = editor.document;
    const before = unresolved(await waitForDiagnosticCode(doc.uri, 'ref.unresolved'));
    // The example's deliberate typo: "#/components/schemas/SesionSummary". Renaming the schema to
    // that name resolves it, which only works if the key and the other $ref move together.
    assert.equal(before.length, 1);
    const key = doc.getText().indexOf('"SessionSummary": {');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, doc.positionAt(key + 3), 'SesionSummary');
    assert.ok(edit, 'the server answered the rename');
    const edits = edit.get(doc.uri);
    assert.equal(edits.length, 2, JSON.stringify(edits));
    try {
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      assert.equal(doc.getText().includes('"SessionSummary"'), false);
      await waitForDiagnostics(doc.uri, (ds) => unresolved(ds).length === 0 && ds.some((d) => diagnosticCode(d) === 'spec.duplicate-operation-id'));
    } finally {
      // Leave the workspace as the other tests (and the screenshot) expect it.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await waitForDiagnostics(doc.uri, (ds) => unresolved(ds).length === 1);
  });
});
