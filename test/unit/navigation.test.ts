import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, nodeHost, silentLogger, type CheckResult, type Span } from '../../server/src/engine/index';
import { applyEdits, type TextEdit } from '../../server/src/engine/edits';
import { Navigator, definitionAt, referencesAt, prepareRenameAt, renameAt, hoverAt, documentSymbols, deleteComponentEdit } from '../../server/src/engine/navigation/index';
import { cursorContext, useAt, within } from '../../server/src/engine/navigation/locate';
import { refUse, type Use } from '../../server/src/engine/spec/components';
import { parseText } from '../../server/src/engine/parse/document';
import { MemoryFileSystem } from '../helpers/memoryFs';

/** An in-memory project: check it once, then ask navigation questions at `marker` (first occurrence, plus `delta`). */
function project(files: Record<string, string>, spec = 'openapi.yaml') {
  const fs = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs, logger: silentLogger });
  let results: CheckResult[] = [engine.check({ kind: 'spec', specFile: `/project/${spec}`, root: '/project' })];
  const navigator = new Navigator(engine);
  const at = (file: string, marker: string, delta = 0) => {
    const path = `/project/${file}`;
    const text = fs.readFile(path)!;
    const offset = text.indexOf(marker);
    assert.ok(offset >= 0, `marker ${marker} in ${file}`);
    return { view: navigator.view(results.filter((r) => r.dependencies.has(path)), path), offset: offset + delta };
  };
  /** `file:line:col-line:col "text"`, 1-based, for exact assertions. */
  const show = (s: Span) => {
    const text = fs.readFile(s.file)!;
    const r = results[0].lines(s.file).range(s.start, s.end);
    return `${s.file.replace('/project/', '')}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${JSON.stringify(text.slice(s.start, s.end))}`;
  };
  const apply = (edits: TextEdit[]) => {
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [file, list] of byFile) fs.files.set(file, applyEdits(fs.readFile(file)!, list));
  };
  const recheck = () => (results = [engine.check({ kind: 'spec', specFile: `/project/${spec}`, root: '/project' })]);
  return { fs, engine, at, show, apply, recheck, get results() { return results; } };
}

const split = {
  'openapi.yaml': [
    'openapi: 3.0.3',
    'info: {title: Kennel, version: "1"}',
    'paths:',
    '  /pets:',
    '    get:',
    '      operationId: listPets',
    '      responses:',
    "        '200':",
    '          description: ok',
    '          content:',
    '            application/json:',
    "              schema: {type: array, items: {$ref: './schemas.yaml#/Pet'}}",
    '        default:',
    "          $ref: '#/components/responses/Problem'",
    '  /pets/{petId}:',
    "    $ref: './paths/pet.yaml'",
    'components:',
    '  parameters:',
    '    PetId: {name: petId, in: path, required: true, schema: {type: string}}',
    '  responses:',
    '    Problem:',
    '      description: Something went wrong',
    '      content:',
    "        application/json: {schema: {$ref: './schemas.yaml#/Error'}}",
    '',
  ].join('\n'),
  'paths/pet.yaml': [
    'parameters:',
    "  - $ref: '../openapi.yaml#/components/parameters/PetId'",
    'get:',
    '  operationId: showPet',
    '  responses:',
    "    '200':",
    '      description: ok',
    "      content: {application/json: {schema: {$ref: '../schemas.yaml#/Pet'}}}",
    '',
  ].join('\n'),
  'schemas.yaml': [
    'Pet:',
    '  type: object',
    '  description: A pet.',
    '  required: [id, name]',
    '  properties:',
    '    id: {type: string, format: uuid}',
    '    name: {type: string}',
    '    owner: {description: "Besitzer – 飼い主 🐾", $ref: \'#/Owner\'}',
    '    ownerEmail: {$ref: \'#/Owner/properties/email\'}',
    'Owner:',
    '  type: object',
    '  properties:',
    '    email: {type: string, format: email}',
    'Error:',
    '  type: object',
    '  properties:',
    '    message: {type: string}',
    '',
  ].join('\n'),
};

