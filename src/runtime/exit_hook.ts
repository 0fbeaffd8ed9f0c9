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
    } catch {
      // An exit hook must not throw; the other logs still drain.
    }
  }
}

/**
 * Runs `close` synchronously when the process exits; `flush` (default: close) when Deno reports an
 * uncaught error the program may still handle. Returns the function that unregisters both.
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
