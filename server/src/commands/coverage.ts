import { parseArgs } from 'node:util';
import { buildCoverageReport, formatCoverageJson, formatCoverageMarkdown, formatCoverageText } from '../engine/coverage/index';
import { checkAll, openProjects, UsageError, type Command } from './common';

export const coverageCommand: Command = {
  name: 'coverage',
  summary: 'Print the typed coverage of the project(s) under DIR: typed, raw and undeclared per tag and path.',
  usage: `contract-lens coverage [DIR] [--config FILE] [--format text|json|markdown]

  --config FILE   Use this contract-lens.yaml instead of discovering configs under DIR.
  --format F      text (default), json, or markdown (tables and a bar chart, for a PR comment or a job summary).
  Exit code 0 when the report was printed (coverage findings are reported by \`check\`), 2 on usage errors.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { config: { type: 'string' }, format: { type: 'string', default: 'text' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new UsageError('coverage takes at most one folder.');
    const format = values.format!;
    if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json or markdown, not "${format}".`);
    const projects = await openProjects(positionals[0], values.config);
    if (typeof projects === 'string') {
      io.stderr(`contract-lens: ${projects}\n`);
      return 2;
    }
    const report = buildCoverageReport(checkAll(projects), projects.base);
    io.stdout(format === 'json' ? formatCoverageJson(report) : format === 'markdown' ? formatCoverageMarkdown(report) : formatCoverageText(report));
    return 0;
  },
};
