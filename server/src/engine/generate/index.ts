/**
 * The embedded model generator: OpenAPI to Python models (pydantic v2 and v1, dataclasses,
 * TypedDict), in TypeScript, without Python. Plain functions, no LSP: the CLI's `generate`, the
 * engine's stale/edited checks and the language server's "Regenerate Models" all call these.
 *
 * - {@link generateProject}: every configured target of a project → files and lossy findings;
 * - {@link planWrites}: which of those files would change, and which are refused (a file without
 *   our header, or with hand edits, is never overwritten silently);
 * - {@link writeOutputs}: atomic writes (temp file, then rename);
 * - {@link checkGenerated}: the cheap check run on every edit (hashes, no generation of text).
 */
import * as path from 'node:path';
import pkg from '../../../../package.json';
import type { ProjectContext, SpecResult } from '../context';
import type { ParsedDocument } from '../parse/document';
import type { GenerateConfig, ProjectConfig } from '../config/config';
import { finding, type Finding, type Span } from '../findings';
import { relativePath } from '../paths';
import { ModelBuilder, type ModelSet, type TypeRef } from './model';
import { ModelsEmitter, pyString, targets, type Target, type TargetOptions } from './emit';
import type { Expr } from './pyformat';
import { inputsHash, isEdited, parseHeader, renderHeader, sha256 } from './header';
import { checkFacade, generateFacade, type FacadeDeclarations, type FacadeRole } from './facade';
import { assignment, atom, call, dict, importFrom, kw, list, sub } from './pyformat';
import { generateTypeScriptClient, typescriptClientLossy, typescriptFiles, typescriptInputsHash, typescriptTarget } from './typescript';

export { inputsHash, parseHeader, generatorVersion } from './header';
export { targets, type Target } from './emit';

/** The version written into headers (the product's). */
export const toolVersion: string = pkg.version;

/** The files of a generated package, by role. */
export const outputFiles = { models: '_generated.py', init: '__init__.py', operations: 'operations.py' } as const;

export interface GeneratedFile {
  /** Absolute path. */
  file: string;
  text: string;
  role: keyof typeof outputFiles | FacadeRole;
  target: Target | 'python-facade' | typeof typescriptTarget;
  /** The configured output folder this file belongs to. */
  output: string;
}

export interface GenerateResult {
  outputs: GeneratedFile[];
  /** generate.lossy-mapping findings at spec locations (and config problems of the targets). */
  findings: Finding[];
}

export interface SpecSource {
  config: ProjectConfig;
  specs: SpecResult[];
  /** The typed-coverage declarations the python-facade target is generated from (none: an empty facade). */
  declarations?: FacadeDeclarations;
}

/** Targets `generate` writes besides the model targets. */
export function isFacadeTarget(t: string): t is 'python-facade' {
  return t === 'python-facade';
}

export function isGeneratorTarget(t: string): t is Target | typeof typescriptTarget {
  return (targets as readonly string[]).includes(t) || t === typescriptTarget;
}

/** The file of a role in a model target's output folder (the TypeScript client names its own). */
export function outputFileName(target: string, role: keyof typeof outputFiles): string {
  return target === typescriptTarget ? typescriptFiles[role] : outputFiles[role];
}

/** The spec a target generates from: `options.spec` (relative to the project) or the first spec. */
export function specFor(project: SpecSource, gen: GenerateConfig): SpecResult | undefined {
  const wanted = typeof gen.options.spec === 'string' ? path.resolve(project.config.root, gen.options.spec) : undefined;
  return wanted ? project.specs.find((s) => s.root === wanted) : project.specs[0];
}

function targetOptions(gen: GenerateConfig): TargetOptions {
  return { enums: gen.options.enums === 'enum' ? 'enum' : 'literal' };
}

/** The options that change the output (and so belong in the inputs hash). */
function hashedOptions(gen: GenerateConfig): Record<string, unknown> {
  return { ...targetOptions(gen) };
}

/** Generates every configured Python target of a project. Never throws on odd specs. */
export function generateProject(project: SpecSource, only?: (gen: GenerateConfig) => boolean): GenerateResult {
  const outputs: GeneratedFile[] = [];
  const findings: Finding[] = [];
  const models = new Map<SpecResult, ModelSet>();
  for (const gen of project.config.generate) {
    if (isFacadeTarget(gen.target) && !(only && !only(gen))) {
      const spec = specFor(project, gen);
      const decls = project.declarations ?? (project.config.coverage ? undefined : { mode: 'typed-only' as const, typed: [] });
      if (spec && decls) outputs.push(...generateFacade(spec, gen, project.config, decls).outputs);
      continue;
    }
    if (!isGeneratorTarget(gen.target) || (only && !only(gen))) continue;
    const spec = specFor(project, gen);
    if (!spec) continue;
    if (gen.target === typescriptTarget) {
      // The client types parameters too: it builds a model of its own.
      const r = generateTypeScriptClient(spec, gen, project.config.root);
      outputs.push(...r.outputs);
      findings.push(...r.findings);
      continue;
    }
    let model = models.get(spec);
    if (!model) {
      model = new ModelBuilder(spec.graph, spec.index).build();
      models.set(spec, model);
    }
    const r = generateTarget(model, spec, gen, project.config.root);
    outputs.push(...r.outputs);
    findings.push(...r.findings);
  }
  return { outputs, findings: dedupe(findings) };
}

