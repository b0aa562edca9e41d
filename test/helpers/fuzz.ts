/**
 * The fuzz harness: drives the real language server (dist/server.js) over stdio with mutated
 * specs, configs, coverage declarations and server/SDK sources, delivered as unsaved edits
 * (didOpen/didChange, bursts, incremental edits) and as disk changes (writes with invalid UTF-8,
 * deletes, renames, each followed by didChangeWatchedFiles), interleaved with requests (hover,
 * CodeLens, code actions, commands, coverage report, check workspace, unknown methods), some of
 * them cancelled at once. After every batch it waits for the server to go idle; every few batches
 * it asks for a full check and compares every published range with the text it describes.
 *
 * Invariants, counted in the report: the server never exits, every request gets an answer (a
 * result or an error response, within the time bound), no unhandled rejection, uncaught exception
 * or failed handler/check is logged, and every diagnostic range (and related range) lies inside
 * its document as it was when the diagnostic was computed.
 *
 * Deterministic for a seed: the same seed makes the same inputs (the server's timing still
 * varies). Used by test/server/fuzz.test.ts (a short run) and scripts/fuzz.mjs (`npm run fuzz`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify as yamlStringify, parse as yamlParse } from 'yaml';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspTestClient } from './lsp';
import { repo } from './examples';

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Bound for any one request, and for the server to go idle after a batch. */
  timeoutMs?: number;
  /** Progress lines (every 500 cases). */
  progress?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  seconds: number;
  notifications: number;
  requests: number;
  answered: number;
  /** Requests answered with an error response (cancelled, unknown method); included in answered. */
  errorAnswers: number;
  cancelled: number;
  unanswered: number;
  /** The server process exited (it is restarted so the run can go on). */
  exits: number;
  /** Unhandled rejections, uncaught exceptions and failed handlers or checks in the server's log. */
  crashes: number;
  publications: number;
  rangesChecked: number;
  outOfRange: number;
  /** The server did not go idle within the bound after a batch. */
  idleTimeouts: number;
  mutations: Record<string, number>;
  actions: Record<string, number>;
  /** The first few violations, for the test's message. */
  violations: string[];
}

// ------------------------------------------------------------------------------------------------
// Randomness

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T extends string>(table: Record<T, number>): T {
    const entries = Object.entries(table) as [T, number][];
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1][0];
  }
}

// ------------------------------------------------------------------------------------------------
// The workspace: both examples, the YAML-declarations project and a lone spec without a config.

type Kind = 'spec-json' | 'spec-yaml' | 'config' | 'declarations-yaml' | 'declarations-py' | 'source-ts' | 'source-py';

interface Target {
  file: string;
  kind: Kind;
  original: Buffer;
}

function buildWorkspace(): { dir: string; targets: Target[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-fuzz-'));
  fs.cpSync(path.join(repo, 'examples/sessions-api'), path.join(dir, 'sessions-api'), { recursive: true });
  fs.cpSync(path.join(repo, 'examples/petstore-express'), path.join(dir, 'petstore-express'), { recursive: true });
  fs.cpSync(path.join(repo, 'test/fixtures/coverage/yaml-project'), path.join(dir, 'yaml-project'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'lone'));
  fs.copyFileSync(path.join(repo, 'test/fixtures/coverage/yaml-project/openapi.yaml'), path.join(dir, 'lone/api.yaml'));
  const kinds: [string, Kind][] = [
    ['sessions-api/openapi.json', 'spec-json'],
    ['sessions-api/contract-lens.yaml', 'config'],
    ['sessions-api/sdk/agentlab/contracts.py', 'declarations-py'],
    ['sessions-api/server/src/app.ts', 'source-ts'],
    ['sessions-api/server/src/index.ts', 'source-ts'],
    ['sessions-api/sdk/agentlab/sessions.py', 'source-py'],
    ['sessions-api/sdk/agentlab/_client.py', 'source-py'],
    ['petstore-express/openapi.yaml', 'spec-yaml'],
    ['petstore-express/components/schemas.yaml', 'spec-yaml'],
    ['petstore-express/paths/owners.yaml', 'spec-yaml'],
    ['petstore-express/contract-lens.yaml', 'config'],
    ['petstore-express/src/app.ts', 'source-ts'],
    ['petstore-express/src/routes/pets.ts', 'source-ts'],
    ['yaml-project/openapi.yaml', 'spec-yaml'],
    ['yaml-project/contract-lens.yaml', 'config'],
    ['yaml-project/contract-lens.coverage.yaml', 'declarations-yaml'],
    ['lone/api.yaml', 'spec-yaml'],
  ];
  const targets = kinds.map(([rel, kind]) => {
    const file = path.join(dir, rel);
    return { file, kind, original: fs.readFileSync(file) };
  });
  return { dir, targets };
}

// ------------------------------------------------------------------------------------------------
// Mutations. Text mutations work on any file; structural ones parse the original, change the
// value, and print it back in the file's format.

const junkChars = ['\u0000', '\ufffd', '{', '}', '[', ']', ':', ',', '"', "'", '\n', '\r', '\t', '#', '&a', '*a', '!!binary', '|', '>', '- ', '? ', '%YAML 1.2\n', '---\n', '...\n', '@', '`', '\ud800', '\udc00', '😀', '\u2028', '\\', '$ref', '<<: *a', '{{', '${', '"""', '(', ')', ';', '=>'];
const hostileRefs: unknown[] = [
  '../../../../../../etc/passwd',
  '/etc/passwd',
  '/etc/passwd#/x',
  'file:///etc/passwd',
  'http://127.0.0.1:1/schemas.yaml#/Pet',
  'https://example.invalid/a.yaml',
  '//example.invalid/a.yaml',
  '\\\\server\\share\\x.yaml',
  'C:\\Windows\\win.ini',
  '../sessions-api/openapi.json#/components/schemas',
  '%zz.yaml',
  '#',
  '',
  '#/',
  '#/components/schemas/%',
  '#/~2',
  '#/paths/~1a~1{x}',
  '#nope',
  'components/schemas.yaml#/' + 'a/'.repeat(500),
  'no\u0000such.yaml',
  'components/../components/schemas.yaml#/Pet',
  'components',
  '.',
  '#/components/schemas/' + 'x'.repeat(5000),
  1,
  null,
  {},
  [],
  true,
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function deepValue(n: number, leaf: Json = {}): Json {
  let v: Json = leaf;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { type: 'object', properties: { a: v } };
  return v;
}

function refChain(n: number, prefix: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (let i = 0; i < n; i++) out[`${prefix}${i}`] = i === n - 1 ? { type: 'object' } : { $ref: `#/components/schemas/${prefix}${i + 1}` };
  return out;
}

function randomJson(rng: Rng, depth = 0): Json {
  const k = rng.int(depth > 3 ? 4 : 7);
  switch (k) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1e308, 1.5, 2 ** 53 + 1, 599, 200]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return rng.pick(['', 'x', 'get', '/a/{b}', '{', '$ref', '3.1.0', '2.0', 'ö', '\u0000', '../..', '*', '**/*.ts']);
    case 4:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    default: {
      const o: Record<string, Json> = {};
      for (let i = rng.int(4); i > 0; i--) o[rng.pick(['$ref', 'type', 'paths', 'get', 'responses', 'schema', 'operationId', 'x', 'properties', 'items', 'allOf', 'name', 'in'])] = randomJson(rng, depth + 1);
      return o;
    }
  }
}

