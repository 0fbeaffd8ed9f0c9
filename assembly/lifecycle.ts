// The lifecycle word of a log's writer thread, one numbering for the ring (ring.ts, R + LIFECYCLE) and the
// article's strategies (log_state.ts, S + LOG_LIFECYCLE). An i32; the writer thread (or the closer) raises
// it (a CAS: WriterState.publishLifecycle, src/core/writer_state.ts) and notifies; every thread reads it.
// Zeroed memory reads OPENING: nothing is open until the opener or the writer thread says so.
//
// The numbers are in the order of the states, and FAILED is the highest: the lifecycle only ever rises
// (log_state.ts S1), and readers test `>= DRAINING`, `< DONE`.
//
//   OPENING -> OPEN -> [CLOSING -> DRAINING] -> DONE       FAILED may replace any state after OPENING
//
// The ring uses OPENING, OPEN, DONE, FAILED (its closing is the CLOSED bit of its tail word); the strategies
// also pass through CLOSING and DRAINING (log_state.ts). FAILED is stored after the failure text, so a reader
// that sees FAILED finds the text.

export const OPENING: i32 = 0;
export const OPEN: i32 = 1;
export const CLOSING: i32 = 2;
export const DRAINING: i32 = 3;
export const DONE: i32 = 4;
export const FAILED: i32 = 5;
