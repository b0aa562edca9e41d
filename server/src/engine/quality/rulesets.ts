import * as path from 'node:path';
import type { RulesetDefinition } from '@stoplight/spectral-core';
import { finding, type Finding, type Span } from '../findings';
import type { FileSystem } from '../host';
import type { AstNode } from '../parse/ast';
import { toValue } from '../parse/ast';
import { parseText } from '../parse/document';
import { isInside, relativePath } from '../paths';
import type { RulesetRef } from './model';
import { spectralCore, spectralFormats, spectralFunctions, spectralRulesets, type SpectralRuleset } from './spectral';

const builtinRulesets: Record<string, 'oas' | 'asyncapi' | 'arazzo'> = { 'spectral:oas': 'oas', 'spectral:asyncapi': 'asyncapi', 'spectral:arazzo': 'arazzo' };
const isScript = (file: string) => /\.[cm]?js$/i.test(file);
const isData = (file: string) => /\.(ya?ml|json)$/i.test(file);

/** A loaded ruleset, or why it is not run (as a finding at the ruleset file). */
export type LoadedRuleset = { ruleset: SpectralRuleset; file: string } | { finding: Finding };

/**
 * Loads a project's ruleset. A ruleset that is only data (YAML or JSON, extending only
 * `spectral:*` rulesets or other local data rulesets, using only Spectral's own functions) is
 * read as data and built in place: nothing is evaluated, so it runs in any workspace. A ruleset
 * that needs JavaScript (a `.spectral.js`, `functions:`, an npm package in `extends`) is handed to
 * Spectral's bundler, which runs that JavaScript: only in a trusted workspace. Untrusted, it is
 * skipped with a finding that says why; no file of it is imported, required or evaluated.
 */
export async function loadRuleset(ref: RulesetRef, options: { trusted: boolean; fs: FileSystem; root: string }): Promise<LoadedRuleset> {
  const at = (span?: Span): Span => span ?? { file: ref.file, start: 0, end: 0 };
  const name = relativePath(options.root, ref.file);
  const inspected = inspect(ref.file, ref.text, options.fs, options.root, new Set());
  if (inspected.kind === 'error') {
    return { finding: finding('quality.ruleset-error', `The Spectral ruleset ${name} could not be loaded: ${inspected.message}`, at(inspected.span), { data: { ruleset: ref.file } }) };
  }
  if (inspected.kind === 'refused') {
    return { finding: finding('quality.ruleset-skipped', `The Spectral ruleset ${name} was not run: ${inspected.message}`, at(inspected.span), { data: { ruleset: ref.file, reason: inspected.reason } }) };
  }
  if (inspected.kind === 'code' && !options.trusted) {
    return {
      finding: finding(
        'quality.ruleset-skipped',
        `The Spectral ruleset ${name} was not run: ${inspected.message}, and this workspace is not trusted, so no JavaScript from it is loaded. Trust the workspace to run it (the CLI runs it unless given --untrusted).`,
        at(inspected.span),
        { data: { ruleset: ref.file, reason: 'untrusted' } },
      ),
    };
  }
  const { Ruleset } = spectralCore();
  try {
    if (inspected.kind === 'data') return { ruleset: new Ruleset(inspected.definition, { severity: 'recommended', source: ref.file }), file: ref.file };
    return { ruleset: await bundle(ref.file), file: ref.file };
  } catch (e) {
    const message = ((e as Error).message ?? String(e)).split('\n').slice(0, 3).join(' ');
    return { finding: finding('quality.ruleset-error', `The Spectral ruleset ${name} could not be loaded: ${message}`, at(), { data: { ruleset: ref.file } }) };
  }
}

type Inspection =
  | { kind: 'data'; definition: RulesetDefinition }
  | { kind: 'code'; message: string; span?: Span }
  | { kind: 'refused'; reason: 'remote' | 'outside-project'; message: string; span?: Span }
  | { kind: 'error'; message: string; span?: Span };

/**
 * Reads a ruleset file as data and turns it into a ruleset definition: `extends` entries become
 * Spectral's built-in rulesets or the definitions of other local data rulesets, function names
 * become Spectral's functions, format names its formats. Stops at the first thing that would need
 * JavaScript (`code`), a file it must not read (`refused`), or a mistake (`error`), with the
 * place in the file.
 */
