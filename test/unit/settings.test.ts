import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contributedConfiguration, defaultSettings, readSettings, settingsSchema } from '../../server/src/settings';
import { commands, contextKeys } from '../../server/src/protocol';
import { overrideSeverity } from '../../server/src/features/diagnostics';
import type { Finding } from '../../server/src/engine/index';

const repo = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

test('package.json contributes exactly the settings of the typed table (server/src/settings.ts)', () => {
  assert.equal(pkg.contributes.configuration.title, 'Contract Lens');
  assert.deepEqual(pkg.contributes.configuration.properties, contributedConfiguration());
  // And the table covers what the issue asks for.
  for (const key of ['enable', 'codeLens.enable', 'severity', 'trace.server']) assert.ok(key in settingsSchema, key);
});

test('defaults come from the table; values arrive nested (VS Code) or flat, and bad ones fall back', () => {
  assert.deepEqual(defaultSettings, { enable: true, 'codeLens.enable': true, severity: {}, debounceMs: 150, 'trace.server': 'off' });
  assert.deepEqual(readSettings(undefined), defaultSettings);
  assert.deepEqual(readSettings({ enable: false, codeLens: { enable: false }, trace: { server: 'verbose' }, severity: { 'spec.missing-operation-id': 'error' } }), {
    ...defaultSettings,
    enable: false,
    'codeLens.enable': false,
    'trace.server': 'verbose',
    severity: { 'spec.missing-operation-id': 'error' },
  });
  assert.deepEqual(readSettings({ 'codeLens.enable': false }), { ...defaultSettings, 'codeLens.enable': false });
  assert.deepEqual(
    readSettings({ enable: 'yes', debounceMs: -5, 'trace.server': 'loud', severity: { 'a.b': 'fatal', 'c.d': 'off', 'e.*': 'hint' } }),
    { ...defaultSettings, severity: { 'c.d': 'off', 'e.*': 'hint' } },
  );
  assert.deepEqual(readSettings({ severity: ['error'] }).severity, {});
  // Reading never shares the default objects with the caller.
  readSettings({}).severity['x.y'] = 'off';
  assert.deepEqual(defaultSettings.severity, {});
});

test('severity overrides: an exact code wins over its family, off hides, the rest is untouched', () => {
  const f = (code: string, severity: Finding['severity']): Finding => ({ code: code as Finding['code'], severity, message: '', span: { file: '/a', start: 0, end: 0 } });
  const overrides = { 'parity.*': 'hint', 'parity.unimplemented-operation': 'warning', 'coverage.undeclared-operation': 'off' } as const;
  assert.equal(overrideSeverity(f('parity.undocumented-route', 'warning'), overrides)?.severity, 'hint');
  assert.equal(overrideSeverity(f('parity.unimplemented-operation', 'error'), overrides)?.severity, 'warning');
  assert.equal(overrideSeverity(f('coverage.undeclared-operation', 'error'), overrides), undefined);
  const untouched = f('spec.missing-responses', 'error');
  assert.equal(overrideSeverity(untouched, overrides), untouched);
});

test('every command id of protocol.ts is contributed; the server-backed ones are enabled only once the server is ready', () => {
  const contributed = new Map<string, { enablement?: string }>(pkg.contributes.commands.map((c: { command: string }) => [c.command, c]));
  for (const id of Object.values(commands)) assert.ok(contributed.has(id), `${id} is not in package.json`);
  for (const id of [commands.checkWorkspace, commands.showCoverageReport]) assert.equal(contributed.get(id)?.enablement, contextKeys.serverReady, id);
  // Recovery and set-up commands must work while the server is down (or not started yet).
  for (const id of [commands.restartServer, commands.showOutput, commands.createConfiguration]) assert.equal(contributed.get(id)?.enablement, undefined, id);
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'Contract Lens', c.command);
});

test('activation stays cheap: a config in the workspace, or a YAML/JSON document (the client then sniffs it)', () => {
  assert.deepEqual(pkg.activationEvents, ['workspaceContains:**/contract-lens.yaml', 'onLanguage:yaml', 'onLanguage:json']);
});

test('the README\'s settings table lists every setting with its default', () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `contractLens\.([\w.]+)` \| `([^`]*)` \|/gm)].map((m) => [m[1], m[2]]);
  const expected = Object.entries(settingsSchema).map(([key, s]) => [key, typeof s.default === 'string' ? s.default : JSON.stringify(s.default)]);
  assert.deepEqual(rows, expected);
});
