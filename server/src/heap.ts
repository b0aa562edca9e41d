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
    this.collect();
    this.live = v8.getHeapStatistics().used_heap_size;
  }
}

/** Growth below this never triggers a collection (V8's own schedule handles small heaps well). */
const minGrowth = 128 << 20;
