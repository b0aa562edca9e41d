import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContractEngine, nodeHost, silentLogger, type CheckResult, type Finding } from '../../server/src/engine/index';
import { applyEdits } from '../../server/src/engine/edits';
import { parseText } from '../../server/src/engine/parse/document';
import { qualityFixes, qualityInput, qualityJob, runQuality, runQualityJob } from '../../server/src/engine/quality/index';
import { MemoryFileSystem } from '../helpers/memoryFs';
import { applyRepairs, copyExample, repo } from '../helpers/examples';

// The fixture: typed operations (contract-lens.coverage.yaml) with one break per rule, a raw
// operation with the same kinds of problems (not reported), and a loose schema reached through
// two $refs in another file (openapi.yaml NewPet → schemas/pets.yaml NewPet → Loose).
const fixtureDir = path.join(repo, 'test/fixtures/quality');

function readTree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) Object.assign(out, readTree(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

const yamlFiles = readTree(fixtureDir);

/** The same project in JSON: every spec file converted (2-space JSON), `$ref`s and the config renamed. */
function jsonFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(yamlFiles)) {
    if (name.startsWith('contract-lens')) out[name] = text.replace('spec: openapi.yaml', 'spec: openapi.json');
    else out[name.replace(/\.yaml$/, '.json')] = JSON.stringify(parseYaml(text), null, 2).replace(/\.yaml#/g, '.json#') + '\n';
  }
  return out;
}

async function quality(files: Record<string, string>, trusted = false) {
  const mfs = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs: mfs, logger: silentLogger });
  const result = engine.check({ kind: 'config', configFile: '/project/contract-lens.yaml' });
  const outcome = await runQuality(qualityInput(result, { trusted, fs: mfs }));
  return { result, findings: outcome.findings, fs: mfs, view: view(result, outcome.findings, (f) => mfs.readFile(f) ?? '') };
}

function view(result: CheckResult, findings: Finding[], read: (file: string) => string, base = '/project'): string[] {
  return findings.map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    return `${f.code} ${path.relative(base, f.span.file)}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${JSON.stringify(read(f.span.file).slice(f.span.start, f.span.end))}`;
  });
}

test('every built-in rule on YAML, at the exact token, in the file that must change', async () => {
  const { view: got, findings, result } = await quality(yamlFiles);
  assert.deepEqual(got, [
    'quality.missing-response-schema openapi.yaml:21:9-21:14 "\'201\'"',
    'quality.missing-response-schema openapi.yaml:30:7-30:16 "responses"',
    'quality.missing-response-schema openapi.yaml:37:9-37:14 "\'404\'"',
    'quality.missing-request-schema openapi.yaml:44:7-44:18 "requestBody"',
    'quality.loose-schema openapi.yaml:54:15-54:21 "schema"',
    'quality.loose-schema openapi.yaml:67:17-67:22 "items"',
    'quality.operation-id-not-identifier openapi.yaml:70:20-70:31 "list-owners"',
    'quality.required-not-in-properties openapi.yaml:84:22-84:26 "nmae"',
    'quality.ref-siblings openapi.yaml:89:11-89:22 "description"',
    'quality.empty-enum openapi.yaml:92:11-92:15 "enum"',
    // Through two $refs in another file: reported at the component that is loose.
    'quality.loose-schema schemas/pets.yaml:3:1-3:6 "Loose"',
    'quality.discriminator-mapping schemas/pets.yaml:14:15-14:24 "\'#/Sqare\'"',
    'quality.discriminator-property schemas/pets.yaml:20:1-20:7 "Square"',
  ]);
  const line = (s: { file: string; start: number }) => `${path.relative('/project', s.file)}:${result.lines(s.file).positionAt(s.start).line + 1}`;
  const loose = findings.find((f) => f.span.file.endsWith('pets.yaml') && f.code === 'quality.loose-schema')!;
  // The operation first, then each $ref on the way.
  assert.deepEqual(loose.related?.map((r) => `${line(r.span)} ${r.message}`), [
    'openapi.yaml:13 the request body of createPet (POST /pets), a typed operation',
    'openapi.yaml:19 referenced here',
    'openapi.yaml:81 then referenced here',
    'schemas/pets.yaml:2 then referenced here',
  ]);
  assert.equal(loose.data?.inline, false);
  const inline = findings.find((f) => f.code === 'quality.loose-schema' && f.data?.inline === true && f.data.kind === 'open-object')!;
  assert.equal(inline.data?.componentName, 'UploadPhotoResponse');
  const missing404 = findings.find((f) => f.data?.status === '404')!;
  assert.match(missing404.message, /the declared response model "Error" stands for it/);
  assert.equal(missing404.data?.schemaRef, '#/components/schemas/Error');
  const identifier = findings.find((f) => f.code === 'quality.operation-id-not-identifier')!;
  assert.equal(identifier.data?.suggestedOperationId, 'listOwners');
  assert.equal(findings.find((f) => f.code === 'quality.discriminator-mapping')!.data?.suggestion, '#/Square');
  // The reachable-schema findings name the typed operation that reaches them.
  assert.deepEqual(findings.find((f) => f.code === 'quality.empty-enum')!.related?.map((r) => r.message), ['the 200 response of getPet (GET /pets/{id}), a typed operation']);
});

