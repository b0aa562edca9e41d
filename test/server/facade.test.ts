// The typed facade through the real server over stdio: a new typed declaration is reported as
// missing from the generated facade (and the facade as stale), the quick fix is "Regenerate
// models", and the regenerate request rewrites the facade so that both findings go away.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../helpers/lsp';
import { applyRepairs, copyExample } from '../helpers/examples';
import { commands, regenerateModelsRequest, type RegenerateModelsResult } from '../../server/src/protocol';

const clients: LspTestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

test('declaring an operation typed: missing-from-facade and a stale facade, fixed by "Regenerate models"', async () => {
  const dir = copyExample('sessions-api');
  applyRepairs(dir, 'sessions-api', () => true);
  const contracts = path.join(dir, 'sdk/agentlab/contracts.py');
  const text = fs.readFileSync(contracts, 'utf8');
  const edited = text
    .replace('from .models import CreateSessionRequest,', 'from .models import Agent, CreateSessionRequest,')
    .replace('        response_models=(Run,),\n    ),\n}', '        response_models=(Run,),\n    ),\n    "agents.list": TypedOperationContract(\n        operation_key="agents.list",\n        operation_id="listAgents",\n        request_model=None,\n        response_models=(Agent,),\n    ),\n}');
  assert.notEqual(edited, text);
  fs.writeFileSync(contracts, edited);

  const client = new LspTestClient();
  clients.push(client);
  await client.initialize(dir);
  const facadeCodes = (d: Diagnostic[]) => d.map((x) => String(x.code)).filter((c) => c === 'coverage.missing-from-facade' || c.startsWith('generate.')).sort();
  const pub = await client.waitForDiagnostics(contracts, (d) => facadeCodes(d).length > 0);
  assert.deepEqual(facadeCodes(pub.diagnostics), ['coverage.missing-from-facade', 'generate.stale-models']);
  const missing = pub.diagnostics.find((d) => d.code === 'coverage.missing-from-facade')!;
  assert.match(String(missing.message), /"agents\.list" \(listAgents\) is declared typed, but the generated facade in sdk\/agentlab\/typed\/ has no method for it/);
  const { key, operationId, target, output } = missing.data as Record<string, unknown>;
  assert.deepEqual({ key, operationId, target, output }, { key: 'agents.list', operationId: 'listAgents', target: 'python-facade', output: 'sdk/agentlab/typed' });

  const actions: any[] = await client.request('textDocument/codeAction', { textDocument: { uri: URI.file(contracts).toString() }, range: missing.range, context: { diagnostics: [missing] } });
  const regenerate = actions.find((a) => a.command?.command === commands.regenerateModels);
  assert.ok(regenerate, actions.map((a) => a.title).join('\n'));
  assert.equal(regenerate.title, 'Regenerate models');

  const result = await client.request<RegenerateModelsResult>(regenerateModelsRequest, { file: URI.file(contracts).toString() });
  assert.deepEqual(result.written.sort(), ['sdk/agentlab/typed/__init__.py', 'sdk/agentlab/typed/_facade.py', 'sdk/agentlab/typed/contracts.py']);
  assert.match(fs.readFileSync(path.join(dir, 'sdk/agentlab/typed/contracts.py'), 'utf8'), /"agents\.list": TypedOperationContract\(\n {8}operation_key="agents\.list",\n {8}operation_id="listAgents",/);
  await client.checkWorkspace();
  await client.waitForDiagnostics(contracts, (d) => facadeCodes(d).length === 0);
});
