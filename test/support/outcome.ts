// How a call ended, for tests of failures: the error it threw or rejected with, in a form a worker thread
// can post back (an Error's own `code` does not survive postMessage in every runtime).

export interface Failed {
  message: string;
  code: string | undefined;
}

function failed(error: unknown): Failed {
  return { message: String((error as Error)?.message ?? error), code: (error as { code?: string })?.code };
}

/** What `run()` threw, or "returned". */
export function thrown(run: () => unknown): Failed | "returned" {
  try {
    run();
    return "returned";
  } catch (error) {
    return failed(error);
  }
}

/** What `promise` rejected with, "resolved", or "hung" if it has not settled after `ms`. */
export async function rejection(promise: Promise<unknown>, ms = 20_000): Promise<Failed | "resolved" | "hung"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), ms)));
  try {
    return await Promise.race([promise.then(() => "resolved" as const, failed), hung]);
  } finally {
    clearTimeout(timer);
  }
}
