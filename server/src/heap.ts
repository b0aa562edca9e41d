import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * Keeps the server's heap near what it really holds. Each re-check of a large contract leaves
 * the previous tree, graph and index behind as garbage, and V8 lets garbage pile up to several
 * times the live size before a full collection: on GitHub's 13 MB description, about 150 MB
 * live grew to more than 800 MB resident over a few edits. When the heap has grown past twice
 * what the last full collection left, and by at least {@link minGrowth}, one full collection
 * runs after the check has published (tens of milliseconds, at a moment nothing waits for it).
 * Small workspaces never reach the threshold. Without a way to collect (a runtime that refuses
 * the flag), nothing happens.
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
