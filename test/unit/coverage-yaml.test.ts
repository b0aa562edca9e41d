import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { ContractEngine, silentLogger, type Finding } from '../../server/src/engine/index';
import { applyEdits, buildCoverageReport, coverageFixes, coverageLenses, coverageStatus, formatCoverageMarkdown, formatCoverageText, type CoverageFix } from '../../server/src/engine/coverage/index';
import { MemoryFileSystem } from '../helpers/memoryFs';

// The YAML declarations fixture: a pet store spec, a config with `coverage.source: yaml`, and a
// declarations file with one deliberate break per finding code (listed in the first test).
const repo = path.resolve(__dirname, '../../..');
const fixture = path.join(repo, 'test/fixtures/coverage/yaml-project');
const read = (name: string) => fs.readFileSync(path.join(fixture, name), 'utf8');
const declarations = read('contract-lens.coverage.yaml');
const DECL = '/project/contract-lens.coverage.yaml';

async function check(decl = declarations, config = read('contract-lens.yaml')) {
  const memory = new MemoryFileSystem({ 'contract-lens.yaml': config, 'openapi.yaml': read('openapi.yaml'), 'contract-lens.coverage.yaml': decl });
  const engine = new ContractEngine({ fs: memory, logger: silentLogger });
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: '/project/contract-lens.yaml' });
  const coverage = result.findings.filter((f) => f.code.startsWith('coverage.'));
  const view = coverage.map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    return `${f.code} ${f.span.file.replace('/project/', '')}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${memory.readFile(f.span.file)!.slice(f.span.start, f.span.end)}`;
  });
  const fixed = (fix: CoverageFix) => {
    assert.ok(fix.edits.length > 0, fix.title);
    for (const e of fix.edits) assert.equal(e.file, DECL);
    return applyEdits(decl, fix.edits);
  };
  const find = (code: string, nth = 0) => coverage.filter((f) => f.code === code)[nth];
  const fixesOf = (f: Finding) => coverageFixes(result.coverage!, f);
  return { result, coverage, view, fixed, find, fixesOf };
}

function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `"${from}" must occur once`);
  return text.replace(from, to);
}

test('yaml: every deliberate break of the fixture, in the file and at the token that holds it', async () => {
  const { view, result, coverage } = await check();
  assert.deepEqual(view, [
    'coverage.stale-declaration contract-lens.coverage.yaml:10:18-10:26 readPett',
    'coverage.uncovered-response contract-lens.coverage.yaml:14:18-14:27 readOwner',
    'coverage.invalid-declaration contract-lens.coverage.yaml:16:13-16:18 "yes"',
    'coverage.request-mismatch contract-lens.coverage.yaml:19:14-19:20 NewPet',
    'coverage.unknown-model contract-lens.coverage.yaml:21:14-21:18 Pett',
    'coverage.typed-and-raw contract-lens.coverage.yaml:25:5-25:14 createPet',
    'coverage.duplicate-declaration contract-lens.coverage.yaml:26:5-26:13 listPets',
    // readPet is undeclared too, but the stale "readPett" suggests it: its rename fixes both.
    'coverage.undeclared-operation openapi.yaml:50:20-50:29 deletePet',
  ]);
  assert.deepEqual(
    coverage.map((f) => f.data),
    [
      { operationId: 'readPett', kind: 'typed', suggestion: 'readPet' },
      { operationId: 'readOwner', status: '200', model: 'Owner' },
      { reason: 'unreadable' },
      { operationId: 'adoptPet', declared: 'NewPet', expected: 'AdoptRequest' },
      { operationId: 'adoptPet', model: 'Pett', role: 'response', status: '201', reason: 'not-generated', suggestion: 'Pet' },
      { operationId: 'createPet' },
      { value: 'listPets', kind: 'raw', field: 'operationId' },
      { operationId: 'deletePet', method: 'delete', path: '/pets/{petId}' },
    ],
  );
  assert.equal(coverage[2].message, '"typed.2.strict" must be boolean.');
  assert.equal(coverage[4].message, 'Response model "Pett" of adoptPet does not exist in the spec\'s component schemas. Did you mean "Pet"?');
  const c = result.coverage!;
  assert.equal(c.modelsFrom, 'spec');
  assert.equal(c.mode, 'typed-only');
  assert.deepEqual(c.totals, { operations: 7, typed: 3, raw: 2, undeclared: 2, strict: 1 });
  assert.deepEqual(
    c.operations.map((o) => `${o.operationId} ${o.state}`),
    ['listPets raw', 'createPet typed', 'readPet undeclared', 'deletePet undeclared', 'listOwners raw', 'readOwner typed', 'adoptPet typed'],
  );
});

