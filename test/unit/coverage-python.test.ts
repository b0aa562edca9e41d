import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, silentLogger, type Finding } from '../../server/src/engine/index';
import { applyEdits, coverageFixes, coverageLenses, declareTyped, type CoverageFix } from '../../server/src/engine/coverage/index';
import { MemoryFileSystem } from '../helpers/memoryFs';

// The Python shape of the reference project, in memory: a contracts module, the models it imports
// (no generate target, so model names are resolved through `from .models import ...`), and the
// pet store spec of the YAML fixture.
const repo = path.resolve(__dirname, '../../..');
const spec = fs.readFileSync(path.join(repo, 'test/fixtures/coverage/yaml-project/openapi.yaml'), 'utf8');
const models = `from pydantic import BaseModel


class Pet(BaseModel):
    id: str


class NewPet(BaseModel):
    name: str


class Owner(BaseModel):
    id: str


class AdoptRequest(BaseModel):
    pet_id: str


class Error(BaseModel):
    message: str
`;

const contracts = `from __future__ import annotations

from .models import NewPet, Pet

TYPED_OPERATIONS = {
    "pets.create": TypedOperationContract(
        operation_key="pets.create",
        operation_id="createPet",
        request_model=NewPet,
        response_models=(Pet,),
    ),
    "pets.read": TypedOperationContract(
        operation_key="pets.read",
        operation_id="readPet",
        request_model=None,
        response_models=(Pet,),
    ),
}

ALL_OPERATION_IDS = {
    "listPets",
    "createPet",
    "readPet",
    "deletePet",
    "listOwners",
    "readOwner",
    "adoptPet",
}

STRICT_OPERATION_IDS = {"createPet"}

RAW_OPERATION_IDS = ALL_OPERATION_IDS - {c.operation_id for c in TYPED_OPERATIONS.values()}
`;

const config = (extra = '') => `spec: openapi.yaml\ncoverage:\n  source: python\n  file: sdk/contracts.py\n${extra}`;

async function check(module: string, extraConfig = '') {
  const files = { 'contract-lens.yaml': config(extraConfig), 'openapi.yaml': spec, 'sdk/models.py': models, 'sdk/__init__.py': '', 'sdk/contracts.py': module };
  const memory = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: memory, logger: silentLogger });
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: '/project/contract-lens.yaml' });
  const coverage = result.findings.filter((f) => f.code.startsWith('coverage.'));
  const view = coverage.map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    const text = memory.readFile(f.span.file)!.slice(f.span.start, f.span.end);
    return `${f.code} ${f.span.file.replace('/project/', '')}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${text}`;
  });
  /** The module's text after a fix (every edit must be in the contracts module). */
  const fixed = (fix: CoverageFix) => {
    assert.ok(fix.edits.length > 0, fix.title);
    for (const e of fix.edits) assert.equal(e.file, '/project/sdk/contracts.py');
    return applyEdits(module, fix.edits);
  };
  const fixesOf = (f: Finding) => coverageFixes(result.coverage!, f);
  return { result, coverage, view, fixed, fixesOf };
}

/** The module with `from` replaced by `to` (the replaced text must occur exactly once). */
function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `"${from}" must occur once`);
  return text.replace(from, to);
}

test('python: the clean module has no findings; typed, raw (all minus typed) and strict are counted', async () => {
  const { result, view } = await check(contracts);
  assert.deepEqual(view, []);
  assert.deepEqual(result.coverage!.totals, { operations: 7, typed: 2, raw: 5, undeclared: 0, strict: 1 });
  assert.equal(result.coverage!.modelsFrom, 'imports');
  const byId = Object.fromEntries(result.coverage!.operations.map((o) => [o.operationId, `${o.state}${o.key ? ' ' + o.key : ''}${o.mode ? ' ' + o.mode : ''}`]));
  assert.deepEqual(byId, {
    listPets: 'raw',
    createPet: 'typed pets.create strict',
    readPet: 'typed pets.read typed-only',
    deletePet: 'raw',
    listOwners: 'raw',
    readOwner: 'raw',
    adoptPet: 'raw',
  });
});

