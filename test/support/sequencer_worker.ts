// A producer thread for the Sequencer's tests: makes its share of chunks of the known stream and posts them
// to the owner in its own random order, transferring each buffer (as a compression or download worker would).
import { parentPort, workerData } from "node:worker_threads";
import { prng, shuffle, streamBytes } from "./sequencer_stream.ts";

const { seed, orderSeed, chunks } = workerData as { seed: number; orderSeed: number; chunks: Array<[number, number]> };
for (const [start, end] of shuffle(prng(orderSeed), chunks)) {
  const bytes = streamBytes(seed, start, end - start);
  parentPort!.postMessage({ offset: start, bytes }, [bytes.buffer as ArrayBuffer]);
}
parentPort!.postMessage({ done: true });