test('yaml: the rename and the removal of a stale declaration', async () => {
  const { fixed, find, fixesOf } = await check();
  const [rename, remove] = fixesOf(find('coverage.stale-declaration'));
  assert.equal(fixed(rename), edit(declarations, 'operationId: readPett', 'operationId: readPet'));
  assert.equal(fixed(remove), edit(declarations, '  - operationId: readPett\n    key: pets.read\n    responses:\n      "200": Pet\n', ''));
});

test('yaml: declare typed and declare raw insert in spec order, in the file\'s indentation', async () => {
  const { fixed, find, fixesOf } = await check();
  const [typed, raw] = fixesOf(find('coverage.undeclared-operation'));
  assert.equal(typed.title, 'Declare typed (pets.delete)');
  assert.equal(fixed(typed), edit(declarations, '  - operationId: readOwner\n', '  - operationId: deletePet\n    key: pets.delete\n  - operationId: readOwner\n'));
  assert.equal(fixed(raw), edit(declarations, '  - listOwners\n', '  - deletePet\n  - listOwners\n'));
});

test('yaml: typed-and-raw, duplicate, unknown model, uncovered response and request mismatch fixes', async () => {
  const { fixed, find, fixesOf } = await check();
  const [keepTyped, keepRaw] = fixesOf(find('coverage.typed-and-raw'));
  assert.equal(fixed(keepTyped), edit(declarations, '  - createPet\n', ''));
  assert.equal(fixed(keepRaw), edit(declarations, '  - operationId: createPet\n    key: pets.create\n    request: NewPet\n    responses:\n      "201": Pet\n    strict: true\n', ''));
  assert.equal(fixed(fixesOf(find('coverage.duplicate-declaration'))[0]), edit(declarations, '  - createPet\n  - listPets\n', '  - createPet\n'));
  assert.equal(fixed(fixesOf(find('coverage.unknown-model'))[0]), edit(declarations, '"201": Pett', '"201": Pet'));
  assert.equal(fixed(fixesOf(find('coverage.uncovered-response'))[0]), edit(declarations, '    strict: "yes"\n', '    strict: "yes"\n    responses:\n      "200": Owner\n'));
  assert.equal(fixed(fixesOf(find('coverage.request-mismatch'))[0]), edit(declarations, '    request: NewPet\n    responses:\n      "201": Pett', '    request: AdoptRequest\n    responses:\n      "201": Pett'));
});

test('yaml: with every fix applied the declarations are clean', async () => {
  const repaired = edit(
    edit(
      edit(edit(edit(declarations, 'readPett', 'readPet'), '    strict: "yes"\n', '    strict: true\n    responses:\n      "200": Owner\n'), '    request: NewPet\n    responses:\n      "201": Pett', '    request: AdoptRequest\n    responses:\n      "201": Pet'),
      '  - createPet\n  - listPets\n',
      '',
    ),
    '  - listOwners\n',
    '  - deletePet\n  - listOwners\n',
  );
  const { view, result } = await check(repaired);
  assert.deepEqual(view, []);
  assert.deepEqual(result.coverage!.totals, { operations: 7, typed: 4, raw: 3, undeclared: 0, strict: 2 });
});

