// The benchmarks' command-line flags: `--name value` or `--name=value`. Bad values get an error that names
// the flag and the value.

/** Reads the current flag's value. */
export interface FlagReader {
  value(): string;
  /** The value as a number of at least `min`; a whole one when `integer`. */
  number(min: number, integer: boolean): number;
}

/** Calls `on` for every flag in `argv`, in order; `on` throws for a flag it does not know. */
export function parseFlags(argv: string[], on: (flag: string, read: FlagReader) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const [flag, inline] = eq >= 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = (min: number, integer: boolean): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
        throw new Error(`${flag} must be ${integer ? "an integer" : "a number"} >= ${min}, got ${JSON.stringify(v)}`);
      }
      return n;
    };
    on(flag, { value, number });
  }
}

/** `parse(argv)`, or, when a flag is bad, undefined after printing the error and `usage` to stderr. */
export function parseOrUsage<T>(name: string, usage: string, parse: (argv: string[]) => T, argv: string[]): T | undefined {
  try {
    return parse(argv);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}\n${usage}`);
    return undefined;
  }
}
