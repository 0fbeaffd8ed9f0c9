// The Sequencer's commit waiters, sorted by offset so that after each write the satisfied ones are a prefix
// and are settled together (pendingCommits in Hadoop's NFS gateway, OpenFileCtx.java in hadoop-hdfs-nfs). Queued, never polled: HDFS-5281.

/** A commit() call waiting for `offset` to be written (and synced when `durable`). */
export interface CommitWaiter {
  offset: number;
  durable: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Commit waiters in offset order: settle(written, synced) answers, in one pass, every waiter whose offset
 * is reached (a durable one only once synced reaches it).
 */
export class CommitWaiters {
  #waiters: CommitWaiter[] = [];

  /** How many commits are waiting. */
  get size(): number {
    return this.#waiters.length;
  }

  /** Queues a waiter after those with a lower or equal offset (equal offsets keep their call order). */
  add(waiter: CommitWaiter): void {
    let low = 0;
    let high = this.#waiters.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#waiters[mid].offset <= waiter.offset) low = mid + 1;
      else high = mid;
    }
    this.#waiters.splice(low, 0, waiter);
  }

  /** Resolves every waiter satisfied by these positions: offset <= written, and <= synced if durable. */
  settle(written: number, synced: number): void {
    let kept = 0;
    let i = 0;
    const waiters = this.#waiters;
    const done: CommitWaiter[] = [];
    for (; i < waiters.length && waiters[i].offset <= written; i++) {
      const waiter = waiters[i];
      if (!waiter.durable || waiter.offset <= synced) done.push(waiter);
      else waiters[kept++] = waiter;
    }
    if (done.length === 0) return;
    waiters.splice(kept, i - kept);
    for (const waiter of done) waiter.resolve();
  }

  /** The highest durable offset already written but not yet synced (0 if none): a sync is due. */
  syncDue(written: number, synced: number): number {
    let due = 0;
    for (let i = 0; i < this.#waiters.length && this.#waiters[i].offset <= written; i++) {
      const waiter = this.#waiters[i];
      if (waiter.durable && waiter.offset > synced) due = waiter.offset;
    }
    return due;
  }

  /** Rejects every waiter whose offset is above `reached` (all of them by default). */
  rejectAbove(error: Error, reached = -1): void {
    const kept: CommitWaiter[] = [];
    const failed: CommitWaiter[] = [];
    for (const waiter of this.#waiters) (waiter.offset > reached ? failed : kept).push(waiter);
    this.#waiters = kept;
    for (const waiter of failed) waiter.reject(error);
  }
}
