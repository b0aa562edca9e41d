import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ContractEngine, silentLogger, type CheckResult, type ProjectRef } from '../../server/src/engine/index';
import { Navigator, completionsAt, type CompletionEntry } from '../../server/src/engine/navigation/index';
import { refKindOf } from '../../server/src/engine/navigation/completion';
import { MemoryFileSystem } from '../helpers/memoryFs';

/**
 * Completion at the `|` of a file's text (the text is what the editor holds, unsaved), answered
 * from the result of checking the project as it was before the edit.
 */
async function completeAt(files: Record<string, string>, file: string, withCursor: string, ref: ProjectRef = { kind: 'spec', specFile: '/project/openapi.yaml', root: '/project' }): Promise<CompletionEntry[] & { text: string }> {
  const fs = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs, logger: silentLogger });
  await engine.init();
  const results: CheckResult[] = [engine.check(ref)];
  const offset = withCursor.indexOf('|');
  const text = withCursor.replace('|', '');
  fs.files.set(`/project/${file}`, text);
  const view = new Navigator(engine).view(results, `/project/${file}`);
  return Object.assign(completionsAt(view, offset), { text });
}

/** The text after accepting an entry (snippet tab stops kept as written). */
function accept(text: string, e: CompletionEntry): string {
  return text.slice(0, e.replace.start) + e.insertText + text.slice(e.replace.end);
}

test('the kind of component a $ref expects, from where it sits', () => {
  const cases: [(string | number)[], string | undefined][] = [
    [['paths', '/a', 'get', 'responses', '200', 'content', 'application/json', 'schema'], 'schemas'],
    [['components', 'schemas', 'Pet', 'properties', 'owner'], 'schemas'],
    [['components', 'schemas', 'Pet', 'allOf', 0], 'schemas'],
    [['components', 'schemas', 'Pet', 'items'], 'schemas'],
    [['paths', '/a', 'get', 'parameters', 1], 'parameters'],
    [['paths', '/a', 'parameters', -1], 'parameters'],
    [['paths', '/a', 'post', 'requestBody'], 'requestBodies'],
    [['paths', '/a', 'get', 'responses', 'default'], 'responses'],
    [['paths', '/a', 'get', 'responses', '200', 'headers', 'X-Rate'], 'headers'],
    [['paths', '/a'], 'pathItems'],
    [['components', 'responses', 'Problem'], 'responses'],
    [['info'], undefined],
  ];
  for (const [path, kind] of cases) assert.equal(refKindOf(path), kind, path.join('/'));
});

const root = [
  'openapi: 3.0.3',
  'info: {title: t, version: "1"}',
  'paths:',
  '  /pets/{petId}:',
  '    get:',
  '      operationId: showPet',
  '      parameters:',
  "        - $ref: '#/components/parameters/PetId'",
  '      responses:',
  "        '200':",
  '          description: ok',
  '          content:',
  '            application/json:',
  "              schema: {$ref: './schemas.yaml#/Pet'}",
  'components:',
  '  parameters:',
  '    PetId: {name: petId, in: path, required: true, schema: {type: string}}',
  '  schemas:',
  '    Local: {type: string}',
  '',
].join('\n');
const schemas = 'Pet:\n  type: object\n  properties:\n    id: {type: string}\nLimit:\n  name: limit\n  in: query\n';

test('$ref values: the components of the expected kind in this file and in the other files of the spec, quoted for the place', async () => {
  const files = { 'openapi.yaml': root, 'schemas.yaml': schemas, 'paths/extra.yaml': 'get:\n  responses: {}\n' };
  const inSchema = await completeAt(files, 'openapi.yaml', root.replace('    Local: {type: string}\n', '    Local: {type: string}\n    Alias:\n      $ref: |\n'));
  assert.deepEqual(
    inSchema.map((e) => `${e.label} ${e.kind} ${e.detail}`),
    ['#/components/schemas/Local reference schema', './schemas.yaml#/Pet reference schema · schemas.yaml', './paths/extra.yaml file file'],
  );
  // YAML would read an unquoted "#/..." as a comment: the inserted value is quoted.
  assert.match(accept(inSchema.text, inSchema[1]), /\n {6}\$ref: '\.\/schemas\.yaml#\/Pet'\n/);
  assert.equal(inSchema[1].filterText, './schemas.yaml#/Pet');
  const inParameters = await completeAt(files, 'openapi.yaml', root.replace("- $ref: '#/components/parameters/PetId'", "- $ref: '#/|'"));
  assert.deepEqual(inParameters.map((e) => e.label), ['#/components/parameters/PetId', './schemas.yaml#/Limit']);
  assert.equal(inParameters[0].filterText, "'#/components/parameters/PetId");
  assert.equal(accept(inParameters.text, inParameters[0]), root);
});

