import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import * as path from 'node:path';

/**
 * Work-done progress for long checks ("Contract Lens: graph-beta.json: indexing the operations"):
 * the engine names each phase as a check enters it; a round that is still running after
 * `delayMs` gets a progress report in the editor, updated per phase and closed when the server
 * goes idle. Short checks (nearly all of them) never show one, so the status bar does not flicker.
 */
export class CheckProgress {
  private round: { message: string; timer: NodeJS.Timeout; reporter?: WorkDoneProgressServerReporter } | undefined;

  constructor(
    private readonly create: () => Promise<WorkDoneProgressServerReporter>,
    private readonly delayMs = 500,
  ) {}

  phase(project: string, phase: string): void {
    const message = `${path.basename(project)}: ${phase}`;
    if (this.round) {
      // A check names its phase again at every pause (hundreds on a large contract): report changes only.
      if (message === this.round.message) return;
      this.round.message = message;
      this.round.reporter?.report(message);
      return;
    }
    const round: NonNullable<CheckProgress['round']> = {
      message,
      timer: setTimeout(() => {
        this.create().then(
          (reporter) => {
            if (this.round !== round) return reporter.done();
            round.reporter = reporter;
            reporter.begin('Contract Lens', undefined, round.message, false);
          },
          () => {},
        );
      }, this.delayMs),
    };
    this.round = round;
  }

  idle(): void {
    if (!this.round) return;
    clearTimeout(this.round.timer);
    this.round.reporter?.done();
    this.round = undefined;
  }
}