test('nothing is reported on raw operations but the all-operation rule', async () => {
  const { findings } = await quality(yamlFiles);
  // listPets (raw) returns `{}` and Owner (only reached by the raw list-owners) requires "nmae":
  // neither is reported; list-owners' operationId is (every operation needs a usable one).
  const raw = findings.filter((f) => f.related?.some((r) => /listPets|list-owners/.test(r.message)) || ['listPets', 'list-owners'].includes(String(f.data?.operationId)));
  assert.deepEqual(raw.map((f) => f.code), ['quality.operation-id-not-identifier']);
  const { view: untyped } = await quality({ ...yamlFiles, 'contract-lens.coverage.yaml': 'typed: []\nraw: [listPets, list-owners, createPet, getPet, uploadPhoto, listPhotos]\n' });
  assert.deepEqual(untyped, ['quality.operation-id-not-identifier openapi.yaml:70:20-70:31 "list-owners"']);
});

test('every built-in rule on JSON, at the exact token', async () => {
  const { view: got } = await quality(jsonFiles());
  assert.deepEqual(got, [
    'quality.missing-response-schema openapi.json:34:11-34:16 "\\"201\\""',
    'quality.missing-response-schema openapi.json:56:9-56:20 "\\"responses\\""',
    'quality.missing-response-schema openapi.json:67:11-67:16 "\\"404\\""',
    'quality.missing-request-schema openapi.json:86:9-86:22 "\\"requestBody\\""',
    'quality.loose-schema openapi.json:100:17-100:25 "\\"schema\\""',
    'quality.loose-schema openapi.json:120:19-120:26 "\\"items\\""',
    'quality.operation-id-not-identifier openapi.json:130:24-130:37 "\\"list-owners\\""',
    'quality.required-not-in-properties openapi.json:155:11-155:17 "\\"nmae\\""',
    'quality.ref-siblings openapi.json:163:13-163:26 "\\"description\\""',
    'quality.empty-enum openapi.json:167:13-167:19 "\\"enum\\""',
    'quality.loose-schema schemas/pets.json:5:3-5:10 "\\"Loose\\""',
    'quality.discriminator-mapping schemas/pets.json:22:19-22:28 "\\"#/Sqare\\""',
    'quality.discriminator-property schemas/pets.json:37:3-37:11 "\\"Square\\""',
  ]);
});

test('the worker path (texts in, parsed again) finds exactly what the in-process pass finds', async () => {
  const { result, findings, fs: mfs } = await quality(yamlFiles);
  const job = qualityJob(result, { trusted: false, readFile: (f) => mfs.readFile(f) });
  const viaJob = await runQualityJob(structuredClone(job), mfs);
  assert.deepEqual(viaJob.findings, findings);
});

