import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { HeapKeeper } from '../../server/src/heap';

// After a round of checks, garbage well past the live size is collected at once; a little is left
// to V8's own schedule.

const used = () => v8.getHeapStatistics().used_heap_size / 1048576;

test('heap keeper: collects when the heap has grown well past what the last collection left, not before', () => {
  const keeper = new HeapKeeper();
  keeper.settled();
  // A little garbage (well under 128 MB): left alone.
  let garbage: unknown[] | undefined = Array.from({ length: 100_000 }, (_, i) => ({ i, s: `x${i}` }));
  garbage = undefined;
  const small = used();
  keeper.settled();
  assert.ok(used() > small - 5, 'a small heap growth was collected');
  // Left-over trees of several hundred megabytes (what re-checks of a large contract leave): collected.
  let trees: unknown[][] | undefined = [];
  for (let t = 0; t < 6; t++) trees.push(Array.from({ length: 600_000 }, (_, i) => ({ kind: 'scalar', start: i, end: i + 1, value: `v${i}` })));
  trees = undefined;
  const before = used();
  assert.ok(before > small + 150, `the test made ${(before - small).toFixed(0)} MB of garbage`);
  keeper.settled();
  assert.ok(used() < before - 150, `after settled(): ${used().toFixed(0)} MB, before ${before.toFixed(0)} MB`);
  void garbage;
});

test('heap keeper: trim() (before a quality pass starts in the worker) collects a large heap, garbage or not, and leaves a small one alone', () => {
  const keeper = new HeapKeeper();
  keeper.settled();
  keeper.trim(); // a small heap: nothing to do
  // About 90 MB of left-over nodes: under settled()'s threshold (128 MB), collected by trim().
  const make = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'scalar', start: i, end: i + 1, value: `v${i}` }));
  let garbage: unknown[] | undefined = make(900_000);
  garbage = undefined;
  const before = used();
  keeper.settled();
  assert.ok(used() > before - 5, 'settled() leaves it to V8');
  keeper.trim();
  assert.ok(used() < before - 40, `after trim(): ${used().toFixed(0)} MB, before ${before.toFixed(0)} MB`);
  // A little garbage in a small heap: left alone.
  let little: unknown[] | undefined = Array.from({ length: 100_000 }, (_, i) => ({ i }));
  little = undefined;
  const small = used();
  assert.ok(small < 60, `the heap is small: ${small.toFixed(0)} MB`);
  keeper.trim();
  assert.ok(used() > small - 2, 'a little garbage in a small heap was collected');
  // A large heap (a contract's tree, live) with the same little garbage: collected all the same.
  const tree = make(900_000);
  little = Array.from({ length: 100_000 }, (_, i) => ({ i }));
  little = undefined;
  const large = used();
  assert.ok(large > 70, `the heap is large: ${large.toFixed(0)} MB`);
  keeper.trim();
  assert.ok(used() < large - 2, `after trim() of a large heap: ${used().toFixed(0)} MB, before ${large.toFixed(0)} MB`);
  assert.equal(tree.length, 900_000);
  void garbage;
  void little;
});

test('heap keeper with a live-size ceiling (the server): no forced collection once what the last full collection left is above it, ours or V8\'s', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  assert.ok(used() < 48, `the test starts with ${used().toFixed(0)} MB used`);
  const keeper = new HeapKeeper({ maxLive: 64 << 20 });
  // About 100 MB that stays live (a large contract's tree), then a full collection by someone else.
  const live = Array.from({ length: 1_000_000 }, (_, i) => ({ kind: 'scalar', start: i, end: i + 1, value: `v${i}` }));
  gc();
  await new Promise((r) => setTimeout(r, 50)); // the collection is reported at a later turn
  const make = () => Array.from({ length: 1_200_000 }, (_, i) => ({ kind: 'scalar', start: i, end: i + 1, value: `w${i}` }));
  let garbage: unknown[] | undefined = make();
  garbage = undefined;
  const before = used();
  keeper.settled();
  keeper.trim();
  assert.ok(used() > before - 20, `a collection ran: ${used().toFixed(0)} MB, before ${before.toFixed(0)} MB`);
  // Without the ceiling (the quality worker, which answers no requests), the same garbage is collected.
  const worker = new HeapKeeper();
  worker.settled();
  garbage = make();
  garbage = undefined;
  const again = used();
  worker.trim();
  assert.ok(used() < again - 60, `after trim() without a ceiling: ${used().toFixed(0)} MB, before ${again.toFixed(0)} MB`);
  assert.equal(live.length, 1_000_000);
  void garbage;
});
