import * as v8 from 'node:v8';
import * as vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * The used heap after full collections, for tests that measure what a structure keeps alive.
 * V8 also keeps the subject of the last regular-expression match (RegExp.lastMatch), which can be
 * a view of a whole text until the next match anywhere: a match on a short string ends that first.
 */
export function heapAfterCollecting(): number {
  /x/.test('x');
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size;
}