test('config: requiredStatuses per operation and project-wide; quality off', async () => {
  // Without the per-operation list, getPet needs no 410; with "default" project-wide nothing changes (none documented).
  const files = { ...yamlFiles, 'contract-lens.yaml': 'spec: openapi.yaml\ncoverage:\n  source: yaml\nquality:\n  requiredStatuses: ["2xx", "default"]\n' };
  const { findings } = await quality(files);
  const statuses = findings.filter((f) => f.code === 'quality.missing-response-schema').map((f) => f.data?.status);
  // "declared" is not in the list, so the 404 of the declared Error model is not required either.
  assert.deepEqual(statuses, ['201']);
  const off = await quality({ ...yamlFiles, 'contract-lens.yaml': 'spec: openapi.yaml\ncoverage:\n  source: yaml\nquality:\n  enabled: false\n' });
  assert.deepEqual(off.findings, []);
  const configFindings = (config: string) =>
    new ContractEngine({ fs: new MemoryFileSystem({ ...yamlFiles, 'contract-lens.yaml': config }), logger: silentLogger })
      .check({ kind: 'config', configFile: '/project/contract-lens.yaml' })
      .findings.filter((f) => f.span.file.endsWith('contract-lens.yaml'))
      .map((f) => `${f.code} ${f.message.slice(0, 40)}`);
  assert.deepEqual(configFindings('spec: openapi.yaml\nquality:\n  requiredStatuses: ["2YY"]\n  spectralOAS: true\n'), [
    'config.invalid-value "quality.requiredStatuses[0]" must match',
    'config.unknown-key Unknown key "spectralOAS" in "quality". ',
  ]);
  assert.deepEqual(configFindings('spec: openapi.yaml\nquality:\n  ruleset: true\n'), ['config.invalid-value "quality.ruleset" must be the path of a ']);
  assert.deepEqual(configFindings('spec: openapi.yaml\nquality:\n  ruleset: rules/.spectral.yaml\n'), ['config.path-not-found "rules/.spectral.yaml" does not exist (l']);
});

/** Applies a finding's quick fix to the in-memory tree and checks again. */
async function fixAndRecheck(files: Record<string, string>, pick: (f: Finding) => boolean) {
  const { findings, fs: mfs } = await quality(files);
  const f = findings.find(pick);
  assert.ok(f, 'the finding to fix');
  const read = (file: string) => {
    const text = mfs.readFile(file);
    return text === undefined ? undefined : parseText(file, text);
  };
  const fixes = qualityFixes(f.code, f.data ?? {}, f.span, read);
  assert.equal(fixes.length, 1);
  const next = { ...files };
  const byFile = new Map<string, typeof fixes[0]['edits']>();
  for (const e of fixes[0].edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) next[path.relative('/project', file)] = applyEdits(mfs.readFile(file)!, edits);
  return { before: findings, after: (await quality(next)).findings, files: next, title: fixes[0].title };
}

test('quick fix: rename an operationId that is not an identifier (YAML and JSON)', async () => {
  for (const files of [yamlFiles, jsonFiles()]) {
    const { after, files: fixed, title } = await fixAndRecheck(files, (f) => f.code === 'quality.operation-id-not-identifier');
    assert.equal(title, 'Rename the operationId to "listOwners"');
    assert.ok(!after.some((f) => f.code === 'quality.operation-id-not-identifier'));
    const spec = fixed['openapi.yaml'] ?? fixed['openapi.json'];
    assert.match(spec, /operationId: listOwners\n|"operationId": "listOwners",/);
  }
});

test('quick fix: a response schema stub ($ref to the declared model) where a required status has none (YAML and JSON)', async () => {
  for (const files of [yamlFiles, jsonFiles()]) {
    const { after, files: fixed, title } = await fixAndRecheck(files, (f) => f.code === 'quality.missing-response-schema' && f.data?.status === '404');
    assert.equal(title, 'Add a JSON schema to the 404 response (a $ref to Error)');
    assert.ok(!after.some((f) => f.code === 'quality.missing-response-schema' && f.data?.status === '404'));
    if (fixed['openapi.yaml']) {
      assert.ok(fixed['openapi.yaml'].includes("        '404':\n          description: missing\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Error'\n"), fixed['openapi.yaml']);
    } else {
      assert.ok(fixed['openapi.json'].includes('"404": {\n            "description": "missing",\n            "content": {\n              "application/json": {\n                "schema": {\n                  "$ref": "#/components/schemas/Error"\n'), fixed['openapi.json']);
    }
  }
  // A status the config requires but the spec lacks: the fix adds the response.
  const { after, files: fixed } = await fixAndRecheck(yamlFiles, (f) => f.code === 'quality.missing-response-schema' && f.data?.status === '410');
  assert.ok(!after.some((f) => f.data?.status === '410' && f.code === 'quality.missing-response-schema'));
  assert.ok(fixed['openapi.yaml'].includes("        '404':\n          description: missing\n        '410':\n          description: 'TODO: describe the 410 response.'\n          content:\n            application/json:\n              schema:\n                type: object\n                properties: {}\n"), fixed['openapi.yaml']);
});

