/**
 * The environment the language server process starts with, the same for every door that starts
 * it (the VS Code client, the benchmark). A server that reads a 13 MB document out of an LSP
 * message allocates buffers of that size; glibc's malloc serves a large allocation with its own
 * mapping and gives it back when freed, but after the first such free it raises that threshold to
 * the freed size (up to 32 MB), and from then on serves them from its heap, which it keeps:
 * about 90 MB more resident memory on GitHub's description after an open, an edit burst and a
 * quality pass. A fixed threshold (glibc's default, 128 KB) keeps the mappings. Other C
 * libraries ignore the variable; a value the user set is kept.
 */
export function serverEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, MALLOC_MMAP_THRESHOLD_: base.MALLOC_MMAP_THRESHOLD_ ?? String(128 * 1024) };
}
