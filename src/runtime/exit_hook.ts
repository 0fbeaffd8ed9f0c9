// Exit safety: records committed before the process ends reach the file. Each opener registers a
// synchronous close (drain everything, stop the writer thread) and may register a synchronous flush
// (write what is committed, keep going). They run on whichever of these fires (measured here in the three
// runtimes; test/runtime/exit.test.ts holds each case):
//   Node, Bun: process 'exit' fires on natural end, process.exit() and uncaught errors: close.
//   Deno: 'unload' on natural end and process.exit(): close. Nothing fires on an uncaught throw, so also
//   'error' and 'unhandledrejection', which fire before the process dies. The program may yet handle them
//   (preventDefault) and go on, so these only flush: the log stays open.
// Worker threads are killed only after the exit handlers return, so a synchronous handshake with the
// writer thread still works inside them.
// A drain that could not put every record in the file (the file failed, or it gave up at its bound) throws
// an Error saying how many records were left: it is written to stderr and the exit code becomes non-zero
// (1, unless the program set another), so a process never ends "successfully" with records lost unsaid.

type Drain = () => void;
interface Hooks {
  close: Drain;
  flush: Drain | undefined;
}
const registered = new Set<Hooks>();
let installed = false;

function runAll(which: "close" | "flush"): void {
  for (const hooks of [...registered]) {
    if (which === "close") registered.delete(hooks);
    try {
      (hooks[which] ?? hooks.close)();
    } catch (error) {
      // Not thrown on: the other logs still drain.
      reportLoss(error);
    }
  }
}

function reportLoss(error: unknown): void {
  const message = String((error as Error)?.message ?? error);
  // The drains that can count what they left say so; any other error of a drain (a buffered block whose
  // write failed) is still a loss.
  const text = message.includes("at exit") ? `${message}\n` : `ringlog: at exit, records did not all reach the file: ${message}\n`;
  const g = globalThis as unknown as { process?: { stderr?: { write(text: string): unknown }; exitCode?: number | string } };
  if (g.process?.stderr) g.process.stderr.write(text); // synchronous for files and pipes, as exit handlers need
  else console.error(text);
  if (g.process && !Number(g.process.exitCode)) g.process.exitCode = 1;
}

/**
 * Runs `close` synchronously when the process exits; `flush` (default: close) when Deno reports an
 * uncaught error the program may still handle. Either throws when records did not reach the file (see the
 * top): reported, never thrown on. Returns the function that unregisters both.
 */
export function onExit(close: Drain, flush?: Drain): () => void {
  if (!installed) {
    installed = true;
    const g = globalThis as unknown as {
      process?: { on?(event: string, fn: () => void): void };
      addEventListener?(event: string, fn: () => void): void;
      Deno?: unknown;
    };
    g.process?.on?.("exit", () => runAll("close"));
    if (g.Deno !== undefined && g.addEventListener) {
      g.addEventListener("unload", () => runAll("close"));
      for (const event of ["error", "unhandledrejection"]) g.addEventListener(event, () => runAll("flush"));
    }
  }
  const hooks = { close, flush };
  registered.add(hooks);
  return () => registered.delete(hooks);
}
