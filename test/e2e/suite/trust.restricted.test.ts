// Runs only in the harness's restricted run: test/e2e/workspaces/restricted opened with workspace
// trust on and the folder not trusted (Restricted Mode). Contract Lens declares
// `untrustedWorkspaces: limited`: it must still check the spec, and must never load the
// workspace's JavaScript (here a Spectral ruleset that writes a marker file when loaded or run).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, diagnosticCode, openWorkspaceFile, waitForDiagnostics, waitForDiagnosticCode, workspaceFile } from './helpers';

interface ContractLensApi {
  serverState(): 'stopped' | 'starting' | 'running';
}

const at = (d: vscode.Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
const marker = () => workspaceFile('spectral-ran.marker').fsPath;

describe('Restricted Mode (an untrusted folder)', () => {
  it('the window really is restricted, and Contract Lens is active in it', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const ext = await activateExtension();
    assert.equal(ext.isActive, true);
  });

  it('opening a JSON file that is not OpenAPI starts no language server; opening a spec does', async () => {
    const api = (await activateExtension()).exports as ContractLensApi;
    assert.equal(api.serverState(), 'stopped', 'nothing in this folder asked for the server yet');
    await openWorkspaceFile('data.json');
    assert.equal(api.serverState(), 'stopped', 'data.json is not an OpenAPI document');
    const spec = await openWorkspaceFile('openapi.yaml');
    assert.notEqual(api.serverState(), 'stopped', 'the spec starts the server at once');
    const found = await waitForDiagnosticCode(spec.document.uri, 'spec.missing-operation-id');
    assert.deepEqual(found.map(at), ['6:4-6:7'], 'structural checks run in Restricted Mode, at their exact range');
    assert.equal(api.serverState(), 'running');
  });

  it('never runs the workspace\'s JavaScript: a .spectral.js ruleset is not even loaded', async () => {
    const spec = workspaceFile('openapi.yaml');
    // Make the folder a configured project that asks for the ruleset, and raise a severity so
    // that the check of the configured project is visible as a diagnostic change.
    const config = ['spec: openapi.yaml', 'quality:', '  ruleset: .spectral.js', 'rules:', '  severity:', '    spec.missing-operation-id: error', ''].join('\n');
    await vscode.workspace.fs.writeFile(workspaceFile('contract-lens.yaml'), new TextEncoder().encode(config));
    const ds = await waitForDiagnostics(spec, (all) => all.some((d) => diagnosticCode(d) === 'spec.missing-operation-id' && d.severity === vscode.DiagnosticSeverity.Error));
    assert.deepEqual(ds.filter((d) => diagnosticCode(d) === 'spec.missing-operation-id').map(at), ['6:4-6:7']);
    // The quality pass says why it skipped the ruleset, so the check is known to have looked at it.
    const skipped = await waitForSkippedRuleset();
    assert.ok(skipped.length > 0);
    assert.equal(fs.existsSync(marker()), false, 'spectral-ran.marker exists: the ruleset\'s JavaScript ran in an untrusted workspace');
  });
});

/** Waits for `quality.ruleset-skipped` on any file (the ruleset or the config, whichever holds it). */
function waitForSkippedRuleset(timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const find = () =>
    vscode.languages
      .getDiagnostics()
      .flatMap(([, ds]) => ds)
      .filter((d) => d.source === 'contract-lens' && diagnosticCode(d) === 'quality.ruleset-skipped');
  return new Promise((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      listener.dispose();
      fn();
    };
    const listener = vscode.languages.onDidChangeDiagnostics(() => {
      const found = find();
      if (found.length) done(() => resolve(found));
    });
    const timer = setTimeout(() => {
      const seen = vscode.languages
        .getDiagnostics()
        .flatMap(([uri, ds]) => ds.filter((d) => d.source === 'contract-lens').map((d) => `  ${vscode.workspace.asRelativePath(uri)} ${diagnosticCode(d)}`));
      done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for quality.ruleset-skipped; contract-lens diagnostics:\n${seen.join('\n') || '  (none)'}`)));
    }, timeoutMs);
    const now = find();
    if (now.length) done(() => resolve(now));
  });
}
