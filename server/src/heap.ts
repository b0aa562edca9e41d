import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * Keeps a thread's heap near what it really holds. Each re-check of a large contract leaves the
 * previous tree, graph, index and text behind as garbage (about 65 MB per key edit on GitHub's
 * 13 MB description, against about 100 MB live), and V8 lets garbage pile up to several times
 * the live size before a full collection. When the heap has grown past twice what the last full
 * collection left, and by at least {@link minGrowth}, one full collection runs after the check
 * has published (about 45 ms for GitHub's description, at a moment nothing waits for it). A
 * lower threshold (1.5x and 64 MB) took 50-60 MB off the peak but put these collections in the
 * way of hovers often enough to cross the 50 ms budget in the benchmark. The quality worker
 * collects the same way after each pass: an idle thread never collects by itself, and a pass
 * over GitHub's description leaves about 150 MB behind. Small workspaces never reach the
 * threshold. Without a way to collect (a runtime that refuses the flag), nothing happens.
 */
export class HeapKeeper {
  private readonly collect: (() => void) | undefined;
  private live = v8.getHeapStatistics().used_heap_size;

  constructor() {
    try {
      v8.setFlagsFromString('--expose-gc');
      this.collect = vm.runInNewContext('gc') as () => void;
    } catch {
      this.collect = undefined;
    }
  }

  /** Called when checks have settled: collects if the heap has grown well past the live size. */
  settled(): void {
    if (!this.collect) return;
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < Math.max(2 * this.live, this.live + minGrowth)) return;
    this.run();
  }

  /**
   * Called before another thread starts a large piece of work (a quality pass over the same
   * contract): collects if this thread holds more than {@link trimSlack} of garbage, and more than
   * a quarter of its live size (a collection costs in proportion to the live size: about 45 ms
   * for GitHub's description, far more for Microsoft Graph's), so that the two do not add up.
   * Without it, the server's garbage from the last edits (up to twice its live size, by
   * {@link settled}'s rule) sat beside the worker's pass: 110 MB of the peak on GitHub's
   * description. The pass starts only after the project has been quiet for a while, so the
   * collection does not land on a keystroke.
   */
  trim(): void {
    if (!this.collect) return;
    if (v8.getHeapStatistics().used_heap_size < this.live + Math.max(trimSlack, this.live / 4)) return;
    this.run();
  }

  private run(): void {
    this.collect!();
    this.live = v8.getHeapStatistics().used_heap_size;
  }
}

/** Garbage below this is left to V8 by {@link HeapKeeper.trim}. */
const trimSlack = 32 << 20;

/** Growth below this never triggers a collection (V8's own schedule handles small heaps well). */
const minGrowth = 128 << 20;