test('quick fix: a loose inline schema becomes a component stub with a $ref to it; comments and layout stay (YAML and JSON)', async () => {
  const { after, files: fixed, title } = await fixAndRecheck(yamlFiles, (f) => f.code === 'quality.loose-schema' && f.data?.componentName === 'UploadPhotoResponse');
  assert.equal(title, 'Move this schema to a new component "UploadPhotoResponse" and reference it');
  const spec = fixed['openapi.yaml'];
  assert.ok(spec.includes("            application/json:\n              # free-form for now\n              schema:\n                $ref: '#/components/schemas/UploadPhotoResponse'\n  /photos:"), spec);
  assert.ok(spec.endsWith('    UploadPhotoResponse:\n      type: object\n      properties: {}\n'), spec);
  // The stub itself is still loose, now at the component, with no quick fix (its properties are the user's to write).
  const stub = after.find((f) => f.code === 'quality.loose-schema' && f.data?.pointer === '/components/schemas/UploadPhotoResponse');
  assert.equal(stub?.data?.inline, false);
  const json = await fixAndRecheck(jsonFiles(), (f) => f.code === 'quality.loose-schema' && f.data?.kind === 'empty-items');
  assert.ok(json.files['openapi.json'].includes('"items": { "$ref": "#/components/schemas/ListPhotosItem" }'), json.files['openapi.json']);
  assert.ok(json.files['openapi.json'].includes('"ListPhotosItem": {\n        "type": "object",\n        "properties": {}\n      }'), json.files['openapi.json']);
  assert.equal(JSON.parse(json.files['openapi.json']).components.schemas.ListPhotosItem.type, 'object');
});

test("the project's own data-only ruleset runs even untrusted; results land on the engine's nodes, across $refs", async () => {
  const ruleset = `rules:
  request-description:
    description: request schemas say what they are
    given: "$.paths['/pets'].post.requestBody.content['application/json'].schema"
    severity: info
    then: {field: description, function: falsy}
  no-ref-on-new-pet:
    given: "$.components.schemas.NewPet"
    resolved: false
    message: "NewPet is a reference ({{path}})"
    then: {field: $ref, function: falsy}
`;
  const { view: got, findings } = await quality({ ...yamlFiles, '.spectral.yaml': ruleset });
  const user = findings.filter((f) => f.code === 'quality.spectral-rule');
  assert.deepEqual(
    got.filter((v) => v.startsWith('quality.spectral-rule')),
    [
      // Unresolved rule: stays in the root document, at the $ref value.
      'quality.spectral-rule openapi.yaml:81:13-81:42 "\'./schemas/pets.yaml#/NewPet\'"',
      // Resolved rule: the path crosses two $refs; the result is in the other file.
      'quality.spectral-rule schemas/pets.yaml:5:16-5:29 "anything goes"',
    ],
  );
  assert.deepEqual(user.map((f) => [f.severity, f.data?.rule]), [['warning', 'no-ref-on-new-pet'], ['info', 'request-description']]);
  assert.match(user[0].message, /^no-ref-on-new-pet: NewPet is a reference/);
});