test('python: CodeLens above each operation, at the top of the spec, and above each declaration', async () => {
  const { result } = await check(contracts);
  const lenses = coverageLenses(result.coverage!, '/project/openapi.yaml', result.lines, '/project');
  const at = (l: { span: { file: string; start: number } }) => result.lines(l.span.file).positionAt(l.span.start).line + 1;
  assert.deepEqual(
    lenses.map((l) => `${at(l)} ${l.title}`),
    [
      '1 Typed coverage 2/7 (29 %) · strict 1 · raw 5',
      '7 raw',
      '18 typed · pets.create · NewPet → Pet · strict',
      '40 typed · pets.read · → Pet',
      '49 raw',
      '55 raw',
      '70 raw',
      '82 raw',
    ],
  );
  const decl = coverageLenses(result.coverage!, '/project/sdk/contracts.py', result.lines, '/project');
  assert.deepEqual(decl.slice(0, 3).map((l) => `${at(l)} ${l.title}`), ['6 POST /pets · openapi.yaml:19', '12 GET /pets/{petId} · openapi.yaml:41', '21 GET /pets · openapi.yaml:8']);
  assert.equal(decl.length, 2 + 7 + 1);
});

test('python: undeclared operation (not in the all-set) at the set name; declare raw and declare typed edit the module in place', async () => {
  const module = edit(contracts, '    "readOwner",\n', '');
  const { view, coverage, fixed, fixesOf, result } = await check(module);
  assert.deepEqual(view, ['coverage.undeclared-operation sdk/contracts.py:20:1-20:18 ALL_OPERATION_IDS']);
  assert.deepEqual(coverage[0].data, { operationId: 'readOwner', method: 'get', path: '/owners/{ownerId}' });
  assert.deepEqual(coverage[0].related?.map((r) => r.message), ['GET /owners/{ownerId} (openapi.yaml:71)']);
  const [typed, raw] = fixesOf(coverage[0]);
  assert.equal(raw.title, 'Declare raw');
  assert.equal(fixed(raw), contracts);
  assert.equal(typed.title, 'Declare typed (owners.read)');
  assert.equal(
    fixed(typed),
    edit(
      edit(contracts, 'from .models import NewPet, Pet', 'from .models import NewPet, Owner, Pet'),
      '        response_models=(Pet,),\n    ),\n}',
      '        response_models=(Pet,),\n    ),\n    "owners.read": TypedOperationContract(\n        operation_key="owners.read",\n        operation_id="readOwner",\n        request_model=None,\n        response_models=(Owner,),\n    ),\n}',
    ),
  );
  assert.deepEqual(declareTyped(result.coverage!, 'readOwner')!.edits, typed.edits);
});

test('python: a stale typed declaration, with did-you-mean; the rename and the removal', async () => {
  const module = edit(contracts, 'operation_id="readPet"', 'operation_id="readPett"');
  const { view, coverage, fixed, fixesOf } = await check(module);
  // readPet is now raw (all minus typed), so nothing else is reported.
  assert.deepEqual(view, ['coverage.stale-declaration sdk/contracts.py:14:22-14:32 "readPett"']);
  assert.deepEqual(coverage[0].data, { operationId: 'readPett', kind: 'typed', suggestion: 'readPet' });
  const [rename, remove] = fixesOf(coverage[0]);
  assert.equal(rename.title, 'Rename "readPett" to "readPet"');
  assert.equal(rename.isPreferred, true);
  assert.equal(fixed(rename), contracts);
  assert.equal(fixed(remove), edit(contracts, '    "pets.read": TypedOperationContract(\n        operation_key="pets.read",\n        operation_id="readPet",\n        request_model=None,\n        response_models=(Pet,),\n    ),\n', '').replace('operation_id="readPet"', 'operation_id="readPett"'));
});

