// The wasm module's entry: everything the TypeScript side calls. One concept per file.
export * from "./lifecycle";
export * from "./counters";
export * from "./ring";
export * from "./crc32c";
export * from "./frame_scan";
export * from "./line_scan";
export * from "./log_state";
export * from "./mutex";
export * from "./file_position";
export * from "./block_queue";
export * from "./block";
