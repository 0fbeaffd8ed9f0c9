// Waiting on a word of shared memory without blocking the event loop.

/**
 * Resolves once `done()` is true, re-checking whenever the i64 word at `index` changes (Atomics.waitAsync).
 * `interrupt()` is checked on every wake: an Error rejects, `true` stops waiting (the word will never move
 * again, e.g. the writer thread is gone), undefined waits on. A pending waitAsync does not keep Node or Bun
 * alive (measured here: a script whose only pending work is a waitAsync exits; test/ring/flush.test.ts
 * checks a flush at a script's end), so a ref'd timer does while we wait: `await log.flush()` at the end of a script
 * must not let the process exit under it.
 */
export async function waitForWord(
  i64: BigInt64Array,
  index: number,
  done: (value: bigint) => boolean,
  interrupt: () => Error | true | undefined,
): Promise<void> {
  let value = Atomics.load(i64, index);
  if (done(value)) return;
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    for (;;) {
      const stop = interrupt();
      if (stop === true) return;
      if (stop) throw stop;
      // A timeout bounds the wait even if a notify were missed; 200 ms costs nothing when idle.
      const result = Atomics.waitAsync(i64, index, value, 200);
      if (result.async) await result.value;
      value = Atomics.load(i64, index);
      if (done(value)) return;
    }
  } finally {
    clearInterval(keepAlive);
  }
}