/** One target from an already-built model. */
export function generateTarget(model: ModelSet, spec: SpecResult, gen: GenerateConfig, root: string): GenerateResult {
  if (gen.target === typescriptTarget) return generateTypeScriptClient(spec, gen, root);
  const target = gen.target as Target;
  const emitterNotes: { span: Span; message: string }[] = [];
  const emitter = new ModelsEmitter(model, target, targetOptions(gen), (span, message) => emitterNotes.push({ span, message }));
  const modelsBody = emitter.emit();
  const operationsBody = operationsModule(model, target, targetOptions(gen));
  const initBody = initModule();
  const inputs = inputsHash(spec, root, target, hashedOptions(gen));
  const specName = relativePath(root, spec.root);
  const withHeader = (body: string) => renderHeader({ toolVersion, target, spec: specName, inputs, body: '\n' + body }) + '\n' + body;
  const file = (role: keyof typeof outputFiles, body: string): GeneratedFile => ({ file: path.join(gen.output, outputFiles[role]), text: withHeader(body), role, target, output: gen.output });
  const findings = lossyFindings(model, gen, root, emitterNotes);
  return { outputs: [file('models', modelsBody), file('init', initBody), file('operations', operationsBody)], findings };
}

function initModule(): string {
  return [
    `from ._generated import *  # noqa: F401,F403`,
    `from ._generated import __all__ as __all__  # noqa: F401`,
    '',
  ].join('\n');
}

/** `OPERATIONS`: every operationId to its method, path, request model and response models by status. */
function operationsModule(model: ModelSet, target: Target, options: TargetOptions): string {
  // The types written here are printed by an emitter of their own, so that this module imports
  // exactly what they use (typing, pydantic, datetime...), and the models' helpers when needed.
  const emitter = new ModelsEmitter(model, target, options, () => {});
  const used = new Set<string>();
  const collect = (t: TypeRef | undefined) => {
    if (!t) return;
    switch (t.k) {
      case 'ref':
        used.add(t.decl.name);
        return;
      case 'list':
        return collect(t.item);
      case 'dict':
        return collect(t.value);
      case 'union':
        t.items.forEach(collect);
        return;
    }
  };
  const typeText = (t: TypeRef | undefined) => {
    collect(t);
    return t ? emitter.typeExpr(t, true) : atom('None');
  };
  const entries = model.operations.map((op): [Expr, Expr] => {
    const responses = dict(op.responses.map((r) => [atom(pyString(r.status)), typeText(r.type)]));
    const args = [kw('operation_id', atom(pyString(op.operationId))), kw('method', atom(pyString(op.method))), kw('path', atom(pyString(op.path))), kw('request', typeText(op.request)), kw('responses', responses)];
    return [atom(pyString(op.operationId)), call('Operation', args)];
  });
  if (emitter.needUnique) used.add('_UniqueItems');
  const modules = new Map<string, Set<string>>(emitter.w.entries().map(([m, names]) => [m, new Set(names)]));
  const add = (m: string, n: string) => (modules.get(m) ?? modules.set(m, new Set()).get(m)!).add(n);
  add('dataclasses', 'dataclass');
  add('dataclasses', 'field');
  add('typing', 'Any');
  const stdlib = [...modules.keys()].filter((m) => m !== 'pydantic').sort().map((m) => importFrom(m, [...modules.get(m)!].sort()));
  const groups = [stdlib.join('\n')];
  if (modules.has('pydantic')) groups.push(importFrom('pydantic', [...modules.get('pydantic')!].sort()));
  if (used.size) groups.push(importFrom('._generated', [...used].sort()));
  const cls = [
    '@dataclass(frozen=True)',
    'class Operation:',
    '    """The models of one operation: its request body and its responses by status."""',
    '',
    '    operation_id: str',
    '    method: str',
    '    path: str',
    '    request: Any = None',
    '    responses: dict[str, Any] = field(default_factory=dict)',
  ].join('\n');
  const table = assignment('OPERATIONS', sub('dict', [atom('str'), atom('Operation')]), dict(entries), 0);
  const all = assignment('__all__', undefined, list([atom('"OPERATIONS"'), atom('"Operation"')]), 0);
  return ['from __future__ import annotations', ...groups, all].join('\n\n') + '\n\n\n' + cls + '\n\n\n' + table + '\n';
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.span.file}|${f.span.start}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ------------------------------------------------------------------------------------------------
// Writing

