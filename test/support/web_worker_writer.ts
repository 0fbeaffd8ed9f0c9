// A writer in a Web Worker (Deno, Bun): gets the handle by postMessage, attaches, writes, detaches.
import { attach } from "../../mod.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (event) => {
  const { handle, id, count } = event.data;
  const log = attach(handle);
  for (let i = 0; i < count; i++) log.write(`web ${id} ${i} ${"ü".repeat(i % 50)}\n`);
  await log.close();
  scope.postMessage("done");
  scope.close();
};
