// open()'s handleSignals: SIGINT and SIGTERM drain the log, then end the process with the shell's code for
// death by that signal, 128 + its number (130, 143), so callers and supervisors still see why it ended.
//
// The drain is the exit hook's (exit_hook.ts): exiting runs it in every runtime, so the handler only exits.
// Tested on Node 20, Deno 2.9 and Bun 1.4: process.exit() in a Node or Bun signal listener fires 'exit';
// Deno.exit() in a Deno.addSignalListener listener dispatches 'unload' (not process 'exit').
//
// One listener per signal for the whole process, counted: installed when the first log that asked opens,
// removed when the last of them has closed. Removing it gives the signal its default action back (the
// process dies by it) in all three runtimes, and no listener keeps the process alive.
//
// Main thread only: a Node worker_thread receives no signals, and its process.exit() ends only the worker.
//
// SIGHUP reopens every such log that can (the ring: log.reopen()), the way daemons let logrotate's
// `postrotate` tell them to (nginx uses USR1 for the same). Its listener is there while at least one such
// log is open; without one, SIGHUP keeps its default action too.

type SignalName = "SIGINT" | "SIGTERM" | "SIGHUP";
// POSIX numbers, the same on Linux and macOS.
const SIGNAL_NUMBERS: Record<"SIGINT" | "SIGTERM", number> = { SIGINT: 2, SIGTERM: 15 };

interface SignalApi {
  add(signal: SignalName, listener: () => void): void;
  remove(signal: SignalName, listener: () => void): void;
  exit(code: number): void;
}

function signalApi(): SignalApi {
  const g = globalThis as unknown as {
    Deno?: {
      addSignalListener(signal: SignalName, listener: () => void): void;
      removeSignalListener(signal: SignalName, listener: () => void): void;
      exit(code: number): never;
    };
    process: { on(event: string, fn: () => void): void; off(event: string, fn: () => void): void; exit(code: number): never };
  };
  const deno = g.Deno;
  if (deno !== undefined) {
    return {
      add: (signal, listener) => deno.addSignalListener(signal, listener),
      remove: (signal, listener) => deno.removeSignalListener(signal, listener),
      exit: (code) => deno.exit(code),
    };
  }
  const process = g.process;
  return { add: (signal, listener) => process.on(signal, listener), remove: (signal, listener) => process.off(signal, listener), exit: (code) => process.exit(code) };
}

let holders = 0;
const installed = new Map<SignalName, () => void>();

function uninstall(api: SignalApi): void {
  for (const [signal, listener] of installed) api.remove(signal, listener);
  installed.clear();
}

function install(api: SignalApi): void {
  for (const signal of Object.keys(SIGNAL_NUMBERS) as (keyof typeof SIGNAL_NUMBERS)[]) {
    const listener = () => {
      // Default action first: a second signal during a long drain (a stalled disk) ends the process at
      // once, the usual way out.
      uninstall(api);
      api.exit(128 + SIGNAL_NUMBERS[signal]);
    };
    installed.set(signal, listener);
    api.add(signal, listener);
  }
}

const reopeners = new Set<() => Promise<void>>();
const reopenAll = () => {
  // A reopen that fails has put its error where every later call of that log sees it (or the log is closing).
  for (const reopen of reopeners) reopen().catch(() => {});
};

/**
 * Makes SIGINT and SIGTERM exit the process with 128 + the signal's number, which drains every open log
 * through its exit hook, and SIGHUP call `reopen` (when given) of every holder that has one. Returns the
 * release: once every holder has released, the signals' default action is back. Releasing twice counts once.
 */
export function holdSignals(reopen?: () => Promise<void>): () => void {
  const api = signalApi();
  if (holders++ === 0) install(api);
  if (reopen !== undefined) {
    if (reopeners.size === 0) api.add("SIGHUP", reopenAll);
    reopeners.add(reopen);
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (reopen !== undefined && reopeners.delete(reopen) && reopeners.size === 0) api.remove("SIGHUP", reopenAll);
    if (--holders === 0) uninstall(api);
  };
}
