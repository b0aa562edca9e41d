import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, silentLogger } from '../../server/src/engine/index';
import { defaultConfig, type CallSiteConfig, type ClientConfig } from '../../server/src/engine/config/config';
import type { ProjectContext } from '../../server/src/engine/context';
import { foldedText, type SdkCall } from '../../server/src/engine/parity/model';
import { extractPythonCalls } from '../../server/src/engine/parity/python';
import { MemoryFileSystem } from '../helpers/memoryFs';

const fixture = path.resolve(__dirname, '../../../test/fixtures/parity/python-sdk');

function readTree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) readTree(p, base, out);
    else out[path.relative(base, p)] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

/** Extracts the calls of `sources` (globs) in an in-memory project, through the engine's parsers. */
async function callsOf(files: Record<string, string>, sources: string[], callSite: Partial<CallSiteConfig> & { kind: CallSiteConfig['kind'] }) {
  const memfs = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: memfs, logger: silentLogger });
  await engine.init();
  const ctx: ProjectContext = {
    config: defaultConfig('/project'),
    specs: [],
    host: engine.host,
    sources: engine.sources,
    dependencies: new Set(),
    glob: (patterns, exclude = []) => memfs.glob(patterns, '/project', exclude),
    readText: (f) => memfs.readFile(f),
    source: (f) => {
      const text = memfs.readFile(f);
      return text === undefined ? undefined : engine.sources.parse(f, text);
    },
    document: () => undefined,
  };
  const client: ClientConfig = {
    name: 'sdk',
    language: 'python',
    sources,
    exclude: [],
    callSite: { methodArgument: 1, pathArgument: 2, basePath: '', ...callSite },
  };
  const calls = extractPythonCalls(ctx, ctx.glob(sources), client);
  const text = (c: SdkCall) => memfs.readFile(c.span.file)!.slice(c.span.start, c.span.end);
  const list = calls.map((c) => `${c.method} ${foldedText(c.path)}${c.key ? ` (${c.key})` : ''}`);
  return { calls, list, text, memfs };
}

const wrapper = { kind: 'wrapper', function: '_request', keyArgument: 0, methodArgument: 1, pathArgument: 2, basePath: '/api' } as const;

test('wrapper: every self._client._request(key, method, path) of the SDK, base path prepended, f-string params', async () => {
  const { list } = await callsOf(readTree(fixture), ['agentlab/**/*.py'], wrapper);
  assert.deepEqual(list, [
    'get /api/health (system.health)',
    'get /api (system.root)',
    'get /api/agents/{agent_id} (agents.read)',
    'post /api/agents/{agent_id}/archive (agents.archive)',
    'get ${url} (agents.byUrl)',
    'post /api/sessions/{session_id}/messages (messages.send)',
    'get /api/sessions/{session_id}/messages/{message_id} (messages.read)',
    'post /api/sessions (sessions.create)',
    'get /api/sessions (sessions.list)',
    'get /api/sessions/{id} (sessions.read)',
    'get /api/sessions/{session_id}/export.${fmt} (sessions.export)',
    'patch /api/sessions/{session_id} (sessions.update)',
  ]);
});

test('wrapper: span is the path argument, callSpan the call; client name and key', async () => {
  const { calls, text, memfs } = await callsOf(readTree(fixture), ['agentlab/**/*.py'], wrapper);
  const send = calls.find((c) => c.key === 'messages.send')!;
  assert.equal(text(send), 'f"/sessions/{session_id}/messages"');
  const call = memfs.readFile(send.callSpan.file)!.slice(send.callSpan.start, send.callSpan.end);
  assert.match(call, /^self\._client\._request\(\n\s+"messages\.send",[\s\S]*\)$/);
  assert.equal(send.client, 'sdk');
  assert.equal(send.span.file, '/project/agentlab/sessions.py');
  assert.deepEqual(send.path, ['/api/sessions/{session_id}/messages']);
  assert.equal(text(calls.find((c) => c.key === 'system.root')!), '""');
  assert.equal(text(calls.find((c) => c.key === 'sessions.create')!), 'SESSIONS');
});

test('wrapper: constants from other modules, %, + and a query string are folded; keyword method= and path=', async () => {
  const { calls, text } = await callsOf(readTree(fixture), ['agentlab/**/*.py'], wrapper);
  const byKey = (k: string) => calls.find((c) => c.key === k)!;
  assert.deepEqual(byKey('agents.read').path, ['/api/agents/{agent_id}']);
  assert.equal(text(byKey('agents.read')), '_paths.AGENT_PATH % agent_id');
  assert.deepEqual(byKey('agents.archive').path, ['/api/agents/{agent_id}/archive']);
  assert.deepEqual(byKey('sessions.list').path, ['/api/sessions']);
  assert.equal(byKey('sessions.update').method, 'patch');
  assert.equal(text(byKey('sessions.update')), 'f"/sessions/{session_id}"');
});

