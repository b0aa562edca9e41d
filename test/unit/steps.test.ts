import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { nextTurn } from '../../server/src/engine/steps';

// A check pauses between slices with nextTurn(). vscode-jsonrpc handles each message it reads in
// an immediate queued at that moment; that handler must run before the check's next slice.

test('a pause lets a handler queued after it began (as the LSP connection queues a request) run before the work resumes', async () => {
  const order: string[] = [];
  const pause = nextTurn().then(() => order.push('next slice'));
  setImmediate(() => order.push('request'));
  await pause;
  assert.deepEqual(order, ['request', 'next slice']);
});
