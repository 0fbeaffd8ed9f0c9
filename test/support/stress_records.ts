// The records of the exactly-once stress test, reproducible from (seed, thread, seq) so the checker can
// regenerate what each thread wrote. Payloads mix 1-, 2-, 3- and 4-byte UTF-8 so a record torn or spliced
// anywhere, even inside a character, fails the check.

const ALPHABET = ["a", "b", "z", "0", "9", "~", " ", "é", "ß", "Ж", "中", "語", "€", "😀", "🦀"];
// Up to 500 characters of at most 4 bytes: payloads of 1 to 2000 bytes.
const MAX_CHARS = 500;

export type Mode = "string" | "bytes" | "record";
const MODES: Mode[] = ["string", "bytes", "record"];

/** mulberry32: a tiny fast PRNG, good enough to vary lengths and content. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The body of record `seq` of `thread`: `<thread> <seq> <payload>` and how it is to be written. */
export function stressRecord(seed: number, thread: number, seq: number): { body: string; mode: Mode } {
  const next = random(seed ^ Math.imul(thread + 1, 0x9e3779b1) ^ Math.imul(seq + 1, 0x85ebca6b));
  const chars = 1 + Math.floor(next() * MAX_CHARS);
  let payload = "";
  for (let i = 0; i < chars; i++) payload += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return { body: `${thread} ${seq} ${payload}`, mode: MODES[Math.floor(next() * MODES.length)] };
}

const RECORD_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} /;

export interface StressCheck {
  lines: number;
  problems: string[];
}

/**
 * Checks a file's text against what `threads` threads × `count` records wrote: every record exactly once,
 * whole, each thread's in its own order. Returns the problems found (at most 20 listed).
 */
export function checkStress(text: string, seed: number, threads: number, count: number): StressCheck {
  const problems: string[] = [];
  const complain = (p: string) => { if (problems.length < 20) problems.push(p); };
  const next = new Array<number>(threads).fill(0);
  if (text.length > 0 && !text.endsWith("\n")) complain("the file does not end with a newline (a torn last record)");
  const lines = text.split("\n");
  lines.pop();
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    const stamped = RECORD_PREFIX.exec(line);
    if (stamped) line = line.slice(stamped[0].length);
    const match = /^(\d+) (\d+) /.exec(line);
    if (!match) { complain(`line ${n + 1} is malformed: ${JSON.stringify(line.slice(0, 80))}`); continue; }
    const thread = Number(match[1]);
    const seq = Number(match[2]);
    if (!(thread < threads)) { complain(`line ${n + 1}: no thread ${thread}`); continue; }
    if (seq !== next[thread]) complain(`line ${n + 1}: thread ${thread} record ${seq}, expected ${next[thread]} (lost, duplicated or reordered)`);
    const expected = stressRecord(seed, thread, seq);
    if (line !== expected.body) complain(`line ${n + 1}: thread ${thread} record ${seq} is torn or corrupted`);
    if ((expected.mode === "record") !== (stamped !== null)) complain(`line ${n + 1}: thread ${thread} record ${seq} has the wrong form for ${expected.mode}`);
    next[thread] = seq + 1;
  }
  next.forEach((got, thread) => { if (got !== count) complain(`thread ${thread}: ${got} of ${count} records in the file`); });
  return { lines: lines.length, problems };
}
