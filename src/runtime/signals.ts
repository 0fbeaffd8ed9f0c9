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

type SignalName = "SIGINT" | "SIGTERM";
// POSIX numbers, the same on Linux and macOS.
const SIGNAL_NUMBERS: Record<SignalName, number> = { SIGINT: 2, SIGTERM: 15 };

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
  for (const signal of Object.keys(SIGNAL_NUMBERS) as SignalName[]) {
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

/**
 * Makes SIGINT and SIGTERM exit the process with 128 + the signal's number, which drains every open log
 * through its exit hook. Returns the release: once every holder has released, the signals' default action
 * is back. Releasing twice counts once.
 */
export function holdSignals(): () => void {
  const api = signalApi();
  if (holders++ === 0) install(api);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holders === 0) uninstall(api);
  };
}