test('yaml: project mode strict (from the declarations file) makes every raw operation a finding', async () => {
  const { view, find, fixed, fixesOf } = await check(edit(declarations, 'mode: typed-only', 'mode: strict'));
  assert.deepEqual(
    view.filter((v) => v.startsWith('coverage.strict-not-typed')),
    ['coverage.strict-not-typed contract-lens.coverage.yaml:23:5-23:13 listPets', 'coverage.strict-not-typed contract-lens.coverage.yaml:24:5-24:15 listOwners'],
  );
  const [typed] = fixesOf(find('coverage.strict-not-typed', 1));
  assert.equal(typed.isPreferred, true);
  // Declared typed in spec order (before readOwner), and taken out of the raw list.
  assert.equal(
    fixed(typed),
    edit(edit(edit(declarations, 'mode: typed-only', 'mode: strict'), '  - listOwners\n', ''), '  - operationId: readOwner\n', '  - operationId: listOwners\n    key: owners.list\n  - operationId: readOwner\n'),
  );
});

test('yaml: empty and missing lists are created where they belong', async () => {
  const empty = 'mode: typed-only\ntyped: []\nraw:\n';
  const a = await check(empty);
  assert.equal(a.view.length, 7);
  const listPets = a.coverage.find((f) => f.data?.operationId === 'listPets')!;
  const [typed, raw] = a.fixesOf(listPets);
  assert.equal(a.fixed(raw), 'mode: typed-only\ntyped: []\nraw:\n  - listPets\n');
  assert.equal(a.fixed(typed), 'mode: typed-only\ntyped:\n  - operationId: listPets\n    key: pets.list\n    responses:\n      "200": Pet\nraw:\n');
  const b = await check('# nothing yet\n');
  const [typedB, rawB] = b.fixesOf(b.coverage.find((f) => f.data?.operationId === 'adoptPet')!);
  assert.equal(b.fixed(rawB), '# nothing yet\nraw:\n  - adoptPet\n');
  assert.equal(b.fixed(typedB), '# nothing yet\ntyped:\n  - operationId: adoptPet\n    key: owners.adopt\n    request: AdoptRequest\n    responses:\n      "201": Pet\n');
  const flow = await check('typed: []\nraw: [listPets, createPet]\n');
  const [, rawFlow] = flow.fixesOf(flow.coverage.find((f) => f.data?.operationId === 'readPet')!);
  assert.equal(flow.fixed(rawFlow), 'typed: []\nraw: [listPets, createPet, readPet]\n');
});

test('yaml: responses as a list, raw entries as objects, a duplicate SDK key, a syntax error', async () => {
  const decl = 'typed:\n  - operationId: createPet\n    key: pets.create\n    request: NewPet\n    responses: [Pet, Error]\n  - operationId: readPet\n    key: pets.create\n    responses: [Pet]\nraw:\n  - {operationId: listPets, key: pets.list}\n  - deletePet\n  - listOwners\n  - readOwner\n  - adoptPet\n';
  const { view, result } = await check(decl);
  assert.deepEqual(view, ['coverage.duplicate-declaration contract-lens.coverage.yaml:7:10-7:21 pets.create']);
  assert.deepEqual(result.coverage!.totals, { operations: 7, typed: 2, raw: 5, undeclared: 0, strict: 0 });
  const broken = await check('typed:\n  - operationId: [createPet\nraw: listPets\n');
  assert.ok(broken.result.findings.some((f) => f.code === 'syntax.error' && f.span.file === DECL));
});

test('yaml: no declarations file yet: one finding at the config, every operation undeclared', async () => {
  const memory = new MemoryFileSystem({ 'contract-lens.yaml': 'spec: openapi.yaml\ncoverage:\n  source: yaml\n', 'openapi.yaml': read('openapi.yaml') });
  const engine = new ContractEngine({ fs: memory, logger: silentLogger });
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: '/project/contract-lens.yaml' });
  const f = result.findings.filter((x) => x.code.startsWith('coverage.'));
  assert.deepEqual(f.map((x) => `${x.code} ${result.lines(x.span.file).positionAt(x.span.start).line + 1}`), ['coverage.invalid-declaration 2']);
  assert.match(f[0].message, /create contract-lens\.coverage\.yaml/);
  assert.deepEqual(result.coverage!.totals, { operations: 7, typed: 0, raw: 0, undeclared: 7, strict: 0 });
});

