// Fails `npm test` when src/core/core_wasm.generated.ts does not match assembly/: a changed source, or a hand-edited file.
import { readFileSync } from "node:fs";
import { buildWasm, generatedPath, generatedText, sourceHash } from "./wasm_source.mjs";

const current = readFileSync(generatedPath, "utf8");
const hash = sourceHash();
if (!current.includes(`source-hash: ${hash}`)) {
  console.error(`src/core/core_wasm.generated.ts is stale: assembly/ or asconfig.json changed since it was generated. Run \`npm run asbuild\`.`);
  process.exit(1);
}
if (current !== generatedText(buildWasm(), hash)) {
  console.error("src/core/core_wasm.generated.ts does not match what asc builds from assembly/ (edited by hand?). Run `npm run asbuild`.");
  process.exit(1);
}
console.log("src/core/core_wasm.generated.ts is up to date with assembly/");
