import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lsp';
import { textDelta } from '../../server/src/engine/navigation/delta';

test('textDelta: every offset outside the edited stretch maps to the same character, both ways, over random edits', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const base = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
  for (let k = 0; k < 60; k++) {
    const at = rnd(base.length);
    const removed = rnd(30);
    const inserted = 'XYZ'.repeat(rnd(5));
    const current = base.slice(0, at) + inserted + base.slice(at + removed);
    const d = textDelta(base, current);
    let mapped = 0;
    for (let t = 0; t < 400; t++) {
      const o = rnd(current.length);
      const c = d.toChecked(o);
      if (c === undefined) {
        assert.ok(o >= at - 30 && o <= at + inserted.length + 30, `offset ${o} far from the edit at ${at} was not mapped`);
        continue;
      }
      mapped++;
      assert.equal(base[c], current[o]);
      assert.equal(d.toCurrent(c), o);
    }
    assert.ok(mapped > 350);
  }
  const same = textDelta(base, base);
  assert.equal(same.toChecked(12345), 12345);
});

test('a hover in a large spec right after an edit (before its re-check) answers from the checked text, with the range in the edited one', { timeout: 120_000 }, async () => {
  // About 1.5 MB of JSON: 3,000 operations.
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 3000; i++) paths[`/items${i}/{id}`] = { get: { operationId: `getItem${i}`, description: 'x'.repeat(300), parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } };
  const text = JSON.stringify({ openapi: '3.1.0', info: { title: 'big', version: '1' }, paths }, null, 2);
  assert.ok(text.length > 1 << 20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-hover-large-'));
  const spec = path.join(dir, 'openapi.json');
  fs.writeFileSync(spec, text);
  const client = new LspTestClient();
  try {
    await client.initialize(dir);
    await client.open(spec, text);
    await client.checkWorkspace();
    // Insert a line near the top (shifting everything below), then hover an operationId far below it.
    const edited = text.replace('"paths": {', '"paths": {\n    "/inserted": {},');
    await client.change(spec, edited, 2);
    const target = edited.indexOf('"getItem2500"') + 3;
    const lines = edited.slice(0, target).split('\n');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI.file(spec).toString() }, position: { line: lines.length - 1, character: lines[lines.length - 1].length } });
    assert.ok(hover, 'a hover');
    assert.match((hover.contents as { value: string }).value, /operationId `getItem2500`/);
    // The range names the operation's own token in the edited text (its path key, method or operationId).
    assert.ok(hover.range, 'the hover has a range');
    const line = edited.split('\n')[hover.range.start.line];
    const token = line.slice(hover.range.start.character, hover.range.end.character);
    assert.ok(['"/items2500/{id}"', '"get"', '"getItem2500"', 'getItem2500', 'get'].includes(token), `the range points into the edited text: line ${hover.range.start.line} ${JSON.stringify(hover.range)}: ${JSON.stringify(token)}`);
    await client.checkWorkspace();
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