test('yaml: lenses on the spec and on the declarations file, status bar, report', async () => {
  const { result } = await check();
  const c = result.coverage!;
  const at = (l: { span: { file: string; start: number } }) => result.lines(l.span.file).positionAt(l.span.start).line + 1;
  const specLenses = coverageLenses(c, '/project/openapi.yaml', result.lines, '/project');
  assert.deepEqual(
    specLenses.map((l) => `${at(l)} ${l.title}${l.command ? ` [${l.command.name}]` : ''}`),
    [
      '1 Typed coverage 3/7 (43 %) · strict 1 · raw 2 · undeclared 2 [showReport]',
      '7 raw [reveal]',
      '18 typed · pets.create · NewPet → Pet · strict [reveal]',
      '40 undeclared',
      '40 declare typed [applyEdits]',
      '40 declare raw [applyEdits]',
      '49 undeclared',
      '49 declare typed [applyEdits]',
      '49 declare raw [applyEdits]',
      '55 raw [reveal]',
      '70 typed · owners.read · no models [reveal]',
      '82 typed · owners.adopt · NewPet → Pett [reveal]',
    ],
  );
  // The key pets.read is taken (by the stale readPett), so the new one is spelt out.
  const declare = specLenses[4].command;
  assert.ok(declare && declare.name === 'applyEdits');
  assert.equal(applyEdits(declarations, declare.edits), edit(declarations, '  - operationId: readOwner\n', '  - operationId: readPet\n    key: pets.read_pet\n    responses:\n      "200": Pet\n  - operationId: readOwner\n'));
  const declLenses = coverageLenses(c, DECL, result.lines, '/project');
  assert.deepEqual(declLenses.map((l) => `${at(l)} ${l.title}`), [
    '4 POST /pets · openapi.yaml:19',
    '10 "readPett" is not in the spec',
    '14 GET /owners/{ownerId} · openapi.yaml:71',
    '17 POST /owners/{ownerId}/pets · openapi.yaml:83',
    '23 GET /pets · openapi.yaml:8',
    '24 GET /owners · openapi.yaml:56',
    '25 POST /pets · openapi.yaml:19',
    '26 GET /pets · openapi.yaml:8',
  ]);
  assert.deepEqual(coverageStatus(c), { text: 'Typed 3/7 (43 %)', tooltip: 'Typed coverage 3/7 (43 %) · strict 1 · raw 2 · undeclared 2 · mode typed-only — 2 operations not declared' });

  const report = buildCoverageReport([result], '/project');
  assert.deepEqual(report.totals, c.totals);
  assert.deepEqual(
    report.projects[0].byTag.map((r) => `${r.group} ${r.operations} ${r.typed}/${r.raw}/${r.undeclared} ${r.models.join(',')} ${r.modes.join(',')}`),
    ['pets 5 2/1/2 NewPet,Pet,Pett strict,typed-only', 'owners 3 2/1/0 NewPet,Pett typed-only'],
  );
  assert.equal(
    formatCoverageText(report),
    [
      'project · contract-lens.coverage.yaml (yaml) · mode typed-only',
      'Typed coverage 3/7 (43 %) · strict 1 · raw 2 · undeclared 2',
      '',
      'By tag',
      'tag     ops  typed  raw  undeclared  strict    coverage  mode                models',
      '------  ---  -----  ---  ----------  ------  ----------  ------------------  -----------------',
      'pets      5      2    1           2       1  2/5 (40 %)  strict, typed-only  NewPet, Pet, Pett',
      'owners    3      2    1           0       0  2/3 (67 %)  typed-only          NewPet, Pett',
      '',
      'By path',
      'path                    ops  typed  raw  undeclared  strict     coverage  mode        models',
      '----------------------  ---  -----  ---  ----------  ------  -----------  ----------  ------------',
      '/pets                     2      1    1           0       1   1/2 (50 %)  strict      NewPet, Pet',
      '/pets/{petId}             2      0    0           2       0    0/2 (0 %)  —           —',
      '/owners                   1      0    1           0       0    0/1 (0 %)  —           —',
      '/owners/{ownerId}         1      1    0           0       0  1/1 (100 %)  typed-only  —',
      '/owners/{ownerId}/pets    1      1    0           0       0  1/1 (100 %)  typed-only  NewPet, Pett',
      '',
      'Undeclared',
      '  GET /pets/{petId} (readPet) · openapi.yaml:40',
      '  DELETE /pets/{petId} (deletePet) · openapi.yaml:49',
      '',
    ].join('\n'),
  );
  const md = formatCoverageMarkdown(report);
  assert.match(md, /^# Typed coverage\n\n## project\n/);
  assert.ok(md.includes('```text\npets    ████████░░░░░░░░░░░░  2/5 (40 %)\nowners  █████████████░░░░░░░  2/3 (67 %)\ntotal   █████████░░░░░░░░░░░  3/7 (43 %)\n```'), md);
  assert.ok(md.includes('| `/pets/{petId}` | 2 | 0 | 0 | 2 | 0 | 0/2 (0 %) | — | — |'), md);
});

test('the declarations schema validates the fixture (after its deliberate type error is fixed) and rejects unknown keys', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schemas/declarations.schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(schema);
  assert.equal(validate(YAML.parse(declarations.replace('strict: "yes"', 'strict: true'))), true, JSON.stringify(validate.errors));
  assert.equal(validate(YAML.parse(declarations)), false);
  assert.equal(validate({ typed: [{ operationId: 'a', responses: { '2OO': 'X' } }] }), false);
  assert.equal(validate({ typo: [] }), false);
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  assert.ok(pkg.contributes.yamlValidation.some((v: { fileMatch: string | string[]; url: string }) => v.url === './schemas/declarations.schema.json' && ([] as string[]).concat(v.fileMatch).includes('contract-lens.coverage.yaml')));
});