/** Every object and array in a value, with a setter, for picking a random place. */
function places(root: Json): { get: () => Json; set: (v: Json) => void; del: () => void }[] {
  const out: { get: () => Json; set: (v: Json) => void; del: () => void }[] = [];
  // Parsed YAML can be cyclic (an anchor holding an alias to itself): visit each value once.
  const seen = new Set<Json>();
  const stack: Json[] = [root];
  let budget = 20000;
  while (stack.length && budget-- > 0) {
    const v = stack.pop()!;
    if (v && typeof v === 'object') {
      if (seen.has(v)) continue;
      seen.add(v);
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        out.push({ get: () => v[i], set: (x) => (v[i] = x), del: () => v.splice(i, 1) });
        stack.push(item);
      });
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push({ get: () => v[k], set: (x) => (v[k] = x), del: () => delete v[k] });
        stack.push(v[k]);
      }
    }
  }
  return out;
}

function refPlaces(root: Json): { holder: Record<string, Json> }[] {
  const out: { holder: Record<string, Json> }[] = [];
  const seen = new Set<Json>();
  const stack: Json[] = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (v && typeof v === 'object') {
      if (seen.has(v)) continue;
      seen.add(v);
    }
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      if ('$ref' in v) out.push({ holder: v });
      stack.push(...Object.values(v));
    }
  }
  return out;
}

const structuralSpec = ['ref-cycle', 'ref-chain-1000', 'self-ref', 'hostile-ref', 'deep-schema', 'wrong-type', 'delete-key', 'swagger-2', 'many-paths', 'random-subtree', 'huge-string', 'duplicate-operation-ids', 'bad-path-templates'] as const;
const structuralConfig = ['config-hostile-paths', 'config-bad-globs', 'config-wrong-types', 'config-unknown-keys', 'config-limits', 'config-rules', 'random-subtree'] as const;
const textMutations = ['truncate', 'flip', 'bom', 'crlf', 'lone-cr', 'tabs', 'deep-nesting', 'huge-string-text', 'duplicate-line', 'delete-lines', 'shuffle-lines', 'junk-insert', 'empty', 'only-whitespace', 'repeat', 'alias-cycle', 'alias-bomb', 'block-nesting'] as const;

interface Mutated {
  name: string;
  text: string;
}