test('python: typed and raw at once (a raw set literal); keep typed or keep raw', async () => {
  const module = edit(contracts, 'RAW_OPERATION_IDS = ALL_OPERATION_IDS - {c.operation_id for c in TYPED_OPERATIONS.values()}', 'RAW_OPERATION_IDS = {"listPets", "createPet", "deletePet", "listOwners", "readOwner", "adoptPet"}');
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.typed-and-raw sdk/contracts.py:32:34-32:45 "createPet"']);
  const [keepTyped, keepRaw] = fixesOf(coverage[0]);
  assert.equal(fixed(keepTyped), edit(module, '"listPets", "createPet", ', '"listPets", '));
  assert.equal(fixed(keepRaw), edit(module, '    "pets.create": TypedOperationContract(\n        operation_key="pets.create",\n        operation_id="createPet",\n        request_model=NewPet,\n        response_models=(Pet,),\n    ),\n', ''));
});

test('python: duplicates (the same operation typed twice, an id listed twice) are removed by their fix', async () => {
  const twice = '    "pets.read2": TypedOperationContract(\n        operation_key="pets.read2",\n        operation_id="readPet",\n        request_model=None,\n        response_models=(Pet,),\n    ),\n}';
  const module = edit(edit(contracts, '    ),\n}', `    ),\n${twice}`), '    "adoptPet",\n', '    "adoptPet",\n    "listPets",\n');
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.duplicate-declaration sdk/contracts.py:20:22-20:31 "readPet"', 'coverage.duplicate-declaration sdk/contracts.py:34:5-34:15 "listPets"']);
  assert.deepEqual(coverage[0].data, { value: 'readPet', kind: 'typed', field: 'operationId' });
  assert.equal(fixed(fixesOf(coverage[0])[0]), edit(module, `    ),\n${twice}`, '    ),\n}'));
  assert.equal(fixed(fixesOf(coverage[1])[0]), edit(module, '    "adoptPet",\n    "listPets",\n', '    "adoptPet",\n'));
});

test('python: a model the models package does not define (did-you-mean, import fixed too) and one not imported', async () => {
  const misspelt = edit(edit(contracts, 'from .models import NewPet, Pet', 'from .models import NewPet, Pet, Pett'), 'request_model=None,\n        response_models=(Pet,)', 'request_model=None,\n        response_models=(Pett,)');
  const a = await check(misspelt);
  assert.deepEqual(a.view, ['coverage.unknown-model sdk/contracts.py:16:26-16:30 Pett']);
  assert.deepEqual(a.coverage[0].data, { operationId: 'readPet', model: 'Pett', role: 'response', reason: 'not-generated', suggestion: 'Pet' });
  assert.match(a.coverage[0].message, /does not exist in the modules the contracts import\. Did you mean "Pet"\?/);
  // Pet is already imported, so the misspelt import is left for the user (it may be used elsewhere).
  assert.equal(a.fixed(a.fixesOf(a.coverage[0])[0]), edit(misspelt, 'response_models=(Pett,)', 'response_models=(Pet,)'));

  const notImported = edit(contracts, 'request_model=None,\n        response_models=(Pet,)', 'request_model=None,\n        response_models=(Pet, Error)');
  const b = await check(notImported);
  assert.deepEqual(b.view, ['coverage.unknown-model sdk/contracts.py:16:31-16:36 Error']);
  assert.equal(b.coverage[0].data?.reason, 'not-imported');
  const [importIt] = b.fixesOf(b.coverage[0]);
  assert.equal(importIt.title, 'Import "Error"');
  assert.equal(b.fixed(importIt), edit(notImported, 'from .models import NewPet, Pet', 'from .models import Error, NewPet, Pet'));
});

test('python: a misspelt model imported once is renamed in the import as well', async () => {
  const module = edit(edit(contracts, 'from .models import NewPet, Pet', 'from .models import NewPett, Pet'), 'request_model=NewPet,', 'request_model=NewPett,');
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.unknown-model sdk/contracts.py:9:23-9:30 NewPett']);
  assert.equal(fixed(fixesOf(coverage[0])[0]), contracts);
});

