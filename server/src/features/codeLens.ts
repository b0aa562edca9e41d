import type { CodeLens } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { CheckResult } from '../engine/index';
import { parityLenses, type Lens } from '../engine/parity/lenses';
import { commands } from '../protocol';

/** CodeLens for a file from the last good results (never waits for a running check). */
export function codeLenses(results: CheckResult[], file: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const result of results) {
    const lenses: Lens[] = [];
    if (result.parity) lenses.push(...parityLenses(result.parity, file, result.project.root, (f) => result.lines(f), result.parity.framework !== undefined));
    const lines = result.lines(file);
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
