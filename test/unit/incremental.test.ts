import { test } from 'node:test';
import { seededRandom } from '../helpers/random';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, silentLogger, type Finding } from '../../server/src/engine/index';
import { Session, type FilePublication } from '../../server/src/session';
import { MemoryFileSystem } from '../helpers/memoryFs';

// The incremental path: the language server keeps one engine with its caches (parsed documents by
// text, source extraction per file, the overlay of open documents) and re-checks after each edit.
// After every burst of random edits, what it publishes must equal what a brand-new engine finds
// in the same texts from scratch.

const repo = path.resolve(__dirname, '../../..');
const example = path.join(repo, 'examples/sessions-api');

function exampleFiles(dir: string, out: Record<string, string> = {}): Record<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '__pycache__') exampleFiles(p, out);
    } else if (/\.(ts|py|json|ya?ml|toml)$/.test(e.name)) {
      out[path.relative(example, p)] = fs.readFileSync(p, 'utf8');
    }
  }
  return out;
}

const rng = seededRandom;

const key = (f: Finding) => `${f.code} ${f.span.file}:${f.span.start}-${f.span.end} ${f.message}`;

function byFile(findings: Iterable<Finding>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) (out.get(f.span.file) ?? out.set(f.span.file, []).get(f.span.file)!).push(key(f));
  for (const list of out.values()) list.sort();
  return out;
}

async function fromScratch(texts: Map<string, string>): Promise<Map<string, string[]>> {
  const memory = new MemoryFileSystem();
  for (const [p, t] of texts) memory.files.set(p, t);
  const engine = new ContractEngine({ fs: memory, logger: silentLogger });
  await engine.init();
  const all: Finding[] = [];
  for (const ref of engine.discover('/project')) all.push(...engine.check(ref).findings);
  return byFile(all);
}

test('incremental: after each burst of random edits (spec, server, SDK, declarations, config), the session publishes exactly what a from-scratch check of the same texts finds', { timeout: 300_000 }, async () => {
  const files = exampleFiles(example);
  const memory = new MemoryFileSystem(files);
  const published = new Map<string, Finding[]>();
  const session = new Session(['/project'], { publish: (p: FilePublication) => published.set(p.file, p.findings), status: () => {} }, silentLogger, 0, memory);
  await session.start();
  await session.whenIdle();

  const editable = Object.keys(files)
    .filter((f) => /^(openapi\.json|contract-lens\.yaml|server\/src\/.*\.ts|sdk\/agentlab\/[^/]*\.py)$/.test(f))
    .map((f) => path.resolve('/project', f));
  assert.ok(editable.length >= 6, editable.join(', '));
  const original = new Map(editable.map((f) => [f, memory.files.get(f)!]));
  const current = new Map(original);
  const versions = new Map<string, number>();
  const r = rng(Number(process.env.CONTRACT_LENS_EDIT_SEED ?? 424242));
  const tokens = ['x', '"', ',', '}', '{', '\n', '/', 'Session', 'sessions', 'get', "'", '(', ')', ':', '  ', '#', '{id}', '200', '$ref', 'typed'];
  let compared = 0;
  let withFindings = 0;
  for (let burst = 0; burst < 40; burst++) {
    const edits = 1 + Math.floor(r() * 3);
    for (let e = 0; e < edits; e++) {
      const file = editable[Math.floor(r() * editable.length)];
      const text = current.get(file)!;
      const at = Math.floor(r() * text.length);
      const roll = r();
      let next: string;
      if (roll < 0.2) next = original.get(file)!; // back to the original now and then
      else if (roll < 0.5) next = text.slice(0, at) + tokens[Math.floor(r() * tokens.length)] + text.slice(at);
      else if (roll < 0.75) next = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 20)));
      else {
        // Retype a word: the edits a user makes to names, paths and operationIds.
        const word = /[A-Za-z_{}]+/g;
        word.lastIndex = at;
        const m = word.exec(text);
        next = m ? text.slice(0, m.index) + m[0].split('').reverse().join('') + text.slice(m.index + m[0].length) : text + '\n';
      }
      current.set(file, next);
      const version = (versions.get(file) ?? 0) + 1;
      versions.set(file, version);
      if (version === 1) session.openDocument({ path: file, text: next, version });
      else session.changeDocument({ path: file, text: next, version });
    }
    await session.whenIdle();
    const texts = new Map(memory.files);
    for (const [f, t] of current) texts.set(f, t);
    const expected = await fromScratch(texts);
    const actual = byFile([...published.values()].flat());
    const files = new Set([...expected.keys(), ...actual.keys()]);
    for (const f of files) {
      assert.deepEqual(actual.get(f) ?? [], expected.get(f) ?? [], `burst ${burst}: ${path.relative('/project', f)} differs from a from-scratch check`);
    }
    compared++;
    if (expected.size) withFindings++;
  }
  assert.equal(compared, 40);
  assert.ok(withFindings > 10, 'the edits produce findings to compare');
});
