// The records of the crash test: `<run> <thread> <seq> <filler>\n`, the filler's length a function of
// (thread, seq), so a checker can tell a whole record from a cut or spliced one.
// Every 10th record of thread 3 is large (up to 99 KB): the flusher's writes grow, and a kill is more
// likely to land inside one and leave a torn tail.
export function crashRecord(run: number, thread: number, seq: number): string {
  const length = thread === 3 && seq % 10 === 0 ? (seq * 7919 % 100) * 1000 : (seq * 7919 + thread * 104729) % 500;
  const filler = "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil(length / 26)).slice(0, length);
  return `${run} ${thread} ${seq} ${filler}\n`;
}

/** Parses a record back, or undefined when it is not exactly one whole crash record. */
export function parseCrashRecord(text: string): { run: number; thread: number; seq: number } | undefined {
  const match = /^(\d+) (\d+) (\d+) [a-z]*\n$/.exec(text);
  if (!match) return undefined;
  const [run, thread, seq] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return crashRecord(run, thread, seq) === text ? { run, thread, seq } : undefined;
}
