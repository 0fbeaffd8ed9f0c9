// The rotation benchmark's record: 128 bytes, `<writer> <seq, 10 digits> aaa...a\n`, written by
// bench/rotation_worker.ts (the seq counted up in place in one buffer, so a record costs no encoding), and
// its checker, which bench/rotation.ts runs over every file of every run's log.

export const RECORD = 128;
/** Where the seq's first digit is; the writer (one digit) is at 0. */
export const SEQ_AT = 2;
export const SEQ_DIGITS = 10;
/** Bytes before the filler: writer, space, seq, space. */
export const PREFIX = SEQ_AT + SEQ_DIGITS + 1;

/** Record 0 of `writer`. */
export function firstRecord(writer: number): Uint8Array {
  const record = new Uint8Array(RECORD).fill(0x61);
  record.set(new TextEncoder().encode(`${writer} ${"0".repeat(SEQ_DIGITS)} `));
  record[RECORD - 1] = 0x0a;
  return record;
}

/** Counts the record's decimal seq up by one, in place. */
export function nextRecord(record: Uint8Array): void {
  for (let at = SEQ_AT + SEQ_DIGITS - 1; at >= SEQ_AT; at--) {
    if (record[at] !== 0x39) {
      record[at]++;
      return;
    }
    record[at] = 0x30;
  }
}

/** One file of the log, as read. */
export interface RecordFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Throws at the first fault in the log's `files` (oldest first): a file that is not whole records (a record
 * split across files) or larger than `maxFileBytes`, bytes that are no record or a torn one, a writer's
 * record lost, duplicated or out of order across the files, or a writer with other than `perWriter`
 * records. Writers are 0 to `writers` - 1.
 */
export function checkRecordFiles(files: readonly RecordFile[], writers: number, perWriter: number, maxFileBytes: number): void {
  const expected = new Array<number>(writers).fill(0);
  const template = firstRecord(0);
  for (const { name, bytes } of files) {
    if (bytes.length % RECORD !== 0) throw new Error(`${name}: ${bytes.length} bytes, not a whole number of ${RECORD}-byte records`);
    if (bytes.length > maxFileBytes) throw new Error(`${name}: ${bytes.length} bytes, more than ${maxFileBytes}`);
    for (let at = 0; at < bytes.length; at += RECORD) {
      const writer = bytes[at] - 0x30;
      if (!(writer >= 0 && writer < writers) || bytes[at + 1] !== 0x20 || bytes[at + PREFIX - 1] !== 0x20) {
        throw new Error(`${name} byte ${at}: no record here`);
      }
      let seq = 0;
      for (let i = SEQ_AT; i < SEQ_AT + SEQ_DIGITS; i++) {
        const digit = bytes[at + i] - 0x30;
        if (!(digit >= 0 && digit <= 9)) throw new Error(`${name} byte ${at}: no record here`);
        seq = seq * 10 + digit;
      }
      if (seq !== expected[writer]) throw new Error(`${name} byte ${at}: writer ${writer} record ${seq}, expected ${expected[writer]} (lost, duplicated or reordered)`);
      expected[writer]++;
      for (let i = PREFIX; i < RECORD; i++) {
        if (bytes[at + i] !== template[i]) throw new Error(`${name} byte ${at}: writer ${writer} record ${seq} is torn or corrupt`);
      }
    }
  }
  for (let w = 0; w < writers; w++) {
    if (expected[w] !== perWriter) throw new Error(`writer ${w}: ${expected[w]} records in the files, of ${perWriter}`);
  }
}
