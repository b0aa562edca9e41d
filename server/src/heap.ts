import { constants, PerformanceObserver } from 'node:perf_hooks';
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
 *
 * A forced collection is not incremental: it stops the thread for about half a millisecond per
 * live MB (45 ms for GitHub's 100 MB; 300 ms for the 470 MB that Microsoft Graph's 47 MB
 * description keeps, which held every hover sent meanwhile). A thread that answers requests
 * gives `maxLive`: when the last full collection, ours or V8's, left more than that, collecting
 * is left to V8, whose own collections mark concurrently and pause for a few milliseconds. (When
 * to collect is still decided by what our last collection left: V8's, which run in the middle of
 * a check, see the previous results still alive beside the new ones.)
 */
export class HeapKeeper {
  private readonly collect: (() => void) | undefined;
  private live = v8.getHeapStatistics().used_heap_size;
  /** What the last full collection left, ours or V8's (known only with `maxLive`). */
  private lastFull = this.live;
  private readonly maxLive: number;

  constructor(options: { maxLive?: number } = {}) {
    this.maxLive = options.maxLive ?? Infinity;
    try {
      v8.setFlagsFromString('--expose-gc');
      this.collect = vm.runInNewContext('gc') as () => void;
    } catch {
      this.collect = undefined;
    }
    if (this.collect && this.maxLive < Infinity) {
      // Told just after the collection (at the event loop's next turn): an upper bound of what it left.
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.lastFull = v8.getHeapStatistics().used_heap_size;
        }
      }).observe({ entryTypes: ['gc'] });
    }
  }

  /** Called when checks have settled: collects if the heap has grown well past the live size. */
  settled(): void {
    if (!this.collect) return;
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < Math.max(2 * this.live, this.live + minGrowth) || this.lastFull > this.maxLive) return;
    this.run();
  }

  /**
   * Called before another thread starts a large piece of work (a quality pass over the same
   * contract), so that the two do not add up: collects whenever this thread's heap is over
   * {@link trimFloor} (and its live size under `maxLive`), garbage or not. Without it, the
   * server's garbage from the last edits (up to twice its live size, by {@link settled}'s rule)
   * sat beside the worker's pass: 110 MB of the peak on GitHub's description. And a collection
   * at this point, after the project has been quiet for a while, also gives back heap that V8
   * keeps for a busy thread: on GitHub's description the heap V8 held beside the 99 MB live was
   * 180-188 MB when the last collection had run right after the last check, 140-156 MB after one
   * here (peak 411-427 MB against 372-389 MB in the benchmark). The pass starts only after the
   * project has been quiet for as long as its last pass took, so the collection (about 45 ms
   * there) does not land on a keystroke.
   */
  trim(): void {
    if (!this.collect) return;
    if (v8.getHeapStatistics().used_heap_size < trimFloor || this.lastFull > this.maxLive) return;
    this.run();
  }

  private run(): void {
    this.collect!();
    this.live = this.lastFull = v8.getHeapStatistics().used_heap_size;
  }
}

/** A heap below this is left to V8 by {@link HeapKeeper.trim} (a small workspace's, or one just collected). */
const trimFloor = 64 << 20;

/** Growth below this never triggers a collection (V8's own schedule handles small heaps well). */
const minGrowth = 128 << 20;
