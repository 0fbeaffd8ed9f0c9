// The wasm module's entry: everything the TypeScript side calls. One concept per file.
export * from "./ring";
