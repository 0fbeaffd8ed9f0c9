// The counters of a log, one numbering for the ring (ring.ts, R + COUNTERS) and the article's strategies
// (log_state.ts, S + LOG_COUNTERS): i64 each at counters + 8 * n, so that one stats() reading serves both
// (src/core/writer_state.ts). A strategy leaves the counters it has no use for at 0.

export const COUNT_RECORDS: i32 = 0; //     records written to the file
export const COUNT_BYTES: i32 = 1; //       payload bytes written to the file (frame headers included)
export const COUNT_BATCHES: i32 = 2; //     file writes, each carrying a batch (a gather, a block, a record)
export const COUNT_OCCUPANCY: i32 = 3; //   highest bytes waiting for the file (ring: tail - head; blocks queued)
export const COUNT_DROPPED: i32 = 4; //     records refused by onFull "drop"
export const COUNT_FULL_WAITS: i32 = 5; //  writes that had to wait: a full ring, a contended lock, no free block
export const COUNT_UNBLOCKED: i32 = 6; //   dead producers' claims revoked (ring)
export const COUNT_SYNCS: i32 = 7; //       fdatasync calls
export const COUNT_LOST: i32 = 8; //        records whose claim was revoked under a live producer (ring)
export const COUNT_ROTATIONS: i32 = 9; //   files this log's flusher rotated (ring, src/rotation/)
export const COUNTER_COUNT: i32 = 10;
