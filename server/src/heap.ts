import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * Keeps a thread's heap near what it really holds. Each re-check of a large contract leaves the
 * previous tree, graph, index and text behind as garbage (about 65 MB per key edit on GitHub's
 * 13 MB description, against about 100 MB live), and V8 lets garbage pile up to several times
 * the live size before a full collection. When the heap has grown past one and a half times what
 * the last full collection left, and by at least {@link minGrowth}, one full collection runs
 * after the check has published (about 45 ms for GitHub's description, at a moment nothing waits
 * for it). The quality worker does the same after each pass: an idle thread never collects by
 * itself, and a pass over GitHub's description leaves about 150 MB behind. Small workspaces never
 * reach the threshold. Without a way to collect (a runtime that refuses the flag), nothing happens.
 */
export class HeapKeeper {
  private readonly collector: (() => void) | undefined;
  private live = v8.getHeapStatistics().used_heap_size;

  constructor() {
    try {
      v8.setFlagsFromString('--expose-gc');
      this.collector = vm.runInNewContext('gc') as () => void;
    } catch {
      this.collector = undefined;
    }
  }

  /** Called when checks have settled: collects if the heap has grown well past the live size. */
  settled(): void {
    if (!this.collector) return;
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < Math.max(1.5 * this.live, this.live + minGrowth)) return;
    this.collector();
    this.live = v8.getHeapStatistics().used_heap_size;
  }
}

/** Growth below this never triggers a collection (V8's own schedule handles small heaps well). */
const minGrowth = 64 << 20;
