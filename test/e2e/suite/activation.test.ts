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
});
