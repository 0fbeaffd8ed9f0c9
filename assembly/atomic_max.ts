// A shared helper of the core's files (not exported from the module).

/** Raises the i64 at `at` to `value` unless it is higher already (a CAS loop: wasm has no atomic max). */
export function atomicMax(at: usize, value: i64): void {
  let seen = atomic.load<i64>(at);
  while (seen < value) {
    const was = atomic.cmpxchg<i64>(at, seen, value);
    if (was == seen) break;
    seen = was;
  }
}
