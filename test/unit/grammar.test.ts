// The OpenAPI injection grammar (syntaxes/openapi.injection.tmLanguage.json), tokenized the way
// VS Code does it: vscode-textmate with vscode-oniguruma, the grammar injected into the YAML and
// JSON grammars of the tm-grammars package (TextMate's YAML bundle, VS Code's JSON grammar), and,
// when the e2e tools are installed (.cache/e2e, or CONTRACT_LENS_VSCODE_EXTENSIONS naming a VS Code
// `extensions` folder), into the grammars that VS Code itself ships (its YAML grammar is another one:
// RedCMD's). scripts/e2e/run.sh runs this file again (bundled by scripts/e2e/build.mjs) after
// installing them, so CI covers both.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as textmate from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { ContractEngine, nodeHost } from '../../server/src/engine/index';

/** The repository root: compiled to out/test/unit by `npm test`, bundled to out/e2e by the e2e build. */
function findRepo(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'syntaxes', 'openapi.injection.tmLanguage.json'))) {
    if (path.dirname(dir) === dir) throw new Error('the repository root was not found above ' + __dirname);
    dir = path.dirname(dir);
  }
  return dir;
}
const repo = findRepo(__dirname);
const fixtures = path.join(repo, 'test/fixtures/grammar');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const contribution = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'openapi.injection');
const injection = path.join(repo, contribution.path);

/** Base grammars by scope name: tm-grammars', and VS Code's own when they are on this machine. */
const bases: { name: string; files: Record<string, string> }[] = [
  { name: 'tm-grammars', files: { 'source.yaml': require.resolve('tm-grammars/grammars/yaml.json'), 'source.json': require.resolve('tm-grammars/grammars/json.json') } },
];
const vscodeExtensions = process.env.CONTRACT_LENS_VSCODE_EXTENSIONS || path.join(repo, '.cache/e2e/code-server/node_modules/code-server/lib/vscode/extensions');
if (fs.existsSync(path.join(vscodeExtensions, 'yaml/syntaxes/yaml.tmLanguage.json'))) {
  const yaml = (f: string) => path.join(vscodeExtensions, 'yaml/syntaxes', f);
  bases.push({
    name: 'VS Code',
    files: {
      'source.yaml': yaml('yaml.tmLanguage.json'),
      ...Object.fromEntries(['1.0', '1.1', '1.2', '1.3'].map((v) => [`source.yaml.${v}`, yaml(`yaml-${v}.tmLanguage.json`)])),
      'source.yaml.embedded': yaml('yaml-embedded.tmLanguage.json'),
      'source.json': path.join(vscodeExtensions, 'json/syntaxes/JSON.tmLanguage.json'),
    },
  });
}

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

const registries = new Map<string, textmate.Registry>();

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  for (const base of bases) {
    const files: Record<string, string> = { ...base.files, 'openapi.injection': injection };
    registries.set(
      base.name,
      new textmate.Registry({
        onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
        loadGrammar: async (scope) => (files[scope] ? textmate.parseRawGrammar(fs.readFileSync(files[scope], 'utf8'), files[scope]) : null),
        // As VS Code does with `injectTo`.
        getInjections: (scope) => (contribution.injectTo.includes(scope) ? ['openapi.injection'] : undefined),
      }),
    );
  }
});

async function tokenize(text: string, scope: 'source.yaml' | 'source.json', base = 'tm-grammars'): Promise<Token[]> {
  const grammar = await registries.get(base)!.loadGrammar(scope);
  assert.ok(grammar, scope);
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    for (const t of r.tokens) tokens.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
  });
  return tokens;
}

const file = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
/** `line:text` of every token whose innermost scope is `scope`. */
const having = (tokens: Token[], scope: string) => tokens.filter((t) => t.scopes[t.scopes.length - 1] === scope).map((t) => `${t.line}:${t.text}`);
const innermost = (tokens: Token[], line: number, text: string) => tokens.find((t) => t.line === line && t.text === text)?.scopes.slice(-2);