test('python: response models that miss a documented 2XX JSON response; request model that differs from the body', async () => {
  const module = edit(
    edit(contracts, 'request_model=None,\n        response_models=(Pet,)', 'request_model=None,\n        response_models=()'),
    '    ),\n}',
    '    ),\n    "owners.adopt": TypedOperationContract(\n        operation_key="owners.adopt",\n        operation_id="adoptPet",\n        request_model=NewPet,\n        response_models=(Pet,),\n    ),\n}',
  );
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.uncovered-response sdk/contracts.py:16:25-16:27 ()', 'coverage.request-mismatch sdk/contracts.py:21:23-21:29 NewPet']);
  assert.deepEqual(coverage[0].data, { operationId: 'readPet', status: '200', model: 'Pet' });
  assert.deepEqual(coverage[0].related?.map((r) => r.message), ['200 response documented here']);
  assert.equal(fixed(fixesOf(coverage[0])[0]), edit(module, 'response_models=()', 'response_models=(Pet,)'));
  assert.deepEqual(coverage[1].data, { operationId: 'adoptPet', declared: 'NewPet', expected: 'AdoptRequest' });
  assert.equal(fixed(fixesOf(coverage[1])[0]), edit(edit(module, 'request_model=NewPet,\n        response_models=(Pet,),\n    ),\n}', 'request_model=AdoptRequest,\n        response_models=(Pet,),\n    ),\n}'), 'from .models import NewPet, Pet', 'from .models import AdoptRequest, NewPet, Pet'));
});

test('python: a strict operation that is not typed (strict set), and every raw operation in project mode strict', async () => {
  const module = edit(contracts, 'STRICT_OPERATION_IDS = {"createPet"}', 'STRICT_OPERATION_IDS = {"createPet", "listPets"}');
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.strict-not-typed sdk/contracts.py:30:38-30:48 "listPets"']);
  const [remove, typed] = fixesOf(coverage[0]);
  assert.equal(remove.title, 'Remove "listPets" from STRICT_OPERATION_IDS');
  assert.equal(fixed(remove), contracts);
  assert.equal(typed.kind, 'declare-typed');

  const strictMode = await check(contracts, '  mode: strict\n');
  assert.deepEqual(strictMode.view, [
    'coverage.strict-not-typed sdk/contracts.py:21:5-21:15 "listPets"',
    'coverage.strict-not-typed sdk/contracts.py:24:5-24:16 "deletePet"',
    'coverage.strict-not-typed sdk/contracts.py:25:5-25:17 "listOwners"',
    'coverage.strict-not-typed sdk/contracts.py:26:5-26:16 "readOwner"',
    'coverage.strict-not-typed sdk/contracts.py:27:5-27:15 "adoptPet"',
  ]);
  assert.deepEqual(strictMode.coverage[0].data, { operationId: 'listPets', kind: 'raw', reason: 'project-mode' });
  assert.equal(strictMode.result.coverage!.totals.strict, 2);
});

test('python: the hand-kept all-set misses a typed operation, or names one the spec lacks', async () => {
  const module = edit(edit(contracts, '    "readPet",\n', ''), '    "adoptPet",\n', '    "adoptPet",\n    "feedPet",\n');
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.all-set-mismatch sdk/contracts.py:20:1-20:18 ALL_OPERATION_IDS', 'coverage.all-set-mismatch sdk/contracts.py:27:5-27:14 "feedPet"']);
  assert.deepEqual(coverage[0].data, { operationId: 'readPet', direction: 'missing-from-set' });
  assert.equal(fixed(fixesOf(coverage[0])[0]), edit(contracts, '    "adoptPet",\n', '    "adoptPet",\n    "feedPet",\n'));
  // readPet is missing from the set, so the stray "feedPet" may well be it.
  assert.deepEqual(coverage[1].data, { operationId: 'feedPet', direction: 'not-in-spec', suggestion: 'readPet' });
  const [rename, remove] = fixesOf(coverage[1]);
  assert.equal(fixed(rename), edit(module, '"feedPet"', '"readPet"'));
  assert.equal(fixed(remove), edit(contracts, '    "readPet",\n', ''));
});

