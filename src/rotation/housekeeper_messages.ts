// What crosses between the opener (housekeeper.ts) and the housekeeper thread (housekeeper_worker.ts): in
// a file of its own, so that the thread's entry need not import the module that starts it.
import type { FailureText } from "../core/writer_state.ts";
import type { RotationPolicy } from "./rotation_policy.ts";

/** What the housekeeper thread receives. */
export interface HousekeeperStart {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  ring: number;
  path: string;
  driver: string | undefined;
  policy: RotationPolicy;
}

/** What it posts back when it ends. */
export interface HousekeeperReport {
  error: FailureText | undefined;
}