function mutateText(rng: Rng, text: string, kind: Kind): Mutated {
  const name = rng.pick(textMutations);
  const at = () => rng.int(text.length + 1);
  const lines = () => text.split('\n');
  switch (name) {
    case 'truncate':
      return { name, text: text.slice(0, at()) };
    case 'flip': {
      const chars = [...text];
      for (let i = 1 + rng.int(8); i > 0 && chars.length; i--) chars[rng.int(chars.length)] = rng.pick(junkChars);
      return { name, text: chars.join('') };
    }
    case 'bom':
      return { name, text: '\ufeff' + text };
    case 'crlf':
      return { name, text: text.replace(/\r?\n/g, '\r\n') };
    case 'lone-cr':
      return { name, text: text.replace(/\r?\n/g, '\r') };
    case 'tabs':
      return { name, text: text.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)) };
    case 'deep-nesting': {
      const n = rng.pick([64, 300, 1000, 5000, 50000]);
      const json = kind === 'spec-json' || kind === 'source-ts';
      const open = kind === 'source-py' || kind === 'declarations-py' ? '(' : json && rng.chance(0.5) ? '{"a":' : '[';
      const close = open === '(' ? ')' : open === '[' ? ']' : '}';
      // Mostly where a value starts (after a colon), else anywhere.
      const colons = [...text.matchAll(/: ?/g)].map((m) => m.index! + m[0].length);
      const i = colons.length && rng.chance(0.7) ? rng.pick(colons) : at();
      return { name, text: text.slice(0, i) + open.repeat(n) + '1' + close.repeat(rng.chance(0.8) ? n : rng.int(n)) + text.slice(i) };
    }
    case 'huge-string-text': {
      const i = at();
      const n = rng.pick([70_000, 300_000, 1_500_000]);
      return { name, text: text.slice(0, i) + (rng.chance(0.5) ? '"' + 'x'.repeat(n) + '"' : 'y'.repeat(n)) + text.slice(i) };
    }
    case 'duplicate-line': {
      const ls = lines();
      const i = rng.int(ls.length);
      ls.splice(i, 0, ls[i]);
      return { name, text: ls.join('\n') };
    }
    case 'delete-lines': {
      const ls = lines();
      ls.splice(rng.int(ls.length), 1 + rng.int(5));
      return { name, text: ls.join('\n') };
    }
    case 'shuffle-lines': {
      const ls = lines();
      for (let k = 0; k < 3; k++) {
        const a = rng.int(ls.length);
        const b = rng.int(ls.length);
        [ls[a], ls[b]] = [ls[b], ls[a]];
      }
      return { name, text: ls.join('\n') };
    }
    case 'junk-insert': {
      let t = text;
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const i = rng.int(t.length + 1);
        t = t.slice(0, i) + rng.pick(junkChars) + t.slice(i);
      }
      return { name, text: t };
    }
    case 'empty':
      return { name, text: '' };
    case 'only-whitespace':
      return { name, text: rng.pick([' ', '\n\n', '\t', '\r\n', '\ufeff']) };
    case 'repeat':
      return { name, text: text + '\n' + text };
    case 'alias-cycle':
      // A YAML anchor whose value holds an alias to itself.
      return { name, text: text.replace(/^(\s*)(\w[\w-]*):[ \t]*$/m, '$1$2: &loop\n$1  self: *loop\n$1  again: [*loop]') + '\nx-loop: &top {a: *top}\n' };
    case 'alias-bomb': {
      const levels = ['x-lol0: &l0 [lol]'];
      for (let k = 1; k < 10; k++) levels.push(`x-lol${k}: &l${k} [${Array(10).fill(`*l${k - 1}`).join(', ')}]`);
      return { name, text: text + '\n' + levels.join('\n') + '\n' };
    }
    case 'block-nesting': {
      const n = rng.pick([300, 3000]);
      return { name, text: text + '\nx-deep: ' + '- '.repeat(n) + 'x\n' + Array.from({ length: Math.min(n, 400) }, (_, k) => ' '.repeat(k) + 'k:').join('\n') + ' 1\n' };
    }
  }
}

function parseValue(text: string, kind: Kind): Json | undefined {
  try {
    // The default alias limit of the yaml package: the harness must not expand the alias bombs it makes.
    return (kind === 'spec-json' ? JSON.parse(text) : yamlParse(text, { logLevel: 'silent' })) as Json;
  } catch {
    return undefined;
  }
}

function printValue(value: Json, kind: Kind): string {
  if (kind === 'spec-json') return JSON.stringify(value, null, 2);
  try {
    return yamlStringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
  } catch {
    // Too deep for the yaml printer's recursion: JSON is YAML too.
    return JSON.stringify(value);
  }
}

function mutateSpec(rng: Rng, value: Json): string {
  const name = rng.pick(structuralSpec);
  const root = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, Json>;
  const components = ((root.components && typeof root.components === 'object' && !Array.isArray(root.components) ? root.components : (root.components = {})) as Record<string, Json>);
  const schemas = ((components.schemas && typeof components.schemas === 'object' && !Array.isArray(components.schemas) ? components.schemas : (components.schemas = {})) as Record<string, Json>);
  const refs = refPlaces(root);
  const someRef = () => (refs.length ? rng.pick(refs).holder : undefined);
  switch (name) {
    case 'ref-cycle': {
      const n = 2 + rng.int(4);
      for (let i = 0; i < n; i++) schemas[`Cyc${i}`] = { $ref: `#/components/schemas/Cyc${(i + 1) % n}` };
      const r = someRef();
      if (r) r.$ref = '#/components/schemas/Cyc0';
      break;
    }
    case 'ref-chain-1000': {
      Object.assign(schemas, refChain(1000, 'Chain'));
      const r = someRef();
      if (r) r.$ref = '#/components/schemas/Chain0';
      break;
    }
    case 'self-ref': {
      schemas.Self = { $ref: '#/components/schemas/Self' };
      const r = someRef();
      if (r) r.$ref = rng.chance(0.5) ? '#/components/schemas/Self' : '#';
      break;
    }
    case 'hostile-ref': {
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const r = someRef();
        if (r) r.$ref = rng.pick(hostileRefs) as Json;
        else schemas.Hostile = { $ref: rng.pick(hostileRefs) as Json };
      }
      break;
    }
    case 'deep-schema':
      schemas.Deep = deepValue(rng.pick([50, 200, 600, 3000]));
      if (someRef()) someRef()!.$ref = '#/components/schemas/Deep';
      break;
    case 'wrong-type': {
      const ps = places(root);
      for (let k = 1 + rng.int(3); k > 0 && ps.length; k--) rng.pick(ps).set(rng.pick([null, 1, 'x', [], {}, true] as Json[]));
      break;
    }
    case 'delete-key': {
      const ps = places(root);
      for (let k = 1 + rng.int(3); k > 0 && ps.length; k--) rng.pick(ps).del();
      break;
    }
    case 'swagger-2':
      delete root.openapi;
      root.swagger = '2.0';
      break;
    case 'many-paths': {
      const paths = (root.paths && typeof root.paths === 'object' && !Array.isArray(root.paths) ? root.paths : (root.paths = {})) as Record<string, Json>;
      for (let i = 0; i < 1500; i++) paths[`/gen/${i}/{id}`] = { get: { operationId: `gen${i % 700}`, responses: { '200': { description: 'ok' } } } };
      break;
    }
    case 'random-subtree': {
      const ps = places(root);
      if (ps.length) rng.pick(ps).set(randomJson(rng));
      break;
    }
    case 'huge-string':
      root.info = { title: 'z'.repeat(rng.pick([100_000, 1_000_000])), version: '1' };
      break;
    case 'duplicate-operation-ids': {
      const ps = places(root).filter((p) => typeof p.get() === 'string');
      for (const p of ps) if (rng.chance(0.3)) p.set('same');
      break;
    }
    case 'bad-path-templates': {
      const paths = (root.paths && typeof root.paths === 'object' && !Array.isArray(root.paths) ? root.paths : (root.paths = {})) as Record<string, Json>;
      for (const t of ['/{', '/{}', '/{a}{a}', '/{a/b}', '', 'no-slash', '/x/{' + 'p'.repeat(3000) + '}', '/ö/{ü}', '/a/{b}/{b}']) paths[t] = { get: { responses: { '2OO': {}, '99': {}, default: {}, '2XX': {} }, parameters: [{ name: 'b', in: 'path' }, { name: 7, in: null }] } };
      break;
    }
  }
  return name;
}