test('spectral:oas on request: its results join ours, minus the rules the engine already reports', async () => {
  const { findings } = await quality({ ...yamlFiles, 'contract-lens.yaml': yamlFiles['contract-lens.yaml'] + '  spectralOas: true\n' });
  const rules = new Set(findings.filter((f) => f.code === 'quality.spectral-rule').map((f) => f.data?.rule));
  assert.ok(rules.has('info-contact'));
  for (const superseded of ['operation-operationId-valid-in-url', 'operation-operationId-unique', 'oas3-unused-component']) assert.ok(!rules.has(superseded), superseded);
  // no-$ref-siblings on the typed Pet.name is ours (quality.ref-siblings), not reported twice.
  assert.ok(!findings.some((f) => f.data?.rule === 'no-$ref-siblings'));
  assert.equal(findings.filter((f) => f.code === 'quality.ref-siblings').length, 1);
});

// ---------------------------------------------------------------- workspace trust

function trustProject(ruleset: Record<string, string>): { dir: string; marker: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-trust-'));
  const marker = path.join(dir, 'MARKER');
  fs.writeFileSync(path.join(dir, 'openapi.yaml'), 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200": {description: ok}\n');
  for (const [name, text] of Object.entries(ruleset)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text.replace(/MARKER_PATH/g, JSON.stringify(marker).slice(1, -1)));
  }
  return { dir, marker };
}

async function checkDir(dir: string, trusted: boolean) {
  const engine = new ContractEngine(nodeHost());
  const [ref] = engine.discover(dir);
  const result = engine.check(ref);
  const outcome = await runQuality(qualityInput(result, { trusted, fs: engine.host.fs }));
  return { findings: outcome.findings, view: view(result, outcome.findings, (f) => fs.readFileSync(f, 'utf8'), dir) };
}

// A function that writes a file when its module is loaded and when it runs: if the file appears,
// workspace JavaScript was executed.
const markingFunction = `const fs = require('fs');\nfs.writeFileSync('MARKER_PATH', 'loaded');\nmodule.exports = function mark(input, opts, context) {\n  fs.writeFileSync('MARKER_PATH', 'ran');\n  return [{ message: 'marked' }];\n};\n`;

test('untrusted: a YAML ruleset with custom functions is skipped with a visible finding, and its JavaScript never runs; trusted: it runs', async () => {
  const { dir, marker } = trustProject({
    '.spectral.yaml': 'functions: [mark]\nrules:\n  marked:\n    given: "$.paths[*][*]"\n    severity: warn\n    then: {function: mark}\n',
    'functions/mark.js': markingFunction,
  });
  const untrusted = await checkDir(dir, false);
  assert.deepEqual(untrusted.view, ['quality.ruleset-skipped .spectral.yaml:1:1-1:10 "functions"']);
  assert.match(untrusted.findings[0].message, /defines custom JavaScript functions \(mark\), and this workspace is not trusted/);
  assert.equal(untrusted.findings[0].severity, 'info');
  assert.equal(fs.existsSync(marker), false, 'no workspace JavaScript ran');

  const trusted = await checkDir(dir, true);
  assert.deepEqual(trusted.view, ['quality.spectral-rule openapi.yaml:5:5-5:8 "get"']);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'ran', 'trusted: the function ran (so the untrusted assertion above can fail)');
});

test('untrusted: a .spectral.js ruleset is never loaded; trusted: it is', async () => {
  const { dir, marker } = trustProject({
    '.spectral.js': `const fs = require('fs');\nfs.writeFileSync('MARKER_PATH', 'loaded');\nmodule.exports = { rules: { 'has-id': { given: '$.paths[*][*]', then: { field: 'summary', function: require('@stoplight/spectral-functions').truthy } } } };\n`,
  });
  const untrusted = await checkDir(dir, false);
  assert.deepEqual(untrusted.view, ['quality.ruleset-skipped .spectral.js:1:1-1:1 ""']);
  assert.equal(fs.existsSync(marker), false);
  const trusted = await checkDir(dir, true);
  assert.deepEqual(trusted.view, ['quality.spectral-rule openapi.yaml:5:5-5:8 "get"']);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'loaded');
});

