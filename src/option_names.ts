// Options objects are checked for names nobody knows: in JavaScript a typo (`capcity`) or an option of a
// later version (`rotate` before it existed) would otherwise be ignored in silence, and the user would
// believe a setting is on that is not.
import { describe } from "./describe.ts";

/** Throws a TypeError naming the first unknown option of `options`, and every known one. */
export function refuseUnknownOptions(options: object, known: readonly string[], where: string): void {
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new TypeError(`ringlog: ${where} has no option ${describe(name)}; the options are ${known.join(", ")}`);
    }
  }
}
