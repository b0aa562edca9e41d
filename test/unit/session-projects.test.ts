/**
 * The session's bookkeeping of projects while checks are in flight: a project dropped during its
 * own check (a config created around a lone spec) must leave no result behind. Such an orphan
 * could never be re-checked, so once a file it read changed, every round found it stale and
 * re-dirtied it: the server spun for ever (found by `npm run fuzz -- --seed 20261126`).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { silentLogger } from '../../server/src/engine/index';
import { Session } from '../../server/src/session';
import { MemoryFileSystem } from '../helpers/memoryFs';

const specText = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n';

/** Resolves with 'idle', or 'still busy' when the session does not go idle within the bound. */
const idleWithin = (session: Session, ms: number) =>
  Promise.race([session.whenIdle().then(() => 'idle'), new Promise((r) => setTimeout(() => r('still busy'), ms).unref())]);

test('a config created while its lone spec is being checked: the lone project leaves no result, and later edits settle', async () => {
  const spec = '/project/openapi.yaml';
  const config = '/project/contract-lens.yaml';
  const fs = new MemoryFileSystem({ 'openapi.yaml': specText });
  let createConfigDuringCheck = false;
  const session: Session = new Session(
    ['/project'],
    {
      publish: () => {},
      status: () => {},
      // Called between the phases of a running check: the moment an editor's file event can arrive.
      progress: () => {
        if (!createConfigDuringCheck) return;
        createConfigDuringCheck = false;
        fs.files.set(config, 'spec: openapi.yaml\n');
        session.fileChanged(config, 'created');
      },
    },
    silentLogger,
    0,
    fs,
  );
  await session.start();
  assert.equal(await idleWithin(session, 5000), 'idle');
  assert.deepEqual(
    session.lastResults().map((r) => r.ref.kind),
    ['spec'],
  );

  // An edit starts a check of the lone spec; the config appears in the middle of it.
  createConfigDuringCheck = true;
  session.openDocument({ path: spec, text: specText.replace('/a:', '/b:'), version: 2 });
  assert.equal(await idleWithin(session, 5000), 'idle');
  assert.equal(createConfigDuringCheck, false, 'the config was created during the check');
  assert.deepEqual(
    session.lastResults().map((r) => r.ref.kind),
    ['config'],
    'only the config project has a result',
  );

  // Edits after that settle (an orphan result would be found stale by every round, for ever).
  session.changeDocument({ path: spec, text: specText.replace('/a:', '/c:'), version: 3 });
  assert.equal(await idleWithin(session, 5000), 'idle');
  session.changeDocument({ path: spec, text: specText.replace('/a:', '/d:'), version: 4 });
  assert.equal(await idleWithin(session, 5000), 'idle');
  assert.deepEqual(
    session.lastResults().map((r) => r.ref.kind),
    ['config'],
  );
});

test('source parsers load only when a project with a config needs them, before its check', async () => {
  const config = '/project/contract-lens.yaml';
  const fs = new MemoryFileSystem({
    'openapi.yaml': specText,
    'src/app.ts': "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.send('ok'));\napp.post('/undocumented', (req, res) => res.send('ok'));\n",
  });
  const session: Session = new Session(['/project'], { publish: () => {}, status: () => {} }, silentLogger, 0, fs);
  await session.start();
  assert.equal(await idleWithin(session, 5000), 'idle');
  assert.deepEqual(session.lastResults().map((r) => r.ref.kind), ['spec']);
  assert.equal(session.engine.sources.ready, false, 'a workspace of lone specs loads no source parser');

  // A config with a server: the parsers load, and its first check already reads the routes.
  fs.files.set(config, 'spec: openapi.yaml\nserver:\n  framework: express\n  sources: ["src/**/*.ts"]\n');
  session.fileChanged(config, 'created');
  assert.equal(await idleWithin(session, 10000), 'idle');
  assert.equal(session.engine.sources.ready, true);
  const [result] = session.lastResults();
  assert.equal(result.ref.kind, 'config');
  assert.deepEqual(
    result.findings.filter((f) => f.code === 'parity.undocumented-route').map((f) => f.message.split(' ').slice(0, 2).join(' ')),
    ['POST /undocumented'],
  );
});