test('yaml: a missing request model is inserted after the key; a request model without a body is removed', async () => {
  const decl = 'typed:\n  - operationId: createPet\n    key: pets.create\n    responses: {"201": Pet}\n  - operationId: readPet\n    key: pets.read\n    request: NewPet\n    responses: {"200": Pet}\nraw: [listPets, deletePet, listOwners, readOwner, adoptPet]\n';
  const { view, find, fixed, fixesOf } = await check(decl);
  assert.deepEqual(view, ['coverage.request-mismatch contract-lens.coverage.yaml:2:18-2:27 createPet', 'coverage.request-mismatch contract-lens.coverage.yaml:7:14-7:20 NewPet']);
  assert.equal(fixed(fixesOf(find('coverage.request-mismatch', 0))[0]), edit(decl, '    key: pets.create\n', '    key: pets.create\n    request: NewPet\n'));
  const [remove] = fixesOf(find('coverage.request-mismatch', 1));
  assert.equal(remove.title, 'Remove the request model');
  assert.equal(fixed(remove), edit(decl, '    request: NewPet\n    responses: {"200": Pet}', '    responses: {"200": Pet}'));
});

test('yaml: a response added to a flow mapping and to a list', async () => {
  const decl = 'typed:\n  - operationId: createPet\n    key: pets.create\n    request: NewPet\n    responses: {"400": Error}\n  - operationId: readPet\n    key: pets.read\n    responses:\n      - Error\nraw: [listPets, deletePet, listOwners, readOwner, adoptPet]\n';
  const { view, find, fixed, fixesOf } = await check(decl);
  assert.deepEqual(view, ['coverage.uncovered-response contract-lens.coverage.yaml:5:16-5:30 {"400": Error}', 'coverage.uncovered-response contract-lens.coverage.yaml:9:7-9:14 - Error']);
  assert.equal(fixed(fixesOf(find('coverage.uncovered-response', 0))[0]), edit(decl, '{"400": Error}', '{"400": Error, "201": Pet}'));
  assert.equal(fixed(fixesOf(find('coverage.uncovered-response', 1))[0]), edit(decl, '      - Error\n', '      - Error\n      - Pet\n'));
});