function mutateConfig(rng: Rng, value: Json): string {
  const name = rng.pick(structuralConfig);
  const root = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, Json>;
  switch (name) {
    case 'config-hostile-paths':
      root.spec = rng.pick(['../../etc/passwd', '/etc/passwd', '../sessions-api/openapi.json', 'missing.yaml', '.', '', ['openapi.yaml', '/etc/hosts'], 'server'] as Json[]);
      if (rng.chance(0.5)) root.coverage = { source: 'python', file: rng.pick(['/etc/passwd', '../x.py', 'nope.py']) };
      if (rng.chance(0.5)) root.generate = [{ target: 'pydantic-v2', output: rng.pick(['../../out', '/tmp/x', '.', 'src']) }];
      break;
    case 'config-bad-globs':
      root.server = { framework: rng.pick(['express', 'fastify', 'flask', 'nope']), sources: [rng.pick(['../**/*.ts', '/**/*.ts', '**/*', '***', '{a,b', '[', '!(x)', '**/../../*', 'src/**/*.{ts,js}', '\u0000'])] };
      if (rng.chance(0.5)) root.clients = [{ language: rng.pick(['python', 'typescript', 'rust']), sources: ['**/*.py'], callSite: { kind: rng.pick(['wrapper', 'httpx', 'fetch', 'nope']), keyArgument: -1, pathArgument: 99 } }];
      break;
    case 'config-wrong-types': {
      const ps = places(root);
      for (let k = 1 + rng.int(3); k > 0 && ps.length; k--) rng.pick(ps).set(rng.pick([null, 1, 'x', [], {}, true] as Json[]));
      break;
    }
    case 'config-unknown-keys':
      root[rng.pick(['specs', 'coverge', 'x', '$ref', '__proto__', 'constructor'])] = randomJson(rng);
      break;
    case 'config-limits':
      root.limits = { maxFileSizeMB: rng.pick([-1, 0, 1e-9, 1e308, 'x', null, 0.000001] as Json[]) };
      break;
    case 'config-rules':
      root.rules = { severity: { 'spec.*': 'off', 'nope.code': 'error', 'ref.cycle': rng.pick(['off', 'fatal', 1] as Json[]) }, ignore: [rng.pick(['GET /x', '/y', 'spec.*', '**', { code: '[' }, { file: '{' }, null, 7] as Json[])] };
      break;
    case 'random-subtree': {
      const ps = places(root);
      if (ps.length) rng.pick(ps).set(randomJson(rng));
      else root.spec = randomJson(rng);
      break;
    }
  }
  return name;
}

/** A mutated text for a target: structural (specs, configs) or textual, on the original or the current text. */
function mutate(rng: Rng, target: Target, current: string): Mutated {
  const base = rng.chance(0.7) || current.length > 1_000_000 ? target.original.toString('utf8') : current;
  const structured = (target.kind === 'spec-json' || target.kind === 'spec-yaml' || target.kind === 'config') && rng.chance(0.5);
  if (structured) {
    const value = parseValue(base, target.kind) ?? parseValue(target.original.toString('utf8'), target.kind);
    if (value !== undefined) {
      const name = target.kind === 'config' ? mutateConfig(rng, value) : mutateSpec(rng, value);
      let text: string;
      try {
        text = printValue(value, target.kind);
      } catch {
        text = base; // too deep even for JSON.stringify here: that input is made by 'deep-nesting' instead
      }
      return rng.chance(0.2) ? { name: `${name}+text`, text: mutateText(rng, text, target.kind).text } : { name, text };
    }
  }
  return mutateText(rng, base, target.kind);
}

/** Bytes for a disk write: the text, sometimes with invalid UTF-8 spliced in. */
function toBytes(rng: Rng, text: string): { bytes: Buffer; name?: string } {
  const buf = Buffer.from(text, 'utf8');
  if (!rng.chance(0.3)) return { bytes: buf };
  const bad = rng.pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc0, 0xaf], [0x80]]);
  const i = rng.int(buf.length + 1);
  return { bytes: Buffer.concat([buf.subarray(0, i), Buffer.from(bad), buf.subarray(i)]), name: 'invalid-utf8' };
}