/** What writing one generated file would do. */
export interface PlannedWrite {
  file: string;
  text: string;
  target: GeneratedFile['target'];
  output: string;
  /** create: no file yet; update: differs; unchanged: same text; refused: see `reason`. */
  action: 'create' | 'update' | 'unchanged' | 'refused';
  /** Why a write is refused: the file has no header of ours, or it was edited by hand since generated. */
  reason?: 'not-generated' | 'edited';
  /** The file's current text, when it exists. */
  current?: string;
}

export interface PlanOptions {
  /** Overwrite files whose generated body was edited by hand (the edits are lost). Never applies to files without our header. */
  overwriteEdited?: boolean;
}

/**
 * Compares generated files with what is on disk (or in open editors, through `readFile`). The
 * header's first line (the tool version) does not count: a new release alone changes nothing.
 */
export function planWrites(outputs: readonly GeneratedFile[], readFile: (file: string) => string | undefined, options: PlanOptions = {}): PlannedWrite[] {
  return outputs.map((o) => {
    const current = readFile(o.file);
    const base = { file: o.file, text: o.text, target: o.target, output: o.output };
    if (current === undefined) return { ...base, action: 'create' };
    const header = parseHeader(current);
    if (!header) return { ...base, action: 'refused', reason: 'not-generated', current };
    if (sameIgnoringVersion(current, o.text)) return { ...base, action: 'unchanged', current };
    if (isEdited(current, header) && !options.overwriteEdited) return { ...base, action: 'refused', reason: 'edited', current };
    return { ...base, action: 'update', current };
  });
}

function sameIgnoringVersion(a: string, b: string): boolean {
  const rest = (s: string) => s.replace(/\r\n/g, '\n').slice(s.indexOf('\n') + 1);
  return rest(a) === rest(b);
}

/** The part of a file system writing needs; the CLI passes node's fs, tests an in-memory fake. */
export interface WritableFileSystem {
  mkdirp(dir: string): void;
  writeFile(file: string, text: string): void;
  rename(from: string, to: string): void;
  remove(file: string): void;
}

/**
 * Writes the planned creates and updates. Each file goes to a temporary sibling first and is
 * renamed over the target, so a reader never sees half a file; refused and unchanged files are
 * left alone. Returns the files written.
 */
