// A background thread's failure, as text in the shared memory: stored once by the thread that failed,
// read by every writer and waiter, which rethrow it as their own Error. Layout at `at`:
//   i32 length | UTF-8 bytes (at most `capacity`): the error's code (empty if none), "\n", its message
// The code goes first so that a message cut at `capacity` still keeps it: callers test `error.code`
// ("ENOSPC", "EIO") in every thread, as they would on an error from node:fs.

/** Stores the text; the caller publishes FAILED afterwards (a seq-cst store orders the two). */
export function storeFailureText(memory: WebAssembly.Memory, at: number, capacity: number, message: string, code?: string): void {
  const bytes = new TextEncoder().encode(`${code ?? ""}\n${message}`).subarray(0, capacity);
  new Uint8Array(memory.buffer).set(bytes, at + 4);
  Atomics.store(new Int32Array(memory.buffer), at / 4, bytes.length);
}

/** The stored failure as an Error, with its `code` when it had one. */
export function loadFailure(memory: WebAssembly.Memory, at: number): Error & { code?: string } {
  const length = Atomics.load(new Int32Array(memory.buffer), at / 4);
  // TextDecoder refuses views of shared memory: copy the few bytes out first.
  const text = new TextDecoder().decode(new Uint8Array(memory.buffer).slice(at + 4, at + 4 + length));
  const newline = text.indexOf("\n");
  const error = new Error(text.slice(newline + 1));
  return newline > 0 ? Object.assign(error, { code: text.slice(0, newline) }) : error;
}
