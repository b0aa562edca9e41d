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
    assert.equal(process.env.CONTRACT_LENS_E2E_MARKER, marker(), 'the harness tells the ruleset where to write its marker');
    const spec = workspaceFile('openapi.yaml');
    // Make the folder a configured project (the ruleset beside the spec is found by default), and
    // raise a severity so that the check of the configured project shows as a diagnostic change.
    const config = ['spec: openapi.yaml', 'rules:', '  severity:', '    spec.missing-operation-id: error', ''].join('\n');
    await vscode.workspace.fs.writeFile(workspaceFile('contract-lens.yaml'), new TextEncoder().encode(config));
    const ds = await waitForDiagnostics(spec, (all) => all.some((d) => diagnosticCode(d) === 'spec.missing-operation-id' && d.severity === vscode.DiagnosticSeverity.Error));
    assert.deepEqual(ds.filter((d) => diagnosticCode(d) === 'spec.missing-operation-id').map(at), ['6:4-6:7']);
    // The quality pass reports on the ruleset (skipped, or an error if it tried): then it has looked at it.
    const verdict = await waitForRulesetFinding();
    assert.equal(fs.existsSync(marker()), false, `spectral-ran.marker exists (${fs.existsSync(marker()) ? fs.readFileSync(marker(), 'utf8').trim() : ''}): the ruleset's JavaScript ran in an untrusted workspace`);
    assert.deepEqual(verdict.map((d) => diagnosticCode(d)), ['quality.ruleset-skipped'], verdict.map((d) => d.message).join('\n'));
  });
});

/**
 * Waits for the quality pass's verdict on the ruleset: any `quality.ruleset-*` diagnostic, on any
 * file, or (checked on each diagnostics change) the marker written by a ruleset that was loaded.
 */
function waitForRulesetFinding(timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const find = () =>
    vscode.languages
      .getDiagnostics()
      .flatMap(([, ds]) => ds)
      .filter((d) => d.source === 'contract-lens' && /^quality\.ruleset-/.test(diagnosticCode(d) ?? ''));
  return new Promise((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      listener.dispose();
      fn();
    };
    const listener = vscode.languages.onDidChangeDiagnostics(() => {
      const found = find();
      if (found.length || fs.existsSync(marker())) done(() => resolve(found));
    });
    const timer = setTimeout(() => {
      const seen = vscode.languages
        .getDiagnostics()
        .flatMap(([uri, ds]) => ds.filter((d) => d.source === 'contract-lens').map((d) => `  ${vscode.workspace.asRelativePath(uri)} ${diagnosticCode(d)}`));
      done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for a quality.ruleset-* finding; contract-lens diagnostics:\n${seen.join('\n') || '  (none)'}`)));
    }, timeoutMs);
    const now = find();
    if (now.length) done(() => resolve(now));
  });
}
