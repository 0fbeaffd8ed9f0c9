// A stress test that hangs (a broken ring can leave a writer blocked or the flusher stuck for good) must
// fail, not hang: its worker threads would keep the process alive after uvu's report, and the run would
// end only at an outer timeout (CI's, or scripts/mutants.mjs's), saying nothing. `within(ms, what, run)`
// ends the process with a failure naming the test when `run` has not settled in `ms`.
import process from "node:process";

export async function within<T>(ms: number, what: string, run: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>(() => {
    timer = setTimeout(() => {
      console.error(`FAIL "${what}": not done after ${ms / 1000} s (hung); ending the test process`);
      process.exit(1);
    }, ms);
  });
  try {
    return await Promise.race([run, expired]);
  } finally {
    clearTimeout(timer);
  }
}