test('untrusted: extending a JavaScript ruleset or an npm package is JavaScript too; remote rulesets are never fetched', async () => {
  const js = trustProject({ '.spectral.yaml': 'extends: [spectral:oas, ./more.js]\n', 'more.js': markingFunction });
  assert.deepEqual((await checkDir(js.dir, false)).view, ['quality.ruleset-skipped .spectral.yaml:1:25-1:34 "./more.js"']);
  assert.equal(fs.existsSync(js.marker), false);
  const npm = trustProject({ '.spectral.yaml': 'extends:\n  - "@acme/spectral-style"\n' });
  const npmView = await checkDir(npm.dir, false);
  assert.deepEqual(npmView.view, ['quality.ruleset-skipped .spectral.yaml:2:5-2:27 "\\"@acme/spectral-style\\""']);
  assert.match(npmView.findings[0].message, /npm package "@acme\/spectral-style", which is JavaScript/);
  const remote = trustProject({ '.spectral.yaml': 'extends: https://example.com/ruleset.yaml\n' });
  for (const trusted of [false, true]) {
    const r = await checkDir(remote.dir, trusted);
    assert.deepEqual(r.view, ['quality.ruleset-skipped .spectral.yaml:1:10-1:42 "https://example.com/ruleset.yaml"']);
    assert.match(r.findings[0].message, /never fetches remote rulesets/);
  }
  // A data-only ruleset extending another local data ruleset runs untrusted.
  const local = trustProject({ '.spectral.yaml': 'extends: [./base.yaml]\n', 'base.yaml': 'rules:\n  summary:\n    given: "$.paths[*][*]"\n    then: {field: summary, function: truthy}\n' });
  assert.deepEqual((await checkDir(local.dir, false)).view, ['quality.spectral-rule openapi.yaml:5:5-5:8 "get"']);
  const broken = trustProject({ '.spectral.yaml': 'rules:\n  x:\n    given: "$"\n    then: {function: nosuch}\n' });
  assert.deepEqual((await checkDir(broken.dir, false)).view, ['quality.ruleset-error .spectral.yaml:4:22-4:28 "nosuch"']);
});

// ---------------------------------------------------------------- the reference-shaped example

async function checkExampleQuality(dir: string) {
  const engine = new ContractEngine(nodeHost());
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: path.join(dir, 'contract-lens.yaml') });
  const outcome = await runQuality(qualityInput(result, { trusted: true, fs: engine.host.fs }));
  return { result, findings: outcome.findings, view: view(result, outcome.findings, (f) => fs.readFileSync(f, 'utf8'), dir) };
}

test('sessions-api: the typed-target breaks (12, 13) are found, each once, naming the typed operation', async () => {
  const dir = copyExample('sessions-api');
  const { view: got, findings } = await checkExampleQuality(dir);
  assert.deepEqual(got, ['quality.required-not-in-properties openapi.json:1094:11-1094:21 "\\"contents\\""', 'quality.loose-schema openapi.json:1184:7-1184:24 "\\"StartRunRequest\\""']);
  assert.deepEqual(findings.map((f) => f.related?.[0].message), ['the request body of sendSessionMessage (POST /api/sessions/{sessionId}/messages), a typed operation', 'the request body of startRun (POST /api/runs), a typed operation']);
  assert.equal(findings[0].data?.suggestion, 'content');
});

test('sessions-api: raw operations get nothing beyond the all-operation rules; repaired: no quality finding at all', async () => {
  const dir = copyExample('sessions-api');
  const spec = path.join(dir, 'openapi.json');
  const doc = JSON.parse(fs.readFileSync(spec, 'utf8'));
  // Break schemas that only raw operations use: updateSession's request becomes free-form, Agent
  // (listAgents, readAgent) requires a property it does not define, and a raw operation's id is
  // not an identifier.
  doc.components.schemas.UpdateSessionRequest = { type: 'object', additionalProperties: true };
  doc.components.schemas.Agent.required.push('ownr');
  doc.paths['/api/agents/{agentId}'].delete.operationId = 'delete-agent';
  fs.writeFileSync(spec, JSON.stringify(doc, null, 2) + '\n');
  const { view: got } = await checkExampleQuality(dir);
  assert.deepEqual(got.map((v) => v.split(' ')[0]), ['quality.operation-id-not-identifier', 'quality.required-not-in-properties', 'quality.loose-schema']);

  const repaired = copyExample('sessions-api');
  applyRepairs(repaired, 'sessions-api', () => true);
  assert.deepEqual((await checkExampleQuality(repaired)).view, []);
});