test('$ref values in JSON are JSON strings', async () => {
  const spec = JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/B' } } } } } } } }, components: { schemas: { A: { type: 'string' }, B: { type: 'object' } } } }, null, 2);
  const entries = await completeAt({ 'openapi.json': spec }, 'openapi.json', spec.replace('"#/components/schemas/B"', '"#/|"'), { kind: 'spec', specFile: '/project/openapi.json', root: '/project' });
  assert.deepEqual(entries.map((e) => [e.label, e.insertText, e.documentation]), [
    ['#/components/schemas/A', '"#/components/schemas/A"', '`string`'],
    ['#/components/schemas/B', '"#/components/schemas/B"', '`object`'],
  ]);
  assert.equal(accept(entries.text, entries[1]), spec);
});

test('status codes in a responses mapping, without the ones already there', async () => {
  const entries = await completeAt({ 'openapi.yaml': root }, 'openapi.yaml', root.replace("#/Pet'}\n", "#/Pet'}\n        '20|'\n"));
  assert.ok(!entries.some((e) => e.label === '200'));
  const created = entries.find((e) => e.label === '201')!;
  assert.deepEqual([created.kind, created.detail, created.insertText, created.snippet], ['status', 'Created', "'201':\n  description: ${1:Created}", true]);
  assert.equal(created.filterText, "'201");
});

