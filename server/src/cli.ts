/**
 * `contract-lens`: the engine as a command for CI. Same checks as the editor, so the pipeline and
 * the editor never disagree. Exit codes: 0 success, 1 findings (or changes) that fail the run,
 * 2 the command could not run.
 */
import { UsageError, type Command } from './commands/common';
import { checkCommand } from './commands/check';
import { coverageCommand } from './commands/coverage';
import { generateCommand } from './commands/generate';
import { version } from './version';

/** Every subcommand; each lives in its own module under commands/. */
const commands: Command[] = [checkCommand, coverageCommand, generateCommand];

function usage(): string {
  return `Usage: contract-lens <command> [options]\n\nCommands:\n${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}\n\n${commands.map((c) => c.usage).join('\n\n')}\n\n  --version   Print the version.\n  --help      Print this help.\n`;
}

async function main(argv: string[]): Promise<number> {
  const io = { stdout: (s: string) => void process.stdout.write(s), stderr: (s: string) => void process.stderr.write(s) };
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(usage());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const [name, ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(name ? `Unknown command "${name}".` : 'No command given.');
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) process.stderr.write(`contract-lens: ${e.message}\n\n${usage()}`);
    else process.stderr.write(`contract-lens: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  },
);