test('wrapper: an expression filling a whole segment is a {param}; inside a segment, or the whole path, it is opaque', async () => {
  const { calls } = await callsOf(readTree(fixture), ['agentlab/**/*.py'], wrapper);
  const byKey = (k: string) => calls.find((c) => c.key === k)!;
  assert.deepEqual(byKey('sessions.read').path, ['/api/sessions/{id}']);
  assert.deepEqual(byKey('sessions.export').path, ['/api/sessions/{session_id}/export.', { opaque: 'fmt' }]);
  assert.deepEqual(byKey('agents.byUrl').path, [{ opaque: 'url' }]);
});

test('wrapper: a call whose method is not a literal is skipped (generic forwarders)', async () => {
  const { calls } = await callsOf(readTree(fixture), ['agentlab/**/*.py'], wrapper);
  assert.equal(calls.length, 12);
  assert.ok(!calls.some((c) => c.key === undefined));
});

test('wrapper: a configured bare function with other argument positions and no key', async () => {
  const { list, calls } = await callsOf(
    {
      'client/api.py': [
        'BASE = "/v2"',
        'def call(method, path, **kw): ...',
        'def list_items():',
        '    return call("GET", f"{BASE}/items")',
        'def get_item(item_id):',
        '    return call("get", BASE + "/items/" + str(item_id))',
        'def not_literal(m):',
        '    return call(m, "/items")',
        '',
      ].join('\n'),
    },
    ['client/**/*.py'],
    { kind: 'wrapper', function: 'call', methodArgument: 0, pathArgument: 1, basePath: '' },
  );
  assert.deepEqual(list, ['get /v2/items', 'get /v2/items/{item_id}']);
  assert.equal(calls[0].key, undefined);
});

test('httpx: module functions, clients from constructors (also chained), with-blocks, annotations and self attributes; absolute URLs cut to their path', async () => {
  const { list, calls, text } = await callsOf(readTree(fixture), ['scripts/**/*.py'], { kind: 'httpx', basePath: '/api' });
  assert.deepEqual(list, [
    'get /api/sessions',
    'post /api/sessions',
    'get /api/sessions/{session_id}',
    'delete /api/sessions/{sid}',
    'post /api/sessions/{sid}/pin',
    'get /api/stream',
    'get /api/agents',
  ]);
  assert.deepEqual(calls.map(text), [
    'f"{BASE_URL}/api/sessions"',
    '"/sessions"',
    'f"/sessions/{session_id}?verbose=1"',
    'f"/sessions/{sid}"',
    'f"/sessions/{sid}/pin"',
    '"/stream"',
    '"/agents"',
  ]);
});

test('requests: requests.get/request, Session objects, str.format params', async () => {
  const { list, calls, text } = await callsOf(readTree(fixture), ['scripts/**/*.py'], { kind: 'requests', basePath: '' });
  assert.deepEqual(list, ['get /agents/{agent_id}', 'patch /sessions/{session_id}', 'put /agents/current']);
  assert.equal(text(calls[0]), 'AGENT.format(agent_id)');
  assert.ok(calls.every((c) => c.span.file === '/project/scripts/fetch_requests.py'));
});

test('calls in a half-typed file are still found around the error', async () => {
  const { list } = await callsOf(
    {
      'sdk/client.py': [
        'class C:',
        '    def a(self):',
        '        return self._request("a", "GET", "/a")',
        '',
        'def broken(:',
        '    x = self._request("b", "POST",',
        '',
        'def c(client):',
        '    return client._request("c", "DELETE", "/c")',
        '',
      ].join('\n'),
    },
    ['sdk/**/*.py'],
    wrapper,
  );
  assert.deepEqual(list, ['get /api/a (a)', 'delete /api/c (c)']);
});

test('only calls inside the client sources are reported; other modules are read for their constants', async () => {
  const { list, calls } = await callsOf(
    {
      'sdk/a.py': 'from shared.paths import ITEMS\nclass A:\n    def list(self):\n        return self._request("items.list", "GET", ITEMS)\n',
      'shared/paths.py': 'ITEMS = "/items"\ndef elsewhere(c):\n    return c._request("x", "GET", "/x")\n',
    },
    ['sdk/**/*.py'],
    wrapper,
  );
  assert.deepEqual(list, ['get /api/items (items.list)']);
  assert.equal(calls[0].span.file, '/project/sdk/a.py');
});

test('wrapper: a module-level _request(...) function called bare', async () => {
  const { list } = await callsOf(
    {
      'sdk/functional.py': [
        'import httpx',
        'def _request(key, method, path, **kw):',
        '    return httpx.request(method, "http://localhost/api" + path, **kw)',
        'def health():',
        '    return _request("system.health", "GET", "/health")',
        'ping = lambda: _request("system.ping", "HEAD", "/ping")',
        '',
      ].join('\n'),
    },
    ['sdk/**/*.py'],
    wrapper,
  );
  assert.deepEqual(list, ['get /api/health (system.health)', 'head /api/ping (system.ping)']);
});