test('snippets: a new operation (operationId from method and path, the path parameters, a response), a new path, a new component', async () => {
  const item = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /pets/{petId}:\n    get:\n      operationId: showPet\n      responses: {\'200\': {description: ok}}\n';
  const ops = await completeAt({ 'openapi.yaml': item }, 'openapi.yaml', item + '    |\n');
  assert.deepEqual(ops.map((e) => e.label), ['post', 'put', 'patch', 'delete']);
  assert.equal(
    ops.find((e) => e.label === 'delete')!.insertText,
    ['delete:', '  operationId: ${1:deletePetsByPetId}', '  summary: ${2:DELETE /pets/{petId\\}}', '  parameters:', '    - name: petId', '      in: path', '      required: true', '      schema:', '        type: string', '  responses:', "    '200':", '      description: ${4:OK}'].join('\n'),
  );
  const paths = await completeAt({ 'openapi.yaml': item }, 'openapi.yaml', item.replace('  /pets/{petId}:', '  |\n  /pets/{petId}:'));
  assert.deepEqual(paths.map((e) => [e.label, e.kind]), [['/path', 'snippet']]);
  assert.match(paths[0].insertText, /^\$\{1:\/resources\}:\n {2}get:\n {4}operationId: \$\{2:getResources\}/);
  const withComponents = item + 'components:\n  schemas:\n    NewSchema: {type: string}\n';
  const component = await completeAt({ 'openapi.yaml': withComponents }, 'openapi.yaml', withComponents + '    |\n');
  assert.deepEqual(component.map((e) => e.label), ['NewSchema2']);
  assert.equal(component[0].insertText, ['${1:NewSchema2}:', '  type: object', '  required:', '    - ${2:id}', '  properties:', '    id:', '      type: ${3:string}'].join('\n'));
  const id = await completeAt({ 'openapi.yaml': item }, 'openapi.yaml', item.replace('operationId: showPet', 'operationId: |'));
  assert.deepEqual(id.map((e) => e.label), ['getPetsByPetId']);
});

const declared = {
  'contract-lens.yaml': 'spec: openapi.yaml\ncoverage:\n  source: yaml\n  file: contract-lens.coverage.yaml\n',
  'openapi.yaml': [
    'openapi: 3.0.3',
    'info: {title: t, version: "1"}',
    'paths:',
    '  /pets:',
    '    get:',
    '      operationId: listPets',
    '      tags: [pets]',
    "      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}}",
    '    post:',
    '      operationId: createPet',
    '      tags: [pets]',
    "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}",
    "      responses: {'201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}",
    'components:',
    '  schemas:',
    '    Pet: {type: object}',
    '    NewPet: {type: object}',
    '',
  ].join('\n'),
  'contract-lens.coverage.yaml': 'typed:\n  - operationId: createPet\n    key: pets.create\nraw:\n  - listPets\n',
};
const config: ProjectRef = { kind: 'config', configFile: '/project/contract-lens.yaml' };

test('declarations file: operationIds (undeclared first), the SDK key for the entry, the models the spec documents for it', async () => {
  const base = declared['contract-lens.coverage.yaml'];
  const ids = await completeAt(declared, 'contract-lens.coverage.yaml', base.replace('  - listPets\n', '  - listPets\n  - |\n'), config);
  assert.deepEqual(ids.map((e) => `${e.label} ${e.detail} ${e.sortText}`), ['listPets GET /pets · raw 1listPets', 'createPet POST /pets · typed 2createPet']);
  const keys = await completeAt(declared, 'contract-lens.coverage.yaml', base.replace('key: pets.create', 'key: p|'), config);
  assert.deepEqual(keys.map((e) => e.label), ['pets.create']);
  const models = await completeAt(declared, 'contract-lens.coverage.yaml', base.replace('key: pets.create', 'key: pets.create\n    request: |'), config);
  assert.deepEqual(models.map((e) => `${e.label} ${e.detail}`), ['NewPet request body of createPet', 'Pet 201 response of createPet']);
  const responses = await completeAt(declared, 'contract-lens.coverage.yaml', base.replace('key: pets.create', 'key: pets.create\n    responses:\n      "201": P|'), config);
  assert.deepEqual(responses.map((e) => e.label), ['NewPet', 'Pet']);
});

test('Python contracts module: operationIds in operation_id="..." and in the sets, SDK keys in operation_key and dict keys, models in request_model', async () => {
  const module = [
    'TYPED_OPERATIONS = {',
    '    "pets.create": TypedOperationContract(',
    '        operation_key="pets.create",',
    '        operation_id="createPet",',
    '        request_model=NewPet,',
    '        response_models=(Pet,),',
    '    ),',
    '}',
    'ALL_OPERATION_IDS = {"listPets", "createPet"}',
    'RAW_OPERATION_IDS = ALL_OPERATION_IDS - {c.operation_id for c in TYPED_OPERATIONS.values()}',
    '',
  ].join('\n');
  const files = { ...declared, 'contract-lens.yaml': 'spec: openapi.yaml\ncoverage:\n  source: python\n  file: sdk/contracts.py\n', 'sdk/contracts.py': module };
  const id = await completeAt(files, 'sdk/contracts.py', module.replace('operation_id="createPet"', 'operation_id="cr|"'), config);
  assert.deepEqual(id.map((e) => e.label), ['listPets', 'createPet']);
  // Inside the quotes: the content is replaced, the quotes stay.
  assert.equal(accept(id.text, id[1]), module);
  const inSet = await completeAt(files, 'sdk/contracts.py', module.replace('{"listPets", "createPet"}', '{"listPets", "createPet", "|"}'), config);
  assert.deepEqual(inSet.map((e) => e.label), ['listPets', 'createPet']);
  const key = await completeAt(files, 'sdk/contracts.py', module.replace('operation_key="pets.create"', 'operation_key="|"'), config);
  assert.deepEqual(key.map((e) => e.label), ['pets.create']);
  const dictKey = await completeAt(files, 'sdk/contracts.py', module.replace('"pets.create": Typed', '"|": Typed'), config);
  assert.deepEqual(dictKey.map((e) => e.label), ['pets.create']);
  const model = await completeAt(files, 'sdk/contracts.py', module.replace('request_model=NewPet', 'request_model=Ne|'), config);
  assert.deepEqual(model.map((e) => e.label), ['NewPet', 'Pet']);
  assert.equal(accept(model.text, model[0]), module);
  const elsewhere = await completeAt(files, 'sdk/contracts.py', module.replace('TYPED_OPERATIONS = {', 'x = "|"\nTYPED_OPERATIONS = {'), config);
  assert.deepEqual([...elsewhere], []);
});
