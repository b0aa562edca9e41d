import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
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

test('heap keeper: trim() (before a quality pass starts in the worker) collects garbage that settled() leaves, but not a little', () => {
  const keeper = new HeapKeeper();
  keeper.settled();
  keeper.trim(); // nothing to do: under the slack
  // About 60 MB of left-over nodes: under settled()'s threshold (128 MB), over trim()'s (32 MB).
  const make = () => Array.from({ length: 600_000 }, (_, i) => ({ kind: 'scalar', start: i, end: i + 1, value: `v${i}` }));
  let garbage: unknown[] | undefined = make();
  garbage = undefined;
  const before = used();
  keeper.settled();
  assert.ok(used() > before - 5, 'settled() leaves it to V8');
  keeper.trim();
  assert.ok(used() < before - 40, `after trim(): ${used().toFixed(0)} MB, before ${before.toFixed(0)} MB`);
  // A little garbage after that: left alone.
  let little: unknown[] | undefined = Array.from({ length: 100_000 }, (_, i) => ({ i }));
  little = undefined;
  const small = used();
  keeper.trim();
  assert.ok(used() > small - 2, 'a little garbage was collected');
  void garbage;
  void little;
});
