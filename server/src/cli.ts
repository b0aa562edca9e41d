/**
 * `contract-lens`: the engine as a command for CI. Same checks as the editor, so the pipeline and
 * the editor never disagree. Exit codes: 0 nothing reached --fail-on, 1 something did, 2 the check
 * could not run.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ContractEngine, nodeHost, severityRank, type CheckResult, type ProjectRef, type Severity } from './engine/index';
import { buildReport, formatJson, formatSarif, formatText } from './engine/report/report';
import { version } from './version';

const usage = `Usage: contract-lens check [DIR] [--config FILE] [--format text|json|sarif] [--fail-on error|warning|never]

Commands:
  check    Check the OpenAPI contract(s) under DIR (default: the current folder).

Options:
  --config FILE   Use this contract-lens.yaml instead of discovering configs under DIR.
  --format F      text (default), json or sarif.
  --fail-on L     Exit 1 when a finding of this severity or worse exists: error (default), warning, never.
  --version       Print the version.
  --help          Print this help.
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'error' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command !== 'check') throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  if (rest.length > 1) throw new UsageError('check takes at most one folder.');
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}".`);
  const failOn = values['fail-on']!;
  if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not "${failOn}".`);

  const dir = path.resolve(rest[0] ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`"${rest[0] ?? '.'}" is not a folder.`);
  const engine = new ContractEngine(nodeHost());
  await engine.init();
  let refs: ProjectRef[];
  if (values.config) {
    const configFile = path.resolve(values.config);
    if (!fs.existsSync(configFile) || !fs.statSync(configFile).isFile()) {
      process.stderr.write(`contract-lens: cannot read the config file "${values.config}".\n`);
      return 2;
    }
    refs = [{ kind: 'config', configFile }];
  } else {
    refs = engine.discover(dir);
  }
  if (refs.length === 0) {
    process.stderr.write(`contract-lens: no contract-lens.yaml and no OpenAPI document found under ${dir}.\n`);
    return 2;
  }
  const results: CheckResult[] = refs.map((ref) => engine.check(ref));
  const base = values.config ? path.dirname(path.resolve(values.config)) : dir;
  const report = buildReport(results, base);
  const out = format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report, version) : formatText(report);
  process.stdout.write(out);
  if (failOn === 'never') return 0;
  const threshold = severityRank[failOn as Severity];
  return report.findings.some((f) => severityRank[f.severity] <= threshold) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`contract-lens: ${e.message}\n\n${usage}`);
    } else {
      process.stderr.write(`contract-lens: internal error: ${(e as Error).stack ?? e}\n`);
    }
    process.exitCode = 2;
  },
);
