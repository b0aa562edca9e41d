import { parseArgs } from 'node:util';
import { severityRank, withFindings, type CheckResult, type Severity } from '../engine/index';
import { qualityInput, runQuality } from '../engine/quality/index';
import { buildReport, formatJson, formatSarif, formatText } from '../engine/report/report';
import { version } from '../version';
import { checkAll, openProjects, UsageError, type Command } from './common';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the contract(s) under DIR: spec structure, config, and every feature check.',
  usage: `contract-lens check [DIR] [--config FILE] [--format text|json|sarif] [--fail-on error|warning|never] [--untrusted]

  --config FILE   Use this contract-lens.yaml instead of discovering configs under DIR.
  --format F      text (default), json or sarif.
  --fail-on L     Exit 1 when a finding of this severity or worse exists: error (default), warning, never.
  --untrusted     Run no JavaScript from the checked folder: Spectral rulesets with custom functions
                  are skipped (with a quality.ruleset-skipped finding), as in VS Code's restricted mode.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { config: { type: 'string' }, format: { type: 'string', default: 'text' }, 'fail-on': { type: 'string', default: 'error' }, untrusted: { type: 'boolean', default: false } },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new UsageError('check takes at most one folder.');
    const format = values.format!;
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}".`);
    const failOn = values['fail-on']!;
    if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not "${failOn}".`);
    const projects = await openProjects(positionals[0], values.config);
    if (typeof projects === 'string') {
      io.stderr(`contract-lens: ${projects}\n`);
      return 2;
    }
    // The quality pass (Spectral) runs after the fast checks, one project at a time. The folder a
    // user points the CLI at is theirs, so it is trusted unless --untrusted says otherwise.
    const results: CheckResult[] = [];
    for (const result of checkAll(projects)) {
      const quality = await runQuality(qualityInput(result, { trusted: !values.untrusted, fs: projects.engine.host.fs }));
      results.push(withFindings(result, quality.findings));
    }
    const report = buildReport(results, projects.base);
    io.stdout(format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report, version) : formatText(report));
    if (failOn === 'never') return 0;
    const threshold = severityRank[failOn as Severity];
    return report.findings.some((f) => severityRank[f.severity] <= threshold) ? 1 : 0;
  },
};