export function writeOutputs(plan: readonly PlannedWrite[], fs: WritableFileSystem, unique = `${process.pid}`): string[] {
  const written: string[] = [];
  const todo = plan.filter((p) => p.action === 'create' || p.action === 'update');
  const temps: [string, string][] = [];
  try {
    for (const p of todo) {
      fs.mkdirp(path.dirname(p.file));
      const tmp = path.join(path.dirname(p.file), `.${path.basename(p.file)}.${unique}.tmp`);
      fs.writeFile(tmp, p.text);
      temps.push([tmp, p.file]);
    }
    for (const [tmp, file] of temps) {
      fs.rename(tmp, file);
      written.push(file);
    }
  } catch (e) {
    for (const [tmp, file] of temps) if (!written.includes(file)) try {
      fs.remove(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  return written;
}

// ------------------------------------------------------------------------------------------------
// Checking (on every edit)

/**
 * Stale and edited generated files, and lossy mappings, for `engine.check`. Staleness compares the
 * inputs hash in each models module's header with the hash of the current spec (cheap: hashing,
 * no generation); edits compare the body with the header's output hash.
 */
export function checkGenerated(ctx: ProjectContext): Finding[] {
  const findings: Finding[] = [];
  const lossy = generateProjectLossy(ctx);
  findings.push(...lossy);
  for (const gen of ctx.config.generate) {
    if (isFacadeTarget(gen.target)) {
      const spec = specFor(ctx, gen);
      if (spec) findings.push(...checkFacade(ctx, spec, gen));
      continue;
    }
    if (!isGeneratorTarget(gen.target)) continue;
    const spec = specFor(ctx, gen);
    if (!spec) continue;
    const outRel = relativePath(ctx.config.root, gen.output);
    const expected = gen.target === typescriptTarget ? typescriptInputsHash(spec, ctx.config.root) : inputsHash(spec, ctx.config.root, gen.target, hashedOptions(gen));
    for (const role of ['models', 'init', 'operations'] as const) {
      const file = path.join(gen.output, outputFileName(gen.target, role));
      const text = ctx.readText(file);
      if (text === undefined) {
        if (role === 'models') {
          findings.push(finding('generate.missing-output', `The ${gen.target} models have not been generated yet: run \`contract-lens generate\` to write ${outRel}/.`, specSpan(spec), { data: { target: gen.target, output: outRel, file: relativePath(ctx.config.root, file) } }));
        }
        continue;
      }
      const header = parseHeader(text);
      const fileSpan: Span = { file, start: 0, end: Math.max(0, text.indexOf('\n')) };
      if (!header) {
        findings.push(finding('generate.output-not-generated', `${relativePath(ctx.config.root, file)} was not written by Contract Lens (it has no generated-file header), so \`contract-lens generate\` will not overwrite it: move it away or delete it.`, fileSpan, { data: { target: gen.target, output: outRel, file: relativePath(ctx.config.root, file) } }));
        continue;
      }
      const lines = text.split('\n');
      const inputsLine = lines[0].length + lines[1].length + 2;
      if (header.inputs !== expected && role === 'models') {
        const data = { target: gen.target, output: outRel, spec: relativePath(ctx.config.root, spec.root) };
        findings.push(finding('generate.stale-models', `The ${gen.target} models in ${outRel}/ were generated from a different version of ${path.basename(spec.root)}: regenerate them.`, { file, start: inputsLine, end: inputsLine + lines[2].length }, { data }));
        findings.push(finding('generate.stale-models', `The ${gen.target} models in ${outRel}/ no longer match this spec: regenerate them.`, specSpan(spec), { data }));
      }
      if (isEdited(text, header)) {
        const at = inputsLine + lines[2].length + 1;
        findings.push(finding('generate.edited-output', `${relativePath(ctx.config.root, file)} was edited by hand after it was generated; regenerating would lose the edits (move them out of the generated package).`, { file, start: at, end: at + lines[3].length }, { data: { target: gen.target, output: outRel, file: relativePath(ctx.config.root, file) } }));
      }
    }
  }
  return findings;
}

/**
 * The lossy findings of the last check of a spec, by the spec's root document. Parsed documents are
 * immutable and the engine reuses them while a file's text is unchanged, so an edit elsewhere in
 * the project (a server file, the SDK) re-checks without re-modelling an unchanged spec. A memo of
 * a pure function of immutable inputs, dropped with its documents; nothing to reset.
 */
const lossyMemo = new WeakMap<ParsedDocument, { docs: ParsedDocument[]; key: string; findings: Finding[] }>();

/** Lossy findings need the type mapping, not the printed text: no layout on every edit. */
function generateProjectLossy(ctx: ProjectContext): Finding[] {
  const findings: Finding[] = [];
  const bySpec = new Map<SpecResult, GenerateConfig[]>();
  for (const gen of ctx.config.generate) {
    if (!isGeneratorTarget(gen.target)) continue;
    const spec = specFor(ctx, gen);
    if (spec) bySpec.set(spec, [...(bySpec.get(spec) ?? []), gen]);
  }
  for (const [spec, gens] of bySpec) {
    const root = spec.graph.documents.get(spec.root);
    const docs = [...spec.graph.documents.values()];
    const key = JSON.stringify([ctx.config.root, gens.map((g) => [g.target, g.output, targetOptions(g)])]);
    const memo = root && lossyMemo.get(root);
    if (memo && memo.key === key && memo.docs.length === docs.length && memo.docs.every((d, i) => d === docs[i])) {
      findings.push(...memo.findings);
      continue;
    }
    const model = new ModelBuilder(spec.graph, spec.index).build();
    const mine = gens.flatMap((g) => (g.target === typescriptTarget ? typescriptClientLossy(spec, g, ctx.config.root) : lossyFindings(model, g, ctx.config.root)));
    if (root) lossyMemo.set(root, { docs, key, findings: mine });
    findings.push(...mine);
  }
  return dedupe(findings);
}

/** Lossy findings of one target: the model's notes plus the printer's (collected without printing when not given). */
function lossyFindings(model: ModelSet, gen: GenerateConfig, root: string, emitterNotes?: { span: Span; message: string }[]): Finding[] {
  const target = gen.target as Target;
  const notes: { span: Span; message: string }[] = [];
  for (const n of model.lossy) if (!n.targets || n.targets.includes(target)) notes.push(n);
  if (emitterNotes) notes.push(...emitterNotes);
  else {
    const e = new ModelsEmitter(model, target, targetOptions(gen), (span, message) => notes.push({ span, message }));
    e.collectNotes();
  }
  return notes.map((n) => finding('generate.lossy-mapping', `${n.message} (target ${target})`, n.span, { data: { target, output: relativePath(root, gen.output) } }));
}

function specSpan(spec: SpecResult): Span {
  const root = spec.graph.documents.get(spec.root)?.root;
  const p = root?.kind === 'object' ? root.map.get('openapi') : undefined;
  return p ? { file: spec.root, start: p.keyStart, end: p.keyEnd } : { file: spec.root, start: 0, end: 0 };
}

export { sha256 };
