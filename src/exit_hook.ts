// Exit safety: records committed before the process ends reach the file. Each opener registers a
// synchronous drain; it runs on whichever of these fires first (ANCHORS.md §5, exit-hook table):
//   Node, Bun: process 'exit' fires on natural end, process.exit() and uncaught errors.
//   Deno: 'unload' on natural end and process.exit(); nothing on an uncaught throw, so also 'error' and
//   'unhandledrejection', which fire before the process dies. Worker threads are killed only after the
//   exit handlers return, so a synchronous handshake with the flusher thread still works inside them.

type Drain = () => void;
const drains = new Set<Drain>();
let installed = false;

function drainAll(): void {
  for (const drain of [...drains]) {
    drains.delete(drain);
    try {
      drain();
    } catch {
      // An exit hook must not throw; the other logs still drain.
    }
  }
}

/** Runs `drain` synchronously when the process exits. Returns the function that unregisters it. */
export function onExit(drain: Drain): () => void {
  if (!installed) {
    installed = true;
    const g = globalThis as unknown as {
      process?: { on?(event: string, fn: () => void): void };
      addEventListener?(event: string, fn: () => void): void;
      Deno?: unknown;
    };
    g.process?.on?.("exit", drainAll);
    if (g.Deno !== undefined && g.addEventListener) {
      for (const event of ["unload", "error", "unhandledrejection"]) g.addEventListener(event, drainAll);
    }
  }
  drains.add(drain);
  return () => drains.delete(drain);
}
