// Child process for the Sequencer's stdout test: writes 256 KiB of the known stream to process.stdout
// through a Sequencer, chunks delivered in random order.
import { Sequencer } from "../../mod.ts";
import { prng, randomChunks, shuffle, streamBytes } from "./sequencer_stream.ts";

const seed = Number(process.argv[process.argv.length - 1]);
const total = 256 * 1024;
const seq = new Sequencer(process.stdout, { watermark: 16 * 1024, maxPending: 64 * 1024 });
const chunks = shuffle(prng(seed), randomChunks(prng(seed + 1), total, 1, 8192));
await Promise.all(chunks.map(([start, end]) => seq.write(start, streamBytes(seed, start, end - start))));
await seq.close();