test('package.json injects the grammar into YAML and JSON, and the .vsix ships syntaxes/', () => {
  assert.deepEqual(contribution, { scopeName: 'openapi.injection', path: './syntaxes/openapi.injection.tmLanguage.json', injectTo: ['source.yaml', 'source.json', 'source.json.comments'] });
  assert.match(fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8'), /^!syntaxes\/\*\*$/m);
});

for (const base of bases) {
  test(`YAML (${base.name}'s base grammar): method keys, path parameters, $ref values and operationId values get their scopes, exactly`, async () => {
    const tokens = await tokenize(file('openapi.yaml'), 'source.yaml', base.name);
    assert.deepEqual(having(tokens, 'keyword.other.http-method.openapi'), ['11:get', '16:delete', '20:put']);
    assert.deepEqual(innermost(tokens, 11, 'get'), ['entity.name.tag.yaml', 'keyword.other.http-method.openapi']);
    assert.deepEqual(having(tokens, 'variable.parameter.path.openapi'), ['8:sessionId', '8:messageId', '19:name', '19:ext']);
    assert.deepEqual(having(tokens, 'punctuation.definition.parameter.begin.openapi').length, 4);
    assert.deepEqual(having(tokens, 'markup.underline.link.ref.openapi'), ['10:#/components/parameters/SessionId', '15:#/components/responses/Message', '18:./responses.yaml#/NoContent']);
    assert.deepEqual(innermost(tokens, 10, '#/components/parameters/SessionId'), ['string.quoted.single.yaml', 'markup.underline.link.ref.openapi']);
    assert.deepEqual(innermost(tokens, 15, '#/components/responses/Message'), ['string.quoted.double.yaml', 'markup.underline.link.ref.openapi']);
    assert.deepEqual(having(tokens, 'entity.name.function.operation-id.openapi'), ['12:readMessage', '17:deleteMessage', '21:uploadFile']);
    assert.deepEqual(innermost(tokens, 12, 'readMessage'), ['string.unquoted.plain.out.yaml', 'entity.name.function.operation-id.openapi']);
    // Block scalars, descriptions and comments are left alone.
    assert.equal(tokens.filter((t) => [6, 29, 30].includes(t.line) && t.scopes.some((s) => s.endsWith('.openapi'))).length, 0);
    // The base grammar still tokenizes what follows a rule of ours.
    assert.match(innermost(tokens, 11, ':')!.at(-1)!, /^punctuation\.separator\.(key-value\.mapping|map\.value)\.yaml$/);
    assert.ok(innermost(tokens, 11, ' read one message')?.includes('comment.line.number-sign.yaml'));
    assert.equal(tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid'))).length, 0);
  });

  test(`JSON (${base.name}'s base grammar): the same four, inside the JSON grammar's own key and value strings`, async () => {
    const tokens = await tokenize(file('openapi.json'), 'source.json', base.name);
    assert.deepEqual(having(tokens, 'keyword.other.http-method.openapi'), ['7:get', '11:patch']);
    assert.deepEqual(innermost(tokens, 7, 'get'), ['support.type.property-name.json', 'keyword.other.http-method.openapi']);
    assert.deepEqual(having(tokens, 'variable.parameter.path.openapi'), ['5:sessionId']);
    assert.deepEqual(having(tokens, 'markup.underline.link.ref.openapi'), ['6:#/components/parameters/SessionId', '9:#/components/responses/Session']);
    assert.deepEqual(innermost(tokens, 9, '#/components/responses/Session'), ['string.quoted.double.json', 'markup.underline.link.ref.openapi']);
    assert.deepEqual(having(tokens, 'entity.name.function.operation-id.openapi'), ['8:readSession', '11:update\\"Session']);
    assert.equal(tokens.filter((t) => (t.line === 3 || t.line === 16) && t.scopes.some((s) => s.endsWith('.openapi'))).length, 0, 'descriptions stay strings');
    assert.equal(tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid'))).length, 0);
  });

  test(`the examples (${base.name}'s base grammars): one method token per operation and every operationId, as the engine counts them`, async () => {
    const engine = new ContractEngine(nodeHost());
    await engine.init();
    for (const example of ['sessions-api', 'petstore-express']) {
      const dir = path.join(repo, 'examples', example);
      const result = engine.check({ kind: 'config', configFile: path.join(dir, 'contract-lens.yaml') });
      const operations = result.specs.flatMap((s) => s.index.operations);
      const methods: string[] = [];
      const operationIds: string[] = [];
      for (const f of result.dependencies) {
        if (!/\.(ya?ml|json)$/.test(f) || f.endsWith('contract-lens.yaml') || !fs.existsSync(f)) continue;
        const tokens = await tokenize(fs.readFileSync(f, 'utf8'), f.endsWith('.json') ? 'source.json' : 'source.yaml', base.name);
        assert.equal(tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid'))).length, 0, f);
        methods.push(...tokens.filter((t) => t.scopes.includes('keyword.other.http-method.openapi')).map((t) => t.text));
        operationIds.push(...tokens.filter((t) => t.scopes.includes('entity.name.function.operation-id.openapi')).map((t) => t.text));
      }
      assert.deepEqual(methods.sort(), operations.map((o) => o.method).sort(), example);
      assert.deepEqual(operationIds.sort(), operations.flatMap((o) => (o.operationId ? [o.operationId] : [])).sort(), example);
    }
  });
}
