import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { decodeTexts, encodeLargeTexts, encodedTextLength } from '../../server/src/wireText';
import type { QualityJob } from '../../server/src/engine/quality/model';

// A quality job's large texts travel to the worker as UTF-8 bytes, encoded in slices with pauses
// and transferred, not cloned. What arrives must be the same text, offset for offset.

function job(texts: string[]): QualityJob {
  return {
    project: {} as QualityJob['project'],
    specs: [{ root: '/p/a.json', files: texts.map((text, i) => ({ path: `/p/${i}.json`, text })) }],
    targets: [],
    rulesets: [],
    trusted: false,
  };
}

test('large texts arrive the same through a real port (astral characters across slice ends, a BOM, non-Latin-1), small ones as they were; the bytes are moved, not copied', async () => {
  const slice = 1 << 21;
  // A surrogate pair right at the first slice end, and another at the second.
  const astral = '\u{1F43E}';
  const big = '\uFEFF{"a": "' + 'x'.repeat(slice - 9) + astral + 'y'.repeat(slice - 3) + astral + '", "b": "Besitzer – 飼い主 ü"}';
  const latin = '{"d": "' + 'é'.repeat(encodedTextLength) + '"}';
  const small = '{"small": "kept as a string ✓"}';
  const original = job([big, small, latin]);
  const { job: sent, encoded, transfer } = await encodeLargeTexts(original);
  assert.deepEqual(encoded.map((e) => e.file), [0, 2]);
  assert.equal(sent.specs[0].files[0].text, '');
  assert.equal(sent.specs[0].files[1].text, small);
  assert.equal(original.specs[0].files[0].text, big, 'the job given is left as it was');
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<{ job: QualityJob; encoded: typeof encoded }>((resolve) => port2.once('message', resolve));
  port1.postMessage({ job: sent, encoded }, transfer);
  assert.equal(encoded[0].bytes.byteLength, 0, 'the sender no longer holds the bytes: they were transferred');
  const message = await received;
  const decoded = decodeTexts(message.job, message.encoded);
  assert.equal(decoded.specs[0].files[0].text.length, big.length);
  assert.ok(decoded.specs[0].files[0].text === big, 'the large text arrives unchanged (its BOM and surrogate pairs included)');
  assert.ok(decoded.specs[0].files[2].text === latin);
  assert.equal(decoded.specs[0].files[1].text, small);
  port1.close();
});

test('a lone surrogate becomes U+FFFD, one code unit for one: every offset after it is the same', async () => {
  const text = '{"a": "' + 'z'.repeat(encodedTextLength) + '\uD800", "b": 1}';
  const { job: sent, encoded } = await encodeLargeTexts(job([text]));
  const got = decodeTexts(sent, encoded).specs[0].files[0].text;
  assert.equal(got.length, text.length);
  assert.equal(got.indexOf('"b"'), text.indexOf('"b"'));
  assert.equal(got.charCodeAt(text.indexOf('\uD800')), 0xfffd);
});

test('encoding pauses between slices: a request that arrives meanwhile is handled before it ends', async () => {
  const text = '{"a": "' + 'q'.repeat(3 << 21) + '"}';
  let handled = false;
  const encoding = encodeLargeTexts(job([text])).then(() => handled);
  setImmediate(() => (handled = true));
  assert.equal(await encoding, true);
});