// ------------------------------------------------------------------------------------------------
// Range checking

function lineLengths(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 10) {
      out.push(i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.length - start);
  return out;
}

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

function rangeInside(r: Range, lens: number[]): boolean {
  const pos = (p: { line: number; character: number }) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lens.length && p.character <= lens[p.line];
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return pos(r.start) && pos(r.end) && ordered;
}

// ------------------------------------------------------------------------------------------------
// The run

/**
 * What counts as a crash in the server's log: anything the safety nets caught (unhandled
 * rejections, uncaught exceptions, a failed handler, check or quality pass) and any stack
 * overflow, except the Python extractor's own, deliberate stop on absurdly nested source (it
 * keeps what it read and says so in the log).
 */
const crashPattern = /Unhandled rejection|Uncaught exception| failed: |Maximum call stack/;
const expectedLog = /^Python route\/call extraction stopped early in .*: Maximum call stack size exceeded$/;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const rng = new Rng(options.seed);
  // Choices that depend on what the server has published so far (timing) draw from their own
  // stream, so that the inputs stay the same for a seed.
  const timingRng = new Rng(options.seed ^ 0x9e3779b9);
  const t0 = Date.now();
  const report: FuzzReport = {
    seed: options.seed,
    cases: 0,
    seconds: 0,
    notifications: 0,
    requests: 0,
    answered: 0,
    errorAnswers: 0,
    cancelled: 0,
    unanswered: 0,
    exits: 0,
    crashes: 0,
    publications: 0,
    rangesChecked: 0,
    outOfRange: 0,
    idleTimeouts: 0,
    mutations: {},
    actions: {},
    violations: [],
  };
  const violation = (s: string) => {
    if (report.violations.length < 20) report.violations.push(s.length > 4000 ? s.slice(0, 4000) + '...' : s);
  };
  /** What the current batch did, named in a time-out so that it can be looked into. */
  let batchSteps: string[] = [];
  /** The texts the current batch sent, kept with a time-out's replay files. */
  let batchTexts: { file: string; text: string }[] = [];
  /** The last steps and publications, named in an out-of-range violation so that it can be replayed in the mind. */
  const trail: string[] = [];
  const remember = (s: string) => {
    trail.push(s);
    if (trail.length > 40) trail.shift();
  };
  const count = (table: Record<string, number>, key: string) => {
    if (table === report.actions || table === report.mutations) batchSteps.push(key);
    if (table === report.mutations && trail.length) trail[trail.length - 1] += ` ${key}`;
    return (table[key] = (table[key] ?? 0) + 1);
  };

  const { dir, targets } = buildWorkspace();
  /**
   * What the server can know of each file: editor buffers by version (versions are never reused
   * for a file, even across close and reopen, so a late publication is matched to its own text),
   * and disk texts since the last full check. Only line lengths are kept per version (texts can
   * be megabytes); a publication older than the kept versions is checked against all of them.
   */
  const docs = new Map<string, { open: boolean; version: number; text: string; lens: Map<number, number[]> }>();
  const openDoc = (file: string) => {
    const d = docs.get(file);
    return d?.open ? d : undefined;
  };
  const diskHistory = new Map<string, number[][]>();
  const diskNow = (file: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const rememberDisk = (file: string) => {
    const h = diskHistory.get(file) ?? [];
    h.push(lineLengths(diskNow(file)));
    diskHistory.set(file, h.slice(-8));
  };
  const currentText = (t: Target) => {
    const d = openDoc(t.file);
    return d ? d.text : diskNow(t.file);
  };

  let client!: LspTestClient;
  let logSeen = 0;
  let idleWaiter: (() => void) | undefined;
  let busy = false;
  const pending = new Set<Promise<void>>();
  const stale: Diagnostic[][] = [];

  const checkPublication = (p: PublishDiagnosticsParams) => {
    report.publications++;
    const file = URI.parse(p.uri).fsPath;
    remember(`published ${p.diagnostics.length} for ${path.relative(dir, file)} v${p.version}`);
    const o = docs.get(file);
    // An open file's publication carries the version it describes: that text, exactly.
    const strict = p.version !== undefined && p.version !== null && o?.lens.has(p.version) ? [o.lens.get(p.version)!] : undefined;
    const known = new Map<string, number[][]>();
    const candidates = (f: string) => {
      let c = known.get(f);
      if (!c) {
        const oo = docs.get(f);
        known.set(f, (c = [...(oo ? oo.lens.values() : []), ...(diskHistory.get(f) ?? []), lineLengths(diskNow(f))]));
      }
      return c;
    };
    const texts = strict ?? (p.diagnostics.length ? candidates(file) : []);
    for (const d of p.diagnostics) {
      report.rangesChecked++;
      if (!texts.some((lens) => rangeInside(d.range, lens))) {
        report.outOfRange++;
        violation(`out of range: ${d.code} ${JSON.stringify(d.range)} in ${path.relative(dir, file)} v${p.version} (${strict ? `exactly that version, ${strict[0].length} lines` : `any known text: ${texts.map((l) => l.length).join('/')} lines; on disk: ${fs.existsSync(file) ? 'yes' : 'no'}`}): ${d.message}\n      after: ${trail.join(' | ')}\n      log: ${client.log.filter((l) => l.includes('TRACE')).slice(-5).join('\n')}`);
      }
      for (const r of d.relatedInformation ?? []) {
        report.rangesChecked++;
        const rf = URI.parse(r.location.uri).fsPath;
        if (!candidates(rf).some((lens) => rangeInside(r.location.range, lens))) {
          report.outOfRange++;
          violation(`related out of range: ${d.code} → ${path.relative(dir, rf)} ${JSON.stringify(r.location.range)}`);
        }
      }
    }
  };

  const start = async () => {
    client = new LspTestClient();
    logSeen = 0;
    // Checked on arrival, against what was sent up to then (this replaces the helper's recorder).
    client.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p);
      // A few of each publication's diagnostics, for code actions that echo stale ones back
      // (publications can hold thousands of diagnostics: keeping them all would exhaust memory).
      if (p.diagnostics.length) stale.push(p.diagnostics.slice(0, 10));
      if (stale.length > 100) stale.splice(0, 50);
      checkPublication(p);
    });
    client.connection.onRequest('workspace/applyEdit', () => ({ applied: false }));
    client.connection.onNotification('contractLens/status', (s: { state: 'busy' | 'idle' }) => {
      busy = s.state === 'busy';
      if (!busy && idleWaiter) idleWaiter();
    });
    await client.initialize(dir);
    for (const d of docs.values()) d.open = false;
  };
  await start();
  const scanLog = () => {
    for (; logSeen < client.log.length; logSeen++) {
      const line = client.log[logSeen];
      if (crashPattern.test(line) && !expectedLog.test(line.trim())) {
        report.crashes++;
        violation(`server log: ${line}`);
      }
    }
  };
  const notify = (method: string, params: unknown) => {
    report.notifications++;
    return client.connection.sendNotification(method, params);
  };
  const request = (method: string, params: unknown, cancel: boolean) => {
    report.requests++;
    const source = new CancellationTokenSource();
    const p = client.connection.sendRequest(method, params, source.token);
    if (cancel) {
      report.cancelled++;
      source.cancel();
    }
    let timer: NodeJS.Timeout | undefined;
    const bounded = Promise.race([
      p.then(
        () => 'ok' as const,
        () => 'error' as const,
      ),
      new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs))),
    ]).then((outcome) => {
      clearTimeout(timer);
      if (outcome === 'timeout') {
        report.unanswered++;
        violation(`unanswered: ${method} ${JSON.stringify(params).slice(0, 200)}`);
      } else {
        report.answered++;
        if (outcome === 'error') report.errorAnswers++;
      }
    });
    const tracked = bounded.finally(() => pending.delete(tracked));
    pending.add(tracked);
    return tracked;
  };
  const waitIdle = async () => {
    // Give the debounce time to start a round, then wait for the idle status.
    await new Promise((r) => setTimeout(r, 40));
    if (!busy) await new Promise((r) => setTimeout(r, 10));
    if (!busy) return;
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      idleWaiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    idleWaiter = undefined;
    if (!ok) {
      report.idleTimeouts++;
      // What the server was given, kept for a replay: every target's current text (buffer or disk).
      const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-fuzz-timeout-'));
      for (const t of targets) {
        const file = path.join(keep, path.relative(dir, t.file));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (openDoc(t.file) || fs.existsSync(t.file)) fs.writeFileSync(file, currentText(t));
      }
      batchTexts.forEach((b, i) => fs.writeFileSync(path.join(keep, path.relative(dir, b.file)) + `.sent${i}`, b.text));
      violation(`the server did not go idle within the bound (after case ${report.cases}; the batch: ${batchSteps.join(', ')}; the texts: ${keep})\n      after: ${trail.join(' | ')}\n      log: ${client.log.filter((l) => l.includes('TRACE')).slice(-30).join('\n')}`);
    }
  };
  const uri = (file: string) => URI.file(file).toString();
  const lang = (file: string) => (file.endsWith('.json') ? 'json' : file.endsWith('.py') ? 'python' : file.endsWith('.ts') ? 'typescript' : 'yaml');

  const sendText = async (t: Target, text: string) => {
    batchTexts.push({ file: t.file, text });
    let o = docs.get(t.file);
    if (!o) docs.set(t.file, (o = { open: false, version: 0, text: '', lens: new Map() }));
    o.version++;
    o.text = text;
    o.lens.set(o.version, lineLengths(text));
    while (o.lens.size > 1000) o.lens.delete(o.lens.keys().next().value!);
    if (!o.open) {
      o.open = true;
      await notify('textDocument/didOpen', { textDocument: { uri: uri(t.file), languageId: lang(t.file), version: o.version, text } });
      return;
    }
    await notify(DidChangeTextDocumentNotification.method, { textDocument: { uri: uri(t.file), version: o.version }, contentChanges: [{ text }] });
  };
  const writeDisk = async (t: Target, bytes: Buffer | undefined, type: FileChangeType) => {
    if (bytes === undefined) fs.rmSync(t.file, { force: true });
    else {
      fs.mkdirSync(path.dirname(t.file), { recursive: true });
      fs.writeFileSync(t.file, bytes);
    }
    rememberDisk(t.file);
    await notify(DidChangeWatchedFilesNotification.method, { changes: [{ uri: uri(t.file), type }] });
  };
  const randomPosition = (t: Target) => {
    const text = currentText(t);
    const lens = lineLengths(text);
    if (rng.chance(0.1)) return { line: rng.pick([-1, 1e6, 2 ** 31]), character: rng.pick([-5, 0, 1e9]) };
    const line = rng.int(lens.length);
    return { line, character: rng.int(lens[line] + 2) };
  };

  const restoreAll = async () => {
    for (const t of targets) {
      if (openDoc(t.file)) {
        docs.get(t.file)!.open = false;
        await notify(DidCloseTextDocumentNotification.method, { textDocument: { uri: uri(t.file) } });
      }
      fs.mkdirSync(path.dirname(t.file), { recursive: true });
      fs.writeFileSync(t.file, t.original);
      await notify(DidChangeWatchedFilesNotification.method, { changes: [{ uri: uri(t.file), type: FileChangeType.Changed }] });
    }
  };

  const step = async () => {
    const t = rng.pick(targets);
    const action = rng.weighted({ edit: 30, burst: 8, incremental: 6, disk: 14, delete: 4, rename: 3, restore: 8, close: 3, request: 24 });
    count(report.actions, action);
    remember(`case ${report.cases}: ${action} ${path.relative(dir, t.file)}${openDoc(t.file) ? ' (open)' : ''}`);
    switch (action) {
      case 'edit': {
        const m = mutate(rng, t, currentText(t));
        count(report.mutations, m.name);
        await sendText(t, m.text);
        break;
      }
      case 'burst': {
        // Many versions in a row, no waiting: only the last may be published.
        for (let k = 5 + rng.int(25); k > 0; k--) {
          const m = rng.chance(0.5) ? mutate(rng, t, currentText(t)) : { name: 'burst-append', text: currentText(t) + `\n# ${k}` };
          count(report.mutations, m.name);
          await sendText(t, m.text);
          if (rng.chance(0.2)) void request(HoverRequest.method, { textDocument: { uri: uri(t.file) }, position: randomPosition(t) }, rng.chance(0.5));
        }
        break;
      }
      case 'incremental': {
        if (!openDoc(t.file)) await sendText(t, currentText(t));
        const o = openDoc(t.file)!;
        // Random ranges, some past the end: the server's document model clamps them; mirror it.
        const text = o.text;
        const a = randomPosition(t);
        const b = randomPosition(t);
        const insert = rng.pick(junkChars) + (rng.chance(0.3) ? '\n' : '');
        const clampOffset = (p: { line: number; character: number }) => {
          const lens = lineLengths(text);
          if (p.line < 0) return 0;
          if (p.line >= lens.length) return text.length;
          let off = 0;
          for (let i = 0; i < p.line; i++) {
            off += lens[i];
            off += text.charCodeAt(off) === 13 && text.charCodeAt(off + 1) === 10 ? 2 : 1;
          }
          return off + Math.max(0, Math.min(p.character, lens[p.line]));
        };
        let s = clampOffset(a);
        let e = clampOffset(b);
        let [ra, rb] = [a, b];
        if (s > e) {
          [s, e] = [e, s];
          [ra, rb] = [b, a];
        }
        const next = text.slice(0, s) + insert + text.slice(e);
        o.version++;
        o.text = next;
        o.lens.set(o.version, lineLengths(next));
        while (o.lens.size > 1000) o.lens.delete(o.lens.keys().next().value!);
        count(report.mutations, 'incremental');
        await notify(DidChangeTextDocumentNotification.method, { textDocument: { uri: uri(t.file), version: o.version }, contentChanges: [{ range: { start: ra, end: rb }, text: insert }] });
        break;
      }
      case 'disk': {
        if (openDoc(t.file)) break; // an open buffer hides the disk; that is the edit case
        const m = mutate(rng, t, currentText(t));
        const { bytes, name } = toBytes(rng, m.text);
        count(report.mutations, name ? `${m.name}+${name}` : m.name);
        await writeDisk(t, bytes, FileChangeType.Changed);
        break;
      }
      case 'delete': {
        await writeDisk(t, undefined, FileChangeType.Deleted);
        // An editor may still hold the deleted file open and keep sending edits.
        if (openDoc(t.file) && rng.chance(0.5)) await sendText(t, mutate(rng, t, currentText(t)).text);
        break;
      }
      case 'rename': {
        const to = t.file + '.renamed' + path.extname(t.file);
        // A rename may replace a file left by an earlier one; until the server hears of it, it
        // may still publish for the text that file had.
        rememberDisk(to);
        if (fs.existsSync(t.file)) fs.renameSync(t.file, to);
        rememberDisk(t.file);
        rememberDisk(to); // the server may publish for the new name after it is renamed back

        await notify(DidChangeWatchedFilesNotification.method, { changes: [{ uri: uri(t.file), type: FileChangeType.Deleted }, { uri: uri(to), type: FileChangeType.Created }] });
        // And back, a moment later, as a rename-undo would.
        if (rng.chance(0.5)) {
          await new Promise((r) => setTimeout(r, rng.int(50)));
          if (fs.existsSync(to)) fs.renameSync(to, t.file);
          rememberDisk(t.file);
          remember(`renamed back ${path.relative(dir, t.file)}`);
          await notify(DidChangeWatchedFilesNotification.method, { changes: [{ uri: uri(to), type: FileChangeType.Deleted }, { uri: uri(t.file), type: FileChangeType.Created }] });
        }
        break;
      }
      case 'restore': {
        if (openDoc(t.file)) await sendText(t, t.original.toString('utf8'));
        else await writeDisk(t, t.original, FileChangeType.Changed);
        break;
      }
      case 'close': {
        if (!openDoc(t.file)) break;
        docs.get(t.file)!.open = false;
        await notify(DidCloseTextDocumentNotification.method, { textDocument: { uri: uri(t.file) } });
        break;
      }
      case 'request': {
        const cancel = rng.chance(0.3);
        const kind = rng.weighted({ hover: 6, codeLens: 4, codeAction: 5, command: 1, coverage: 1, check: 1, unknown: 1, otherUri: 1 });
        count(report.actions, `request:${kind}`);
        const td = { uri: uri(t.file) };
        const latest = client.diagnostics.get(td.uri)?.diagnostics ?? [];
        const older = stale.length ? timingRng.pick(stale) : [];
        switch (kind) {
          case 'hover':
            void request(HoverRequest.method, { textDocument: td, position: randomPosition(t) }, cancel);
            break;
          case 'codeLens':
            void request(CodeLensRequest.method, { textDocument: td }, cancel);
            break;
          case 'codeAction': {
            // The diagnostics the client echoes back: the latest, or stale ones from any publication.
            const pool: Diagnostic[] = rng.chance(0.7) ? latest : older;
            const diagnostics = pool.filter(() => timingRng.chance(0.5)).slice(0, 20);
            void request(CodeActionRequest.method, { textDocument: td, range: { start: randomPosition(t), end: randomPosition(t) }, context: { diagnostics } }, cancel);
            break;
          }
          case 'command':
            void request(ExecuteCommandRequest.method, { command: 'contractLens.declareOperation', arguments: [rng.pick(['createSession', 'listAgents', 'nope', '', 7]), rng.pick(['declare-typed', 'declare-raw', 'x']), rng.pick([path.join(dir, 'sessions-api'), path.join(dir, 'yaml-project'), '/'])] }, cancel);
            break;
          case 'coverage':
            void request('contractLens/coverageReport', rng.chance(0.5) ? { file: td.uri } : {}, cancel);
            break;
          case 'check':
            void request('contractLens/checkWorkspace', null, cancel);
            break;
          case 'unknown':
            void request(rng.pick(['contractLens/nope', 'textDocument/semanticTokens/full', '$/whatever']), {}, cancel);
            break;
          case 'otherUri':
            void request(HoverRequest.method, { textDocument: { uri: rng.pick(['untitled:Untitled-1', 'file:///nonexistent/x.yaml', 'vscode-notebook-cell:/x#y', uri(path.join(dir, 'new.yaml'))]) }, position: { line: 0, character: 0 } }, cancel);
            break;
        }
        break;
      }
    }
  };

  const fullCheck = async () => {
    // Everything outstanding must answer; then a full check, after which every file's latest
    // publication must describe its current text exactly.
    await Promise.all([...pending]);
    await request('contractLens/checkWorkspace', null, false);
    remember('full check');
    for (const [u, p] of client.diagnostics) {
      const file = URI.parse(u).fsPath;
      const o = openDoc(file);
      const lens = lineLengths(o ? o.text : diskNow(file));
      if (o && p.version !== o.version) continue; // a file opened with nothing to report keeps its older publication
      for (const d of p.diagnostics) {
        report.rangesChecked++;
        if (!rangeInside(d.range, lens)) {
          report.outOfRange++;
          violation(`after a full check, out of range: ${d.code} ${JSON.stringify(d.range)} in ${path.relative(dir, file)}: ${d.message}`);
        }
      }
    }
    diskHistory.clear();
    for (const t of targets) {
      rememberDisk(t.file);
      rememberDisk(t.file + '.renamed' + path.extname(t.file));
    }
  };

  for (const t of targets) rememberDisk(t.file);
  try {
    let sinceFull = 0;
    let sinceRestore = 0;
    while (report.cases < options.cases) {
      const batch = Math.min(1 + rng.int(6), options.cases - report.cases);
      batchSteps = [];
      batchTexts = [];
      for (let i = 0; i < batch; i++) {
        await step();
        report.cases++;
      }
      await waitIdle();
      scanLog();
      if (client.exited) {
        report.exits++;
        violation(`the server exited; log:\n${client.log.slice(-20).join('\n')}`);
        await client.stop();
        await start();
      }
      sinceFull += batch;
      sinceRestore += batch;
      if (sinceFull >= 25) {
        sinceFull = 0;
        await fullCheck();
        scanLog();
      }
      if (sinceRestore >= 150) {
        // Back to the examples as they are, so the run does not drift into all-garbage files.
        sinceRestore = 0;
        await restoreAll();
        await waitIdle();
      }
      if (options.progress && report.cases % 500 < batch) options.progress(`  ${report.cases}/${options.cases} cases, ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    await fullCheck();
    scanLog();
  } finally {
    await Promise.race([Promise.all([...pending]), new Promise((r) => setTimeout(r, timeoutMs))]);
    if (client.exited) report.exits++;
    await client.stop();
    report.seconds = Math.round((Date.now() - t0) / 100) / 10;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** The report as the lines `npm run fuzz` prints. */
export function formatReport(r: FuzzReport): string {
  const sorted = (t: Record<string, number>) => Object.entries(t).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `fuzz: seed ${r.seed}, ${r.cases} cases in ${r.seconds} s`,
    `  messages: ${r.notifications} notifications, ${r.requests} requests (${r.cancelled} cancelled at once)`,
    `  requests answered: ${r.answered} (${r.errorAnswers} with an error response), unanswered: ${r.unanswered}`,
    `  diagnostics: ${r.publications} publications, ${r.rangesChecked} ranges checked, out of range: ${r.outOfRange}`,
    `  server exits: ${r.exits}, crashes logged: ${r.crashes}, idle time-outs: ${r.idleTimeouts}`,
    `  actions: ${sorted(r.actions)}`,
    `  mutations: ${sorted(r.mutations)}`,
    ...(r.violations.length ? ['  violations:', ...r.violations.map((v) => `    ${v}`)] : []),
    `${r.exits + r.crashes} crashes, ${r.unanswered} unanswered requests, ${r.outOfRange} out-of-range findings`,
  ].join('\n');
}
