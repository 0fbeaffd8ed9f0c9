// Progress of a benchmark on stderr, so stdout is the report alone; a TTY gets one line rewritten in place.
import process from "node:process";

const tty = process.stderr.isTTY === true;

export function progress(text: string, final = false): void {
  if (tty) process.stderr.write(`\r\x1b[2K${text}${final ? "\n" : ""}`);
  else if (final) process.stderr.write(`${text}\n`);
}

/** Waits `seconds`, updating the progress line; ends early when `stop()` turns true. */
export async function phase(label: string, seconds: number, stop: () => boolean): Promise<void> {
  const started = performance.now();
  if (!tty) process.stderr.write(`${label} ${seconds} s\n`);
  for (;;) {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= seconds || stop()) return;
    progress(`${label} ${elapsed.toFixed(1)} / ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, (seconds - elapsed) * 1000)));
  }
}
