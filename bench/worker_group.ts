// The worker threads of one benchmark run, each posting one result message when it is done, and the control
// words they share: [0] the phase (burst_protocol.ts's Phase), [1] how many workers are ready. The first
// worker to fail (an error, or an exit before its result) moves the phase to Stop, so the others stop too
// and the run ends early.
import { Worker } from "node:worker_threads";
import { Phase } from "./burst_protocol.ts";
import { phase } from "./progress.ts";

const PHASE = 0;
const READY = 1;

/** In a worker: counts this worker as ready (started, attached), for {@link WorkerGroup.ready}. */
export function signalReady(control: SharedArrayBuffer): void {
  Atomics.add(new Int32Array(control), READY, 1);
}

export class WorkerGroup<T> {
  /** The control words: pass them to every worker in its workerData. */
  readonly control = new SharedArrayBuffer(8);
  readonly #words = new Int32Array(this.control);
  readonly #workers: Worker[] = [];
  readonly #reports: Array<Promise<T>> = [];
  #failure: unknown;

  /** Starts a worker; `name` goes into the error when it fails. */
  start(url: URL, name: string, workerData: unknown): void {
    const report = new Promise<T>((resolve, reject) => {
      const worker = new Worker(url, { workerData });
      this.#workers.push(worker);
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`${name} exited with code ${code} before reporting`)));
    }).catch((error) => {
      this.#failure ??= error;
      Atomics.store(this.#words, PHASE, Phase.Stop);
      throw error;
    });
    report.catch(() => {}); // handled in results(), after the phases
    this.#reports.push(report);
  }

  /** Moves every worker to `phase`. */
  enter(phase: number): void {
    Atomics.store(this.#words, PHASE, phase);
  }

  /**
   * Resolves once every worker started has called {@link signalReady}, or one failed. A timed phase should
   * start after this: starting a worker and attaching took over 0.4 s in Node on the loaded 2-core machine,
   * so a short phase could end before a worker wrote anything.
   */
  async ready(): Promise<void> {
    while (Atomics.load(this.#words, READY) < this.#workers.length && !this.failed) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Once every worker is ready: the warm-up, then the measured phase, each `seconds` long and labelled on
   * the progress line, then Stop. Ends early when a worker fails.
   */
  async measure(label: string, warmupSeconds: number, measureSeconds: number): Promise<void> {
    await this.ready();
    await phase(`${label}: warm-up`, warmupSeconds, () => this.failed);
    this.enter(Phase.Measure);
    await phase(`${label}: measure`, measureSeconds, () => this.failed);
    this.enter(Phase.Stop);
  }

  /** A worker has failed: stop waiting for the phase to end. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Every worker's result, in start order. After a failure, terminates them all and throws the first error. */
  async results(): Promise<T[]> {
    try {
      return await Promise.all(this.#reports);
    } catch (error) {
      await Promise.all(this.#workers.map((w) => w.terminate()));
      throw this.#failure ?? error;
    }
  }
}
