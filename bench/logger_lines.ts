// The logger benchmark's output check. Every line must be one whole event as JSON: pino's
// ({"id", "created", "msg"}) or LogTape's JSON Lines ({"message", "properties": {"id", "created"}}). The
// event inside must be the burst benchmark's (check_output.ts's classifyLine, on `<created> <id> <msg>`),
// and no id may come twice. From that: torn lines (not a whole event: another writer's bytes spliced in, or
// cut short), duplicated events, and lost events (written by a worker, in no whole line).
import { checkOutputFile, parseLine } from "./check_output.ts";

export interface LoggerCheck {
  /** Events the workers logged. */
  events: number;
  lines: number;
  /** Lines that are not one whole event. */
  torn: number;
  /** Whole lines whose id an earlier line had. */
  duplicated: number;
  /** Events in no whole line (a torn line's event counts here too). */
  lost: number;
  /** The first few torn lines, cut to 200 characters. */
  samples: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** 52 random bits of a v4 UUID, as a number: a Set of millions of them stays small. */
function idKey(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13) + id.slice(15, 16), 16);
}

export function checkLoggerFile(path: string, events: number): LoggerCheck {
  const seen = new Set<number>();
  let duplicated = 0;
  const check = checkOutputFile(path, (line) => {
    let record: { id?: unknown; created?: unknown; msg?: unknown; message?: unknown; properties?: { id?: unknown; created?: unknown } };
    try {
      record = JSON.parse(line);
    } catch {
      return undefined;
    }
    const fields = record.properties ?? record;
    const { id, created } = fields;
    const message = record.msg ?? record.message;
    if (typeof id !== "string" || !UUID.test(id) || typeof created !== "string" || typeof message !== "string") return undefined;
    const parsed = parseLine(`${created} ${id} ${message}`);
    if (parsed === undefined) return undefined;
    const key = idKey(id);
    if (seen.has(key)) duplicated++;
    else seen.add(key);
    return parsed;
  });
  return { events, lines: check.lines, torn: check.malformed, duplicated, lost: events - seen.size, samples: check.samples };
}

/** The table's check column: "ok: N events = N lines" or what went wrong. */
export function loggerVerdict(check: LoggerCheck): { ok: boolean; note: string } {
  const { events, lines, torn, duplicated, lost } = check;
  if (torn === 0 && duplicated === 0 && lost === 0 && lines === events) return { ok: true, note: `ok: ${events} events = ${lines} lines, 0 lost/torn/duplicated` };
  return { ok: false, note: `FAILED: ${events} events, ${lines} lines: ${lost} lost, ${torn} torn, ${duplicated} duplicated` };
}
