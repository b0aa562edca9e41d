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

/**
 * How many items (references, uses, operations, paths) sliced work handles between two pauses:
 * a few milliseconds of the heaviest of them on Microsoft Graph's description.
 */
export const itemsPerSlice = 2000;

/**
 * A pause that lets in what reached the process meanwhile: resolves one event-loop turn after the
 * next. A message handler that runs its work in an immediate queued when the message is read (as
 * vscode-jsonrpc does for every request) would otherwise run after the caller's next slice, not
 * before it: one pause of setImmediate is queued first, so a hover waited for the rest of the
 * slice it arrived in and all of the next (up to 70 ms during Microsoft Graph's first check).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