test('python: strict and raw sets may name SDK keys; stale raw and strict entries get did-you-mean', async () => {
  const keys = edit(contracts, 'STRICT_OPERATION_IDS = {"createPet"}', 'STRICT_OPERATION_IDS = {"pets.create"}');
  assert.deepEqual((await check(keys)).view, []);
  const module = edit(
    edit(contracts, 'STRICT_OPERATION_IDS = {"createPet"}', 'STRICT_OPERATION_IDS = {"createPett"}'),
    'RAW_OPERATION_IDS = ALL_OPERATION_IDS - {c.operation_id for c in TYPED_OPERATIONS.values()}',
    'RAW_OPERATION_IDS = {"listPets", "deletePet", "listOwners", "readOwner", "adoptPett"}',
  );
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.stale-declaration sdk/contracts.py:30:25-30:37 "createPett"', 'coverage.stale-declaration sdk/contracts.py:32:74-32:85 "adoptPett"']);
  assert.deepEqual(coverage.map((f) => f.data), [
    { operationId: 'createPett', kind: 'strict', suggestion: 'createPet' },
    { operationId: 'adoptPett', kind: 'raw', suggestion: 'adoptPet' },
  ]);
  assert.equal(fixed(fixesOf(coverage[1])[0]), edit(module, '"adoptPett"', '"adoptPet"'));
  assert.equal(fixed(fixesOf(coverage[1])[1]), edit(module, ', "adoptPett"', ''));
});

test('python: what cannot be read is reported, not guessed', async () => {
  const computed = edit(contracts, 'TYPED_OPERATIONS = {', 'TYPED_OPERATIONS = build() or {');
  const a = await check(computed);
  // Nothing is typed then, so the strict createPet is not typed either.
  assert.deepEqual(a.view, ['coverage.invalid-declaration sdk/contracts.py:5:1-5:17 TYPED_OPERATIONS', 'coverage.strict-not-typed sdk/contracts.py:30:25-30:36 "createPet"']);
  const variable = edit(contracts, 'operation_id="readPet"', 'operation_id=READ_PET');
  const b = await check(variable);
  assert.deepEqual(b.view, ['coverage.invalid-declaration sdk/contracts.py:14:22-14:30 READ_PET']);
  assert.match(b.coverage[0].message, /operation_id="\.\.\." as a string literal/);
});

test('python: a contracts module that declares nothing: one finding for the module, every operation undeclared; a half-typed module still reads', async () => {
  const none = await check('from .models import Pet\n');
  assert.deepEqual(none.view, [
    'coverage.undeclared-operation openapi.yaml:8:20-8:28 listPets',
    'coverage.undeclared-operation openapi.yaml:19:20-19:29 createPet',
    'coverage.undeclared-operation openapi.yaml:41:20-41:27 readPet',
    'coverage.undeclared-operation openapi.yaml:50:20-50:29 deletePet',
    'coverage.undeclared-operation openapi.yaml:56:20-56:30 listOwners',
    'coverage.undeclared-operation openapi.yaml:71:20-71:29 readOwner',
    'coverage.undeclared-operation openapi.yaml:83:20-83:28 adoptPet',
    'coverage.invalid-declaration sdk/contracts.py:1:1-1:1 ',
  ]);
  assert.match(none.coverage[7].message, /No TYPED_OPERATIONS in this module/);
  const halfTyped = edit(contracts, '        response_models=(Pet,),\n    ),\n}', '        response_models=(Pet,\n    ),\n}');
  const { result } = await check(halfTyped);
  assert.equal(result.coverage!.totals.typed, 2);
});

test('python: a missing request_model argument is added in the call\'s layout; declare raw without any set creates one', async () => {
  const module = edit(contracts, '        request_model=NewPet,\n', '');
  const { view, coverage, fixed, fixesOf } = await check(module);
  assert.deepEqual(view, ['coverage.request-mismatch sdk/contracts.py:8:22-8:33 "createPet"']);
  assert.equal(fixed(fixesOf(coverage[0])[0]), contracts);

  const typedOnly = contracts.slice(0, contracts.indexOf('ALL_OPERATION_IDS'));
  const b = await check(typedOnly);
  const listPets = b.coverage.find((f) => f.data?.operationId === 'listPets')!;
  assert.equal(b.view[0], 'coverage.undeclared-operation openapi.yaml:8:20-8:28 listPets');
  const [, raw] = b.fixesOf(listPets);
  assert.equal(b.fixed(raw), typedOnly + 'RAW_OPERATION_IDS = {"listPets"}\n');
});
