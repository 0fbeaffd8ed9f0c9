// A log's writer thread: the one thread that owns the file (the ring's flusher, buffered-offthread's
// background writer). Both halves of its life are here, once:
//   the opener's side, startWriterThread(): start the worker, wait for its "ready" or its open error (with
//   the error's code, as node:fs gives it: ENOENT, EACCES), report a thread that dies, unref it;
//   the thread's side, runWriterThread(): open the file, say ready, run until drained, close, publish DONE;
//   any error is published as a FileError naming the operation and the path, with its code.
// The thread opens the file itself: Deno gives every thread its own fd table, so an fd never crosses threads.
import { FileError, type FileHandle } from "../io/driver.ts";

/** The opener's hold on a started writer thread. */
export interface WriterThread {
  /** Lets the thread keep the process alive again (close() waits for it). */
  ref(): void;
  /** Resolves when the thread has exited. */
  readonly exited: Promise<void>;
}

/** What the opener needs to know to start one. */
export interface WriterThreadStart {
  /** The worker module (runtime/module_url.ts). */
  entry: URL;
  workerData: unknown;
  /** The log's path, for error messages. */
  path: string;
  /** "flusher" or "writer": how messages name the thread. */
  role: string;
  /** The thread died (an uncaught error in it): publish `message` as the log's failure (pino#2048). */
  died(message: string): void;
  /** The failure the thread published, if any: the reason it exited before it was ready. */
  failure(): Error | undefined;
}

interface ThreadMessage {
  type: "ready" | "error";
  message?: string;
  code?: string;
}

/** Starts the writer thread and resolves once it has opened the file; rejects with its open error. */
export async function startWriterThread(start: WriterThreadStart): Promise<WriterThread> {
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(start.entry, { workerData: start.workerData });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const name = JSON.stringify(start.path);
  // A writer thread that dies is reported to every waiter and writer, never left silent.
  worker.on("error", (error: Error) => start.died(`ringlog: the ${start.role} thread of ${name} died: ${error?.message ?? error}`));
  await new Promise<void>((resolve, reject) => {
    worker.once("message", (message: ThreadMessage) => {
      if (message.type === "ready") resolve();
      else reject(Object.assign(new Error(message.message), { code: message.code }));
    });
    exited.then(() => reject(start.failure() ?? new Error(`ringlog: the ${start.role} thread for ${name} exited before opening the file`)));
  });
  worker.unref(); // it must not keep the process alive: close() or the exit drain ends it
  return { ref: () => worker.ref(), exited };
}

/** The port a writer thread talks to its opener through (node:worker_threads' parentPort). */
export interface OpenerPort {
  postMessage(message: ThreadMessage): void;
}

/** The writer thread's own steps; runWriterThread() orders them and reports their errors. */
export interface WriterThreadSteps<F extends FileHandle = FileHandle> {
  /** Opens the file (and writes what a new file starts with). Its error goes to the opener. */
  open(): Promise<F>;
  /** Publishes OPEN, where the log has such a state, before the opener hears "ready". */
  opened?(): void;
  /** Writes until the log is closed and drained. Throws the file's error. */
  run(file: F): void;
  /** Everything is in the file and the file is closed: publish DONE. */
  done(): void;
  /** Publish the file's failure to every thread. */
  failed(error: FileError): void;
}

/** The whole life of a writer thread. */
export async function runWriterThread<F extends FileHandle>(port: OpenerPort, path: string, steps: WriterThreadSteps<F>): Promise<void> {
  let file: F;
  try {
    file = await steps.open();
  } catch (error) {
    port.postMessage({ type: "error", message: String((error as Error)?.message ?? error), code: (error as { code?: string })?.code });
    return;
  }
  steps.opened?.();
  port.postMessage({ type: "ready" });
  let closed = false;
  try {
    steps.run(file);
    closed = true; // even if close() throws: never close an fd twice (it may be another file's by then)
    file.close();
    steps.done();
  } catch (error) {
    // The file's own errors name their operation; anything else (a driver that wrote 0 bytes) was a write.
    steps.failed(error instanceof FileError ? error : new FileError(path, "write", error));
    if (!closed) {
      try {
        file.close();
      } catch {
        // The file's first error is the one reported.
      }
    }
  }
}
