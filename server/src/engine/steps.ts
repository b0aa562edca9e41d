/**
 * Work written as a generator pauses (yields) between slices, so that the language server can
 * answer requests in between (engine.checkAsync); everything else runs it straight through.
 */
export function runSteps<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