test('definition: a $ref to another file, a pointer back into the root, and a local pointer on a line with non-ASCII text (UTF-16 columns)', () => {
  const p = project(split);
  const [toPet] = definitionAt(...args(p.at('openapi.yaml', "'./schemas.yaml#/Pet'", 5)));
  assert.equal(p.show(toPet.origin!), 'openapi.yaml:12:51-12:72 "\'./schemas.yaml#/Pet\'"');
  assert.equal(p.show(toPet.selection), 'schemas.yaml:1:1-1:4 "Pet"');
  assert.match(p.show(toPet.target), /^schemas\.yaml:1:1-9:51 /);
  const [toParam] = definitionAt(...args(p.at('paths/pet.yaml', 'PetId')));
  assert.equal(p.show(toParam.selection), 'openapi.yaml:19:5-19:10 "PetId"');
  const [toOwner] = definitionAt(...args(p.at('schemas.yaml', "'#/Owner'", 1)));
  // "Besitzer – 飼い主 🐾" is 17 UTF-16 code units, 16 code points, 27 UTF-8 bytes: the column (53) is UTF-16.
  assert.equal(p.show(toOwner.origin!), 'schemas.yaml:8:53-8:62 "\'#/Owner\'"');
  assert.equal(p.show(toOwner.selection), 'schemas.yaml:10:1-10:6 "Owner"');
  // A `default` response is a status, not a default value: its $ref is followed too.
  const [toProblem] = definitionAt(...args(p.at('openapi.yaml', 'responses/Problem')));
  assert.equal(p.show(toProblem.selection), 'openapi.yaml:21:5-21:12 "Problem"');
});

function args(a: { view: Parameters<typeof definitionAt>[0]; offset: number }): [Parameters<typeof definitionAt>[0], number] {
  return [a.view, a.offset];
}

test('references: every $ref to a component across the three files, from its key or from any $ref to it', () => {
  const p = project(split);
  const fromKey = referencesAt(...args(p.at('schemas.yaml', 'Pet:')), true)!.map(p.show);
  assert.deepEqual(fromKey, [
    'schemas.yaml:1:1-1:4 "Pet"',
    'openapi.yaml:12:51-12:72 "\'./schemas.yaml#/Pet\'"',
    'paths/pet.yaml:8:51-8:73 "\'../schemas.yaml#/Pet\'"',
  ]);
  const fromRef = referencesAt(...args(p.at('paths/pet.yaml', 'schemas.yaml#/Pet')), false)!.map(p.show);
  assert.deepEqual(fromRef, fromKey.slice(1));
  // A pointer into a component (…/Owner/properties/email) is not a reference of the component itself.
  assert.deepEqual(referencesAt(...args(p.at('schemas.yaml', 'Owner:')), false)!.map(p.show), ['schemas.yaml:8:53-8:62 "\'#/Owner\'"']);
  assert.equal(referencesAt(...args(p.at('openapi.yaml', 'listPets')), false), undefined);
});

test('rename: the key and every $ref to it or into it change in one edit; re-checked, nothing is unresolved', () => {
  const p = project(split);
  const prepared = prepareRenameAt(...args(p.at('paths/pet.yaml', 'schemas.yaml#/Pet', 14)));
  assert.ok(!('error' in prepared));
  assert.equal(p.show(prepared.span), 'paths/pet.yaml:8:69-8:72 "Pet"');
  assert.equal(prepared.placeholder, 'Pet');
  const owner = renameAt(...args(p.at('schemas.yaml', 'Owner:')), 'Person');
  assert.ok(!('error' in owner));
  assert.deepEqual(owner.edits.map((e) => `${p.show(e)} → ${e.newText}`), [
    'schemas.yaml:10:1-10:6 "Owner" → Person',
    'schemas.yaml:8:56-8:61 "Owner" → Person',
    'schemas.yaml:9:27-9:32 "Owner" → Person',
  ]);
  p.apply(owner.edits);
  p.recheck();
  assert.deepEqual(p.results[0].findings.filter((f) => f.code.startsWith('ref.')), []);
  assert.match(p.fs.readFile('/project/schemas.yaml')!, /\$ref: '#\/Person\/properties\/email'/);
});

test('rename is refused with a message: a name already taken, an invalid name, something that is not a component', () => {
  const p = project(split);
  const taken = renameAt(...args(p.at('schemas.yaml', 'Pet:')), 'Owner');
  assert.deepEqual(taken, { error: 'Cannot rename schema "Pet" to "Owner": schemas.yaml already has "Owner" (schemas.yaml:10).' });
  const inRoot = renameAt(...args(p.at('openapi.yaml', 'Problem:')), 'PetId');
  assert.ok(!('error' in inRoot), 'another section may have the same name');
  const invalid = renameAt(...args(p.at('schemas.yaml', 'Pet:')), 'My Pet');
  assert.match((invalid as { error: string }).error, /"My Pet" is not a valid component name/);
  assert.match((prepareRenameAt(...args(p.at('openapi.yaml', 'listPets'))) as { error: string }).error, /^Only components can be renamed/);
});

