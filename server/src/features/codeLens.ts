import type { CodeLens } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { CheckResult } from '../engine/index';
import { parityLenses, type Lens } from '../engine/parity/lenses';
import { coverageLenses } from '../engine/coverage/index';
import { commands, declareCommand } from '../protocol';

/** CodeLens for a file from the last good results (never waits for a running check). */
export function codeLenses(results: CheckResult[], file: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const result of results) {
    const lenses: Lens[] = [];
    if (result.parity) lenses.push(...parityLenses(result.parity, file, result.project.root, (f) => result.lines(f), result.parity.framework !== undefined));
    const lines = result.lines(file);
    if (result.coverage) {
      for (const c of coverageLenses(result.coverage, file, (f) => result.lines(f), result.project.root)) {
        const range = lines.range(c.span.start, c.span.start);
        const cmd = c.command;
        out.push({
          range,
          command:
            cmd?.name === 'reveal'
              ? { title: c.title, command: commands.openLocation, arguments: [URI.file(cmd.target.file).toString(), result.lines(cmd.target.file).range(cmd.target.start, cmd.target.end)] }
              : cmd?.name === 'applyEdits'
                ? { title: c.title, command: declareCommand, arguments: [cmd.operationId, cmd.action, result.project.root] }
                : cmd?.name === 'showReport'
                  ? { title: c.title, command: commands.showCoverageReport, arguments: [URI.file(file).toString()] }
                  : { title: c.title, command: '' },
        });
      }
    }
    for (const lens of lenses) {
      const range = lines.range(lens.span.start, lens.span.start);
      out.push({
        range,
        command: lens.target
          ? { title: lens.title, command: commands.openLocation, arguments: [URI.file(lens.target.file).toString(), result.lines(lens.target.file).range(lens.target.start, lens.target.end)] }
          : { title: lens.title, command: '' },
      });
    }
  }
  return out;
}
