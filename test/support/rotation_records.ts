// The records of the rotation tests and their checker. A record is one line, `<writer> <seq> <pad>\n`, its
// pad reproducible from (writer, seq) so that a torn or spliced record never passes; a writer is a thread
// of a process (several processes: writer = process * 10 + thread). The checker reads every file of a
// rotated log, oldest first (plain `ls` order of the rotated names, the active file last), and finds, per
// writer, records lost, duplicated or out of order, and files that end inside a record (split).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { FRAMES_MAGIC } from "../../src/frames/frames.ts";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Record `seq` of `writer`: 20 to 219 bytes. */
export function rotationRecord(writer: number, seq: number): string {
  const length = (Math.imul(seq + 1, 7919) ^ Math.imul(writer + 1, 104729)) >>> 0;
  return `${writer} ${seq} ${LETTERS[(writer * 31 + seq) % 26].repeat(10 + (length % 200))}\n`;
}

/** One file of the log, as read. */
export interface LogFile {
  /** Its name in the directory. */
  name: string;
  /** Bytes on disk (compressed, for a .gz). */
  size: number;
  /** Its records' text (decompressed; for frames, the frames' payloads joined). */
  text: string;
}

/**
 * The log's files, oldest first: its rotated files (plain and .gz) by name, then `path` itself if present.
 * A plain file and its .gz both there (a compression stopped between the .gz's rename and the plain
 * file's removal, as at process exit) are one file when they hold the same records, as a reader takes them;
 * different, both are listed and the check sees the records twice.
 */
export function logFiles(path: string): LogFile[] {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const names = rotatedFiles(path, readdirSync(dir)).map((file) => file.name);
  const active = path.slice(dir.length + 1);
  if (readdirSync(dir).includes(active)) names.push(active);
  const files = names.map((name) => {
    const bytes = readFileSync(`${dir}/${name}`);
    return { name, size: statSync(`${dir}/${name}`).size, text: logText(name.endsWith(".gz") ? gunzipSync(bytes) : bytes) };
  });
  return files.filter((file, i) => !(file.name.endsWith(".gz") && files[i - 1]?.name === file.name.slice(0, -3) && files[i - 1].text === file.text));
}

/** A file's records as text: a text log as it is, a frames log's payloads (each must be one line). */
export function logText(bytes: Uint8Array): string {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  if (bytes.length < FRAMES_MAGIC.length || !FRAMES_MAGIC.every((b, i) => bytes[i] === b)) return decoder.decode(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = "";
  for (let at = FRAMES_MAGIC.length; at < bytes.length;) {
    const n = view.getUint32(at, true);
    const line = decoder.decode(bytes.subarray(at + 8, at + 8 + n));
    if (at + 8 + n > bytes.length || line.indexOf("\n") !== line.length - 1) throw new Error(`a frame at byte ${at} is not one whole record`);
    text += line;
    at += 8 + n;
  }
  return text;
}

export interface CheckOptions {
  /** Writers killed mid-run: their records may stop early (a whole ordered prefix). */
  mayStop?: ReadonlySet<number>;
  /** Oldest files were removed (keep, maxAgeMs): a writer's records may start late (a whole ordered suffix). */
  mayStartLate?: boolean;
}

export interface RotationCheck {
  problems: string[];
  /** Records found. */
  records: number;
  /** Per writer: the first and the last seq found. */
  seen: Map<number, { first: number; last: number }>;
}

/**
 * Every record of every writer exactly once, whole, in order across the files, each file ending on a
 * record's end. `counts`: how many records each writer wrote.
 */
export function checkFiles(files: readonly LogFile[], counts: ReadonlyMap<number, number>, options: CheckOptions = {}): RotationCheck {
  const problems: string[] = [];
  const complain = (problem: string) => {
    if (problems.length < 20) problems.push(problem);
  };
  const seen = new Map<number, { first: number; last: number }>();
  let records = 0;
  for (const file of files) {
    if (file.text.length > 0 && !file.text.endsWith("\n")) complain(`${file.name} ends inside a record (a record split across files)`);
    const lines = file.text.split("\n");
    lines.pop();
    for (let n = 0; n < lines.length; n++) {
      const match = /^(\d+) (\d+) /.exec(lines[n]);
      const writer = Number(match?.[1]);
      const seq = Number(match?.[2]);
      if (match === null || !counts.has(writer)) {
        complain(`${file.name} line ${n + 1} is no record: ${JSON.stringify(lines[n].slice(0, 60))}`);
        continue;
      }
      records++;
      if (`${lines[n]}\n` !== rotationRecord(writer, seq)) complain(`${file.name} line ${n + 1}: writer ${writer} record ${seq} is torn or corrupt`);
      const mine = seen.get(writer);
      const expected = mine === undefined ? (options.mayStartLate ? seq : 0) : mine.last + 1;
      if (seq !== expected) complain(`${file.name} line ${n + 1}: writer ${writer} record ${seq}, expected ${expected} (lost, duplicated or reordered)`);
      if (mine === undefined) seen.set(writer, { first: seq, last: seq });
      else mine.last = seq;
    }
  }
  for (const [writer, count] of counts) {
    const last = seen.get(writer)?.last ?? -1;
    if (last !== count - 1 && !(options.mayStop?.has(writer) && last < count)) complain(`writer ${writer}: its last record in the files is ${last}, of ${count}`);
  }
  return { problems, records, seen };
}
