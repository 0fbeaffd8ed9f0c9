// Compiles the AssemblyScript core and inlines it into src/core/core_wasm.generated.ts (run by `npm run asbuild`).
import { writeFileSync } from "node:fs";
import { buildWasm, generatedPath, generatedText, sourceHash } from "./wasm_source.mjs";

const wasm = buildWasm();
writeFileSync(generatedPath, generatedText(wasm, sourceHash()));
console.log(`wrote ${generatedPath} (${wasm.length} bytes of wasm)`);
