// The VS Code experience on (a copy of) examples/sessions-api: parity, quality and coverage
// diagnostics at their exact ranges, CodeLens that navigate, the settings honoured live, and
// "Create Configuration" on a copy of the example without its contract-lens.yaml
// (CONTRACT_LENS_E2E_UNCONFIGURED, made by the harness).
// Ranges are 0-based (LSP), the same as `contract-lens check --format json` prints (test/cli).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, diagnosticCode, openWorkspaceFile, waitForDiagnostics, workspaceFile } from './helpers';

const at = (r: vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const view = (ds: vscode.Diagnostic[], family: RegExp) =>
  ds
    .filter((d) => family.test(diagnosticCode(d) ?? ''))
    .map((d) => `${diagnosticCode(d)} ${vscode.DiagnosticSeverity[d.severity]} ${at(d.range)}`)
    .sort();
/** Waits until the diagnostics of `family` in `file` are exactly `expected` (sorted). */
async function expectDiagnostics(file: string, family: RegExp, expected: string[]): Promise<void> {
  const uri = workspaceFile(...file.split('/'));
  const want = [...expected].sort();
  try {
    await waitForDiagnostics(uri, (ds) => JSON.stringify(view(ds, family)) === JSON.stringify(want));
  } catch (e) {
    // Show the difference rather than only the timeout.
    assert.deepEqual(view(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'contract-lens'), family), want, `${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Resolves on the next change of Contract Lens's diagnostics for `uri` (a publication, even an identical one). */
function nextDiagnosticsChange(uri: vscode.Uri, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no diagnostics were published for ${uri.fsPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

async function lenses(file: string): Promise<vscode.CodeLens[]> {
  const uri = workspaceFile(...file.split('/'));
  // Contract Lens is the only CodeLens provider for these files; informative lenses have no command id.
  return ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter((l) => l.command);
}

describe('the VS Code experience on examples/sessions-api', () => {
  before(async () => {
    await activateExtension();
    await openWorkspaceFile('openapi.json');
  });

  it('publishes the structural and parity findings of the spec at their exact ranges', async () => {
    await expectDiagnostics('openapi.json', /^(spec|ref|parity)\./, [
      'spec.missing-operation-id Warning 31:6-31:11',
      'ref.unresolved Error 134:32-134:68',
      'spec.undeclared-path-parameter Error 446:40-446:51',
      'spec.missing-responses Error 636:8-636:19',
      'spec.duplicate-operation-id Error 641:23-641:32',
      'parity.unimplemented-operation Error 774:6-774:14',
    ]);
  });

  it('publishes the schema-quality findings (Spectral, run off the request path) at their exact ranges', async () => {
    await expectDiagnostics('openapi.json', /^quality\./, ['quality.required-not-in-properties Error 1093:10-1093:20', 'quality.loose-schema Error 1183:6-1183:23']);
  });

  it('publishes parity findings in the server and the SDK, and coverage findings in the contracts module', async () => {
    await expectDiagnostics('server/src/app.ts', /^parity\./, ['parity.undocumented-route Warning 301:11-301:45']);
    await expectDiagnostics('sdk/agentlab/sessions.py', /^parity\./, ['parity.sdk-unknown-route Error 132:61-132:90']);
    await expectDiagnostics('sdk/agentlab/contracts.py', /^coverage\./, [
      'coverage.stale-declaration Error 36:21-36:33',
      'coverage.undeclared-operation Error 61:0-61:17',
      'coverage.all-set-mismatch Error 62:4-62:15',
      'coverage.all-set-mismatch Error 74:4-74:19',
    ]);
  });

  it('shows CodeLens on the spec, and running "implemented · server/src/app.ts:N" opens app.ts at line N', async () => {
    const all = await lenses('openapi.json');
    const titles = all.map((l) => l.command!.title);
    assert.equal(titles.filter((t) => t.startsWith('implemented · server/src/app.ts:')).length, 15, titles.join('\n'));
    const missing = all.filter((l) => l.command!.title === 'not implemented');
    assert.deepEqual(missing.map((l) => l.range.start.line), [774], 'DELETE /api/agents/{agentId} has no route');
    assert.ok(titles.some((t) => /^Typed coverage 5\/16/.test(t)), titles.join('\n'));

    const lens = all.find((l) => l.command!.title.startsWith('implemented · server/src/app.ts:'))!;
    const line = Number(/:(\d+)/.exec(lens.command!.title)![1]);
    const changed = new Promise<vscode.TextEditor | undefined>((resolve) => {
      const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document.uri.fsPath.endsWith(path.join('server', 'src', 'app.ts'))) {
          sub.dispose();
          resolve(e);
        }
      });
    });
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join('server', 'src', 'app.ts')) ? vscode.window.activeTextEditor : await changed;
    assert.ok(editor, 'app.ts is the active editor');
    assert.equal(editor.selection.start.line + 1, line, `the cursor is on the route registration the lens names (line ${line})`);
    assert.match(editor.document.lineAt(line - 1).text, /app\.(get|post|put|patch|delete|route)\(|\.(get|post|put|patch|delete)\(/);
  });

  describe('settings (contractLens.*), applied live', () => {
    const config = () => vscode.workspace.getConfiguration('contractLens');
    after(async () => {
      await config().update('severity', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('codeLens.enable', undefined, vscode.ConfigurationTarget.Workspace);
      await expectDiagnostics('openapi.json', /^spec\.missing-operation-id$/, ['spec.missing-operation-id Warning 31:6-31:11']);
      // Leave the workspace as the example was (the screenshot shows its explorer).
      await vscode.workspace.fs.delete(workspaceFile('.vscode'), { recursive: true });
    });

    it('contractLens.severity raises one code and turns a family off, on top of the project\'s rules', async () => {
      await config().update('severity', { 'spec.missing-operation-id': 'error', 'parity.*': 'off' }, vscode.ConfigurationTarget.Workspace);
      await expectDiagnostics('openapi.json', /^(spec\.missing-operation-id|parity\.)/, ['spec.missing-operation-id Error 31:6-31:11']);
      await expectDiagnostics('server/src/app.ts', /^parity\./, []);
    });

    it('contractLens.codeLens.enable: false removes every Contract Lens CodeLens', async () => {
      assert.ok((await lenses('openapi.json')).length > 0);
      // The server re-checks and re-publishes on every settings change: that publication says it has the new settings.
      let republished = nextDiagnosticsChange(workspaceFile('openapi.json'));
      await config().update('codeLens.enable', false, vscode.ConfigurationTarget.Workspace);
      await republished;
      assert.deepEqual((await lenses('openapi.json')).map((l) => l.command?.title), []);
      republished = nextDiagnosticsChange(workspaceFile('openapi.json'));
      await config().update('codeLens.enable', undefined, vscode.ConfigurationTarget.Workspace);
      await republished;
      assert.ok((await lenses('openapi.json')).length > 0);
    });
  });

  describe('Create Configuration', () => {
    const folder = process.env.CONTRACT_LENS_E2E_UNCONFIGURED;
    const file = () => path.join(folder!, 'contract-lens.yaml');

    it('writes a starter contract-lens.yaml for an unconfigured copy of the example, detecting its parts, and opens it', async function () {
      if (!folder) this.skip(); // the desktop runner gives no unconfigured copy unless asked
      assert.equal(fs.existsSync(file()), false);
      const uri = await vscode.commands.executeCommand<vscode.Uri>('contractLens.createConfiguration', vscode.Uri.file(folder));
      assert.equal(uri?.fsPath, file());
      const text = fs.readFileSync(file(), 'utf8');
      for (const line of [
        'spec: openapi.json',
        '  framework: fastify',
        '  sources: ["server/src/**/*.ts"]',
        '    sources: ["sdk/agentlab/**/*.py"]',
        '      function: _request',
        '      methodArgument: 1',
        '      pathArgument: 2',
        '  source: python',
        '  file: sdk/agentlab/contracts.py',
        '  - target: pydantic-v2',
        '    output: sdk/agentlab/models',
      ]) {
        assert.ok(text.split('\n').includes(line), `missing line ${JSON.stringify(line)} in:\n${text}`);
      }
      assert.match(text, /^ {6}basePath: \/api +#/m);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file(), 'the new file is opened');
    });

    it('never overwrites an existing contract-lens.yaml: it opens it instead', async function () {
      if (!folder) this.skip();
      fs.writeFileSync(file(), '# mine\nspec: openapi.json\n');
      const uri = await vscode.commands.executeCommand<vscode.Uri>('contractLens.createConfiguration', vscode.Uri.file(folder));
      assert.equal(uri?.fsPath, file());
      assert.equal(fs.readFileSync(file(), 'utf8'), '# mine\nspec: openapi.json\n');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file());
    });
  });
});
