import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from './helpers';

describe('Contract Lens extension', () => {
  it('is installed', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the installed extensions`);
    assert.equal(ext.packageJSON.publisher, 'contract-lens');
  });

  it('activates', async () => {
    const ext = await activateExtension();
    assert.equal(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const ext = await activateExtension();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });
});