function inspect(file: string, text: string | undefined, fs: FileSystem, root: string, seen: Set<string>): Inspection {
  const spanOf = (node: { start: number; end: number }): Span => ({ file, start: node.start, end: node.end });
  if (isScript(file)) return { kind: 'code', message: `it is a JavaScript ruleset (${path.basename(file)})` };
  if (!isData(file)) return { kind: 'error', message: `${path.basename(file)} is neither YAML, JSON nor JavaScript.` };
  if (seen.has(file)) return { kind: 'error', message: `it extends itself (through ${path.basename(file)}).` };
  seen.add(file);
  const source = text ?? fs.readFile(file);
  if (source === undefined) return { kind: 'error', message: `${path.basename(file)} cannot be read.` };
  const doc = parseText(file, source);
  const problem = doc.problems[0];
  if (problem) return { kind: 'error', message: `${path.basename(file)} is not valid ${doc.format === 'json' ? 'JSON' : 'YAML'}: ${problem.message}`, span: { file, start: problem.start, end: problem.end } };
  const rootNode = doc.root;
  if (rootNode?.kind !== 'object') return { kind: 'error', message: 'a ruleset must be a mapping (extends, rules, ...).', span: rootNode ? spanOf(rootNode) : undefined };

  const functionsProp = rootNode.map.get('functions') ?? rootNode.map.get('functionsDir');
  if (functionsProp) {
    const names = functionsProp.value.kind === 'array' ? (toValue(functionsProp.value) as unknown[]).map(String) : [];
    return { kind: 'code', message: `it defines custom JavaScript functions${names.length ? ` (${names.join(', ')})` : ''}`, span: { file, start: functionsProp.keyStart, end: functionsProp.keyEnd } };
  }
  const fns = spectralFunctions();
  const formats = spectralFormats();

  const convertExtends = (node: AstNode): unknown[] | Inspection => {
    const entries = node.kind === 'array' ? node.items : [node];
    const out: unknown[] = [];
    for (const entry of entries) {
      const nameNode = entry.kind === 'array' ? entry.items[0] : entry;
      const severity = entry.kind === 'array' && entry.items[1]?.kind === 'scalar' ? entry.items[1].value : undefined;
      const name = nameNode?.kind === 'scalar' && typeof nameNode.value === 'string' ? nameNode.value : undefined;
      const where = spanOf(nameNode ?? entry);
      if (name === undefined) return { kind: 'error', message: '"extends" entries must be ruleset names or paths.', span: where };
      let definition: unknown;
      if (name in builtinRulesets) definition = spectralRulesets()[builtinRulesets[name]];
      else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return { kind: 'refused', reason: 'remote', message: `it extends "${name}", and Contract Lens never fetches remote rulesets (as it never fetches remote $refs). Download it next to the spec and extend the local copy.`, span: where };
      else if (name.startsWith('.') || path.isAbsolute(name) || isData(name) || isScript(name)) {
        const target = path.resolve(path.dirname(file), name);
        if (!isInside(root, target)) return { kind: 'refused', reason: 'outside-project', message: `it extends "${name}", which is outside the project folder.`, span: where };
        if (isScript(target)) return { kind: 'code', message: `it extends the JavaScript ruleset "${name}"`, span: where };
        if (fs.stat(target) !== 'file') return { kind: 'error', message: `"${name}" (in extends) does not exist.`, span: where };
        const inner = inspect(target, undefined, fs, root, seen);
        if (inner.kind !== 'data') return inner.span ? inner : { ...inner, span: where };
        definition = inner.definition;
      } else {
        return { kind: 'code', message: `it extends the npm package "${name}", which is JavaScript`, span: where };
      }
      out.push(severity === undefined ? definition : [definition, severity]);
    }
    return out;
  };

  const convertFormats = (node: AstNode): unknown[] | Inspection => {
    if (node.kind !== 'array') return { kind: 'error', message: '"formats" must be a list.', span: spanOf(node) };
    const out: unknown[] = [];
    for (const item of node.items) {
      const name = item.kind === 'scalar' ? String(item.value) : '';
      const safe = formatName(name);
      if (typeof formats[safe] !== 'function') return { kind: 'error', message: `"${name}" is not a Spectral format.`, span: spanOf(item) };
      out.push(formats[safe]);
    }
    return out;
  };

  const convertRules = (node: AstNode): { rules: Record<string, unknown> } | Inspection => {
    if (node.kind !== 'object') return { kind: 'error', message: '"rules" must be a mapping of rule names to rules.', span: spanOf(node) };
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      const value = p.value;
      if (value.kind !== 'object') {
        out[p.key] = toValue(value);
        continue;
      }
      const rule = toValue(value) as Record<string, unknown>;
      const formatsProp = value.map.get('formats');
      if (formatsProp) {
        const f = convertFormats(formatsProp.value);
        if (!Array.isArray(f)) return f;
        rule.formats = f;
      }
      const then = value.map.get('then')?.value;
      if (then) {
        const list = then.kind === 'array' ? then.items : [then];
        const converted: unknown[] = [];
        for (const t of list) {
          if (t.kind !== 'object') return { kind: 'error', message: `"then" of rule "${p.key}" must be a mapping.`, span: spanOf(t) };
          const step = toValue(t) as Record<string, unknown>;
          const fnNode = t.map.get('function')?.value;
          const fn = fnNode?.kind === 'scalar' ? String(fnNode.value) : undefined;
          if (fn !== undefined) {
            if (typeof fns[fn] !== 'function') return { kind: 'error', message: `rule "${p.key}" uses the function "${fn}", which is not one of Spectral's functions and is not defined by the ruleset.`, span: spanOf(fnNode!) };
            step.function = fns[fn];
          }
          converted.push(step);
        }
        rule.then = then.kind === 'array' ? converted : converted[0];
      }
      out[p.key] = rule;
    }
    return { rules: out };
  };

  const definition: Record<string, unknown> = {};
  for (const p of rootNode.properties) {
    switch (p.key) {
      case 'extends': {
        const e = convertExtends(p.value);
        if (!Array.isArray(e)) return e;
        definition.extends = e;
        break;
      }
      case 'rules': {
        const r = convertRules(p.value);
        if (!('rules' in r)) return r;
        definition.rules = r.rules;
        break;
      }
      case 'formats': {
        const f = convertFormats(p.value);
        if (!Array.isArray(f)) return f;
        definition.formats = f;
        break;
      }
      case 'overrides': {
        if (p.value.kind !== 'array') return { kind: 'error', message: '"overrides" must be a list.', span: spanOf(p.value) };
        const list: unknown[] = [];
        for (const o of p.value.items) {
          if (o.kind !== 'object') return { kind: 'error', message: 'each override must be a mapping.', span: spanOf(o) };
          const override = toValue(o) as Record<string, unknown>;
          const ext = o.map.get('extends');
          if (ext) {
            const e = convertExtends(ext.value);
            if (!Array.isArray(e)) return e;
            override.extends = e;
          }
          const rules = o.map.get('rules');
          if (rules) {
            const r = convertRules(rules.value);
            if (!('rules' in r)) return r;
            override.rules = r.rules;
          }
          list.push(override);
        }
        definition.overrides = list;
        break;
      }
      case 'aliases': {
        const aliases = toValue(p.value) as Record<string, unknown>;
        // Scoped aliases carry formats per target.
        if (p.value.kind === 'object') {
          for (const a of p.value.properties) {
            const targets = a.value.kind === 'object' ? a.value.map.get('targets')?.value : undefined;
            if (targets?.kind !== 'array') continue;
            const converted: unknown[] = [];
            for (const t of targets.items) {
              const target = toValue(t) as Record<string, unknown>;
              const f = t.kind === 'object' ? t.map.get('formats') : undefined;
              if (f) {
                const out = convertFormats(f.value);
                if (!Array.isArray(out)) return out;
                target.formats = out;
              }
              converted.push(target);
            }
            (aliases[a.key] as Record<string, unknown>).targets = converted;
          }
        }
        definition.aliases = aliases;
        break;
      }
      case 'except':
        return { kind: 'error', message: '"except" is no longer supported by Spectral: use "overrides".', span: { file, start: p.keyStart, end: p.keyEnd } };
      default:
        definition[p.key] = toValue(p.value);
    }
  }
  return { kind: 'data', definition: definition as RulesetDefinition };
}

