// A background thread's failure, as text in the shared memory: stored once by the thread that failed,
// read by every writer and waiter, which rethrow it as their own Error. Layout at `at`:
//   i32 length | UTF-8 bytes (at most `capacity`)

/** Stores the text; the caller publishes FAILED afterwards (a seq-cst store orders the two). */
export function storeFailureText(memory: WebAssembly.Memory, at: number, capacity: number, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, capacity);
  new Uint8Array(memory.buffer).set(bytes, at + 4);
  Atomics.store(new Int32Array(memory.buffer), at / 4, bytes.length);
}

/** The stored text as an Error. */
export function loadFailure(memory: WebAssembly.Memory, at: number): Error {
  const length = Atomics.load(new Int32Array(memory.buffer), at / 4);
  // TextDecoder refuses views of shared memory: copy the few bytes out first.
  return new Error(new TextDecoder().decode(new Uint8Array(memory.buffer).slice(at + 4, at + 4 + length)));
}