test('rename in JSON: escaped and percent-encoded references, discriminator mappings, a quoted key', () => {
  const spec = {
    openapi: '3.1.0',
    info: { title: 'x', version: '1' },
    paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } } } } },
    components: {
      schemas: {
        Pet: { oneOf: [{ $ref: '#/components/schemas/Cat' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', tabby: 'Cat' } } },
        Cat: { type: 'object', properties: { kind: { type: 'string' } } },
        Kitten: { $ref: '#/components/schemas/C%61t' },
      },
    },
  };
  const text = JSON.stringify(spec, null, 2).replace('"#/components/schemas/C%61t"', '"#\\/components\\/schemas\\/C%61t"');
  const p = project({ 'openapi.json': text }, 'openapi.json');
  const r = renameAt(...args(p.at('openapi.json', '"Cat": {')), 'Feline');
  assert.ok(!('error' in r));
  p.apply(r.edits);
  const after = JSON.parse(p.fs.readFile('/project/openapi.json')!);
  assert.deepEqual(Object.keys(after.components.schemas), ['Pet', 'Feline', 'Kitten']);
  assert.deepEqual(after.components.schemas.Pet.oneOf, [{ $ref: '#/components/schemas/Feline' }]);
  assert.deepEqual(after.components.schemas.Pet.discriminator.mapping, { cat: '#/components/schemas/Feline', tabby: 'Feline' });
  assert.equal(after.components.schemas.Kitten.$ref, '#/components/schemas/Feline');
  p.recheck();
  assert.deepEqual(p.results[0].findings.filter((f) => f.code.startsWith('ref.')).map((f) => f.message), []);
});

test('navigation follows unsaved edits: positions come from the current text, not from the last check', () => {
  const p = project(split);
  // Two lines inserted above Owner, not yet checked.
  p.fs.files.set('/project/schemas.yaml', '# a comment\n# another\n' + p.fs.readFile('/project/schemas.yaml')!);
  const [toOwner] = definitionAt(...args(p.at('schemas.yaml', "'#/Owner'", 1)));
  const text = p.fs.readFile('/project/schemas.yaml')!;
  assert.equal(toOwner.selection.start, text.indexOf('Owner:'));
  assert.equal(toOwner.origin!.start, text.indexOf("'#/Owner'"));
});

test('hover on a $ref: what the target is, its type, required properties and description', () => {
  const p = project(split);
  const pet = hoverAt(...args(p.at('openapi.yaml', './schemas.yaml#/Pet')))!;
  assert.equal(pet.markdown, [
    '**Pet** · schema · `schemas.yaml`',
    '',
    '`object`',
    '',
    'Required: `id`, `name`',
    '',
    '- `id`\\*: string (uuid)',
    '- `name`\\*: string',
    '- `owner`: Owner',
    '- `ownerEmail`: email',
    '',
    'A pet.',
  ].join('\n'));
  assert.equal(hoverAt(...args(p.at('paths/pet.yaml', 'PetId')))!.markdown, '**PetId** · parameter · `openapi.yaml`\n\n`petId` in path, required: `string`');
  assert.equal(hoverAt(...args(p.at('openapi.yaml', 'responses/Problem')))!.markdown, "**Problem** · response\n\n- `application/json`: `Error`\n\nSomething went wrong");
  const op = hoverAt(...args(p.at('openapi.yaml', 'get:')))!;
  assert.match(op.markdown, /^\*\*GET\*\* `\/pets`\noperationId `listPets`/);
});