/** Spectral's format export names: `oas3.1` → `oas3_1`, `json-schema-draft7` → `jsonSchemaDraft7`. */
function formatName(name: string): string {
  const aliases: Record<string, string> = { 'json-schema-2019-09': 'json-schema-draft-2019-09', 'json-schema-2020-12': 'json-schema-draft-2020-12' };
  return (aliases[name] ?? name).replace(/\.|([0-9])-(?=[0-9])/g, '$1_').replace(/-([0-9a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A ruleset that needs JavaScript, through Spectral's own bundler (as the Spectral CLI loads it).
 * Imports of Spectral's packages resolve to the copies bundled with Contract Lens; remote
 * rulesets are refused (the bundler is given a fetch that fails).
 */
async function bundle(file: string): Promise<SpectralRuleset> {
  const { bundleAndLoadRuleset } = require('@stoplight/spectral-ruleset-bundler/with-loader') as {
    bundleAndLoadRuleset(file: string, io: { fs: unknown; fetch: unknown }, plugins: unknown[]): Promise<SpectralRuleset>;
  };
  const { builtins } = require('@stoplight/spectral-ruleset-bundler/plugins/builtins') as { builtins(): unknown };
  const { commonjs } = require('@stoplight/spectral-ruleset-bundler/plugins/commonjs') as { commonjs(): unknown };
  const refuse = async (url: string) => {
    throw new Error(`Contract Lens never fetches remote rulesets (${url}).`);
  };
  // Rollup reports what it leaves external (node's own modules) on console.warn; that is not the user's concern.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await bundleAndLoadRuleset(file, { fs: require('node:fs'), fetch: refuse }, [builtins(), commonjs()]);
  } finally {
    console.warn = warn;
  }
}
