import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { relativePath } from '../engine/index';
import { generateProject, isFacadeTarget, isGeneratorTarget, planWrites, writeOutputs, type PlannedWrite, type WritableFileSystem } from '../engine/generate/index';
import { loadForGeneration } from '../engine/generate/load';
import { openProjects, UsageError, type Command } from './common';

/** The real disk, for atomic writes. */
const diskWriter: WritableFileSystem = {
  mkdirp: (dir) => fs.mkdirSync(dir, { recursive: true }),
  writeFile: (file, text) => fs.writeFileSync(file, text),
  rename: (from, to) => fs.renameSync(from, to),
  remove: (file) => fs.rmSync(file, { force: true }),
};

function readDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `+added -removed` lines between two texts (a multiset count: cheap, and enough for a summary). */
export function lineDelta(before: string, after: string): { added: number; removed: number } {
  const count = new Map<string, number>();
  for (const l of before.split('\n')) count.set(l, (count.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of after.split('\n')) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of count.values()) removed += n;
  return { added, removed };
}

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate the models, the typed facade and the TypeScript client of every `generate` target (or check that they are up to date).',
  usage: `contract-lens generate [DIR] [--config FILE] [--check] [--target T] [--force]

  --check         Write nothing; exit 1 when any generated file would change, with a short summary.
  --target T      Only this target (pydantic-v2, pydantic-v1, dataclasses, typeddict, python-facade,
                  typescript-client).
  --force         Also overwrite generated files that were edited by hand (never files without
                  the generated-file header).`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { config: { type: 'string' }, check: { type: 'boolean', default: false }, target: { type: 'string' }, force: { type: 'boolean', default: false } },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new UsageError('generate takes at most one folder.');
    if (values.target !== undefined && !isGeneratorTarget(values.target) && !isFacadeTarget(values.target)) throw new UsageError(`--target must be pydantic-v2, pydantic-v1, dataclasses, typeddict, python-facade or typescript-client, not "${values.target}".`);
    const projects = await openProjects(positionals[0], values.config);
    if (typeof projects === 'string') {
      io.stderr(`contract-lens: ${projects}\n`);
      return 2;
    }
    const base = projects.base;
    const rel = (f: string) => relativePath(base, f);
    let targets = 0;
    let changed = 0;
    let refused = 0;
    let lossy = 0;
    for (const ref of projects.refs) {
      if (ref.kind !== 'config') continue;
      const project = loadForGeneration(projects.engine, ref);
      const wanted = project.config.generate.filter((g) => (isGeneratorTarget(g.target) || isFacadeTarget(g.target)) && (!values.target || g.target === values.target));
      if (wanted.length === 0) continue;
      if (project.specs.length === 0) {
        io.stderr(`contract-lens: ${rel(ref.configFile)}: no spec could be read; nothing generated.\n`);
        refused++;
        continue;
      }
      const result = generateProject(project, (g) => wanted.includes(g));
      lossy += result.findings.length;
      const plan = planWrites(result.outputs, readDisk, { overwriteEdited: values.force });
      for (const gen of wanted) {
        targets++;
        if (isFacadeTarget(gen.target) && project.config.coverage && !project.declarations) {
          io.stderr(`contract-lens: ${rel(gen.output)}: the typed-coverage declarations could not be read, so the typed facade was not generated (\`contract-lens check\` says why).\n`);
          refused++;
          continue;
        }
        const mine = plan.filter((p) => p.output === gen.output);
        const blocked = mine.filter((p) => p.action === 'refused');
        const changes = mine.filter((p) => p.action === 'create' || p.action === 'update');
        for (const p of blocked) {
          refused++;
          io.stderr(
            p.reason === 'not-generated'
              ? `contract-lens: refusing to overwrite ${rel(p.file)}: it was not written by Contract Lens (no generated-file header). Move it away or delete it, then run generate again.\n`
              : `contract-lens: refusing to overwrite ${rel(p.file)}: it was edited by hand since it was generated. Move the edits out of the generated package, or run generate --force to discard them.\n`,
          );
        }
        for (const p of changes) io.stdout(`${values.check ? 'would ' : ''}${describe(p, rel)}\n`);
        changed += changes.length;
        // A package is written whole or not at all, so its modules never disagree.
        if (!values.check && blocked.length === 0 && changes.length) writeOutputs(changes, diskWriter);
        if (changes.length === 0 && blocked.length === 0) io.stdout(`${gen.target}: ${rel(gen.output)}/ is up to date\n`);
      }
    }
    if (targets === 0) {
      io.stderr('contract-lens: no `generate` target of a supported kind (pydantic-v2, pydantic-v1, dataclasses, typeddict, python-facade, typescript-client) in the configuration.\n');
      return 2;
    }
    if (lossy) io.stdout(`${lossy} lossy mapping${lossy === 1 ? '' : 's'} (parts of schemas the models cannot express): \`contract-lens check\` shows where.\n`);
    if (values.check) {
      io.stdout(changed || refused ? `${changed} file${changed === 1 ? '' : 's'} would change${refused ? `, ${refused} refused` : ''}: run \`contract-lens generate\`.\n` : 'Generated models are up to date.\n');
      return changed || refused ? 1 : 0;
    }
    return refused ? 1 : 0;
  },
};

function describe(p: PlannedWrite, rel: (f: string) => string): string {
  if (p.action === 'create') return `create ${rel(p.file)} (${p.text.split('\n').length - 1} lines)`;
  const d = lineDelta(p.current ?? '', p.text);
  return `update ${rel(p.file)} (+${d.added} -${d.removed} lines)`;
}