test('unused components: a hint at the key; used through a mapping, a pointer inside it or another file is used; recursion alone is not use', () => {
  const p = project({
    'openapi.yaml': [
      'openapi: 3.1.0',
      'info: {title: x, version: "1"}',
      'paths:',
      '  /a:',
      '    get:',
      '      operationId: a',
      '      responses:',
      "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}",
      'components:',
      '  securitySchemes:',
      '    bearer: {type: http, scheme: bearer}',
      '  schemas:',
      "    Pet: {oneOf: [{$ref: '#/components/schemas/Cat/properties/x'}], discriminator: {propertyName: k, mapping: {d: Dog}}}",
      '    Cat: {type: object, properties: {x: {type: string}}}',
      '    Dog: {type: object}',
      "    Tree: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/Tree'}}}}",
      '    Unused: {type: string}',
      '  parameters:',
      '    Limit: {name: limit, in: query, schema: {type: integer}}',
      '',
    ].join('\n'),
  });
  const hints = p.results[0].findings.filter((f) => f.code === 'spec.unused-component');
  assert.deepEqual(hints.map((f) => `${p.show(f.span)} ${f.severity} ${f.message}`), [
    'openapi.yaml:16:5-16:9 "Tree" hint Schema "Tree" is not used: no $ref points at #/components/schemas/Tree.',
    'openapi.yaml:17:5-17:11 "Unused" hint Schema "Unused" is not used: no $ref points at #/components/schemas/Unused.',
    'openapi.yaml:19:5-19:10 "Limit" hint Parameter "Limit" is not used: no $ref points at #/components/parameters/Limit.',
  ]);
  assert.deepEqual(hints[2].data, { kind: 'parameters', name: 'Limit', pointer: '/components/parameters/Limit' });
  // The quick fix deletes the component; deleting the last parameter leaves an empty mapping.
  const doc = p.engine.readDocument('/project/openapi.yaml');
  assert.ok(!('error' in doc));
  p.apply([deleteComponentEdit(doc, '/components/schemas/Unused')!]);
  p.apply([deleteComponentEdit(p.engine.parse('/project/openapi.yaml', p.fs.readFile('/project/openapi.yaml')!), '/components/parameters/Limit')!]);
  assert.match(p.fs.readFile('/project/openapi.yaml')!, /\n {4}Tree: .*\n {2}parameters:\n {4}\{\}\n$/);
  p.recheck();
  assert.deepEqual(p.results[0].findings.map((f) => `${f.code} ${f.data?.name ?? ''}`), ['spec.unused-component Tree']);
});

