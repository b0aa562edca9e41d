// Test-only extension, packaged and installed beside Contract Lens by scripts/e2e/harness.mjs so
// that the extension under test carries no test code. When the VS Code server was started with
//   CONTRACT_LENS_E2E_SUITE   path of the compiled suite entry (out/e2e/suite/index.js)
//   CONTRACT_LENS_E2E_RESULTS file to write the results to (JSON; written atomically, last)
// it runs the suite with the real `vscode` API. Optional:
//   CONTRACT_LENS_E2E_GREP    only tests whose full title matches
//   CONTRACT_LENS_E2E_SHOW    workspace-relative file to leave open, with the Problems panel, for
//                             the harness's screenshot
// Beside the results it writes RESULTS.started on activation, so the harness can tell "the runner
// never started" (e.g. Contract Lens failed to activate: it is an extensionDependency) from "a
// test is slow".
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

function activate() {
  const suite = process.env.CONTRACT_LENS_E2E_SUITE;
  const resultsPath = process.env.CONTRACT_LENS_E2E_RESULTS;
  if (!suite || !resultsPath) return;
  writeAtomically(`${resultsPath}.started`, JSON.stringify({ pid: process.pid, vscode: vscode.version }));
  // Not awaited: activation returns at once so the workbench finishes starting.
  runAndReport(suite, resultsPath).catch((err) => console.error('[contract-lens e2e runner]', err));
}

async function runAndReport(suite, resultsPath) {
  let results;
  try {
    const entry = require(suite);
    results = await entry.runSuite({ grep: process.env.CONTRACT_LENS_E2E_GREP || undefined });
  } catch (err) {
    results = failure('load and run the e2e suite', err);
  }
  results.vscodeVersion = vscode.version;
  const ext = vscode.extensions.getExtension('contract-lens.contract-lens');
  results.extensionVersion = ext && ext.packageJSON.version;
  const show = process.env.CONTRACT_LENS_E2E_SHOW;
  if (show) {
    try {
      await showForScreenshot(show);
    } catch (err) {
      results.showError = String((err && err.stack) || err);
    }
  }
  writeAtomically(resultsPath, JSON.stringify(results, null, 2));
}

async function showForScreenshot(relative) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('no workspace folder to show a file from');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, ...relative.split('/')));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  // Scroll to a Contract Lens finding with a CodeLens just above it (an operation's method key), so
  // that both a squiggle and a lens are in the picture; else to the first finding.
  const findings = vscode.languages
    .getDiagnostics(doc.uri)
    .filter((d) => d.source === 'contract-lens')
    .sort((a, b) => a.severity - b.severity || a.range.start.compareTo(b.range.start));
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) || [];
  const lensLines = lenses.map((l) => l.range.start.line);
  const first = findings.find((d) => lensLines.some((line) => line <= d.range.start.line && d.range.start.line - line <= 6)) || findings[0];
  if (first) {
    editor.selection = new vscode.Selection(first.range.start, first.range.start);
    editor.revealRange(first.range, vscode.TextEditorRevealType.InCenter);
  }
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('notifications.clearAll');
  // The Problems panel takes focus; give it back to the editor so its cursor renders as usual.
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
}

function failure(title, err) {
  const message = String((err && err.message) || err);
  const stack = err && err.stack;
  return {
    passed: 0,
    failed: 1,
    pending: 0,
    durationMs: 0,
    tests: [{ title, fullTitle: title, state: 'failed', message, stack }],
    failures: [{ fullTitle: title, message, stack }],
  };
}

function writeAtomically(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function deactivate() {}

module.exports = { activate, deactivate };