test('a spec without operations is a library of components: nothing is reported unused', () => {
  const p = project({ 'openapi.yaml': 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n' });
  assert.deepEqual(p.results[0].findings, []);
});

test('outline: paths with operations (method and operationId), components by section; a path item file; a definitions file', () => {
  const p = project(split);
  const outline = (file: string, isRoot: boolean) => {
    const doc = p.engine.readDocument(`/project/${file}`);
    assert.ok(!('error' in doc));
    const lines: string[] = [];
    const walk = (list: ReturnType<typeof documentSymbols>, depth: number) => {
      for (const s of list ?? []) {
        lines.push(`${'  '.repeat(depth)}${s.kind} ${s.name}${s.detail ? ` (${s.detail})` : ''} ${p.show(s.selection).split(' ')[0]}`);
        walk(s.children, depth + 1);
      }
    };
    walk(documentSymbols(doc, isRoot, true), 0);
    return lines;
  };
  assert.deepEqual(outline('openapi.yaml', true), [
    'paths paths (2) openapi.yaml:3:1-3:6',
    '  path /pets openapi.yaml:4:3-4:8',
    '    operation GET listPets openapi.yaml:5:5-5:8',
    '  path /pets/{petId} (→ ./paths/pet.yaml) openapi.yaml:15:3-15:16',
    'components components openapi.yaml:17:1-17:11',
    '  section parameters (1) openapi.yaml:18:3-18:13',
    '    parameters PetId openapi.yaml:19:5-19:10',
    '  section responses (1) openapi.yaml:20:3-20:12',
    '    responses Problem openapi.yaml:21:5-21:12',
  ]);
  assert.deepEqual(outline('paths/pet.yaml', false), ['operation GET showPet paths/pet.yaml:3:1-3:4']);
  assert.deepEqual(outline('schemas.yaml', false), ['schemas Pet (object) schemas.yaml:1:1-1:4', 'schemas Owner (object) schemas.yaml:10:1-10:6', 'schemas Error (object) schemas.yaml:14:1-14:6']);
  // A YAML file outside any spec has no outline of ours.
  assert.equal(documentSymbols(parseText('/project/contract-lens.yaml', 'spec: openapi.yaml\n'), false, false), undefined);
});

test('cursor context from the text around the cursor, even on a half-typed line', () => {
  const yaml = (text: string) => {
    const offset = text.indexOf('|');
    const ctx = cursorContext(parseText('/p/a.yaml', text.replace('|', '')), offset)!;
    return `${ctx.path.join('/')} ${ctx.at} ${JSON.stringify(ctx.prefix)}${ctx.quote ? ` ${ctx.quote}` : ''}`;
  };
  assert.equal(yaml("paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                $ref: '#/comp|'\n"), "paths//a/get/responses/200/content/application/json/schema/$ref value \"#/comp\" '");
  assert.equal(yaml('paths:\n  /a:\n    parameters:\n      - name: x\n        in: query\n      - $ref: |\n'), 'paths//a/parameters/-1/$ref value ""');
  assert.equal(yaml("paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '4|\n"), "paths//a/get/responses key \"4\" '");
  assert.equal(yaml('raw:\n- listPets\n- cre|\n'), 'raw/-1 item "cre"');
  assert.equal(yaml('typed:\n  - operationId: a\n    key: |\n'), 'typed/-1/key value ""');
  // JSON goes through jsonc-parser's scanner.
  const json = '{"paths": {"/a": {"get": {"requestBody": {"$ref": "#/c"}}}}}';
  const ctx = cursorContext(parseText('/p/a.json', json), json.indexOf('#/c') + 3)!;
  assert.deepEqual([ctx.path, ctx.at, ctx.prefix, ctx.quote], [['paths', '/a', 'get', 'requestBody', '$ref'], 'value', '#/c', '"']);
});

/**
 * What useAt found before it searched the path to the cursor, at each of `offsets`: the first
 * reference (of any spec, in the graph's order) whose value holds the offset, ends included.
 */
function scannedRefs(view: ReturnType<Navigator['view']>, offsets: number[]): Map<number, Use> {
  const sorted = [...offsets].sort((a, b) => a - b);
  const found = new Map<number, Use>();
  for (const spec of view.specs) {
    for (const site of spec.graph.refs) {
      if (site.file !== view.file || site.valueNode.kind !== 'scalar' || typeof site.valueNode.value !== 'string') continue;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < site.valueNode.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < sorted.length && within(sorted[i], site.valueNode); i++) if (!found.has(sorted[i])) found.set(sorted[i], refUse(site));
    }
  }
  return found;
}

/** Every reference's edges and inside, the characters around them, and random offsets: the use found by the path equals the scan's. */
function assertSameRefsAsScan(view: ReturnType<Navigator['view']>, text: string, random: number): number {
  const offsets = new Set<number>();
  for (const spec of view.specs) {
    for (const site of spec.graph.refs) {
      if (site.file !== view.file) continue;
      for (const d of [-2, -1, 0, 1]) offsets.add(site.valueNode.start + d);
      for (const d of [-1, 0, 1, 2]) offsets.add(site.valueNode.end + d);
    }
  }
  let seed = 7;
  for (let i = 0; i < random; i++) offsets.add((seed = (seed * 1103515245 + 12345) % 2 ** 31) % (text.length + 1));
  const valid = [...offsets].filter((o) => o >= 0 && o <= text.length);
  const scanned = scannedRefs(view, valid);
  for (const offset of valid) {
    const expected = scanned.get(offset);
    const found = useAt(view, offset);
    if (expected) assert.deepEqual(found?.use, expected, `offset ${offset} of ${view.file}`);
    else assert.notEqual(found?.use.kind, '$ref', `offset ${offset} of ${view.file}: no reference holds it`);
  }
  return scanned.size;
}

test('the reference under the cursor is found by the path to it, as a scan of every reference finds it: GitHub description (JSON), a split YAML spec', () => {
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const engine = new ContractEngine(nodeHost(silentLogger));
  const result = engine.check({ kind: 'spec', specFile: file, root: path.dirname(file) });
  const navigator = new Navigator(engine);
  const text = nodeFs.readFileSync(file, 'utf8');
  const refs = assertSameRefsAsScan(navigator.view([result], file), text, 20_000);
  assert.ok(refs > 10_000, `${refs} offsets inside references`);
  const p = project(split);
  let small = 0;
  for (const name of Object.keys(split)) small += assertSameRefsAsScan(p.at(name, '').view, p.fs.readFile(`/project/${name}`)!, 2_000);
  assert.ok(small > 20, `${small} offsets inside references of the split spec`);
});
