// The three loggers as the integration tests drive them: each logs "line <n>" of a thread through ringlog
// (pino -> pinoDestination, LogTape -> getRingSink, winston -> RingTransport), and each line it writes can
// be parsed back to its thread and number, or found malformed. One place, so the stress workers, the exit
// children and the tests log and check the same way.
import { configure, getLogger, type LoggerConfig, reset } from "@logtape/logtape";
import pino from "pino";
import winston from "winston";
import type { Log } from "../../mod.ts";
import { getRingSink } from "../../src/integrations/logtape.ts";
import { pinoDestination } from "../../src/integrations/pino.ts";
import { RingTransport } from "../../src/integrations/winston.ts";

export type LoggerName = "pino" | "logtape" | "winston";
export const LOGGERS: readonly LoggerName[] = ["pino", "logtape", "winston"];

/** A logger of one thread: line(n) logs line n; finish() gets its lines out as the logger's docs say to. */
export interface ThreadLogger {
  line(n: number): void;
  finish(): Promise<void>;
}

/** LogTape's own diagnostics (the "configured" notice) stay out of the file and the test's output. */
const QUIET_META: LoggerConfig<"ring", string> = { category: ["logtape", "meta"], lowestLevel: "fatal", sinks: [] };

export async function threadLogger(name: LoggerName, log: Log, thread: number): Promise<ThreadLogger> {
  if (name === "pino") {
    const destination = pinoDestination(log);
    const logger = pino({ base: { thread } }, destination);
    return {
      line: (n) => logger.info({ n }, "line"),
      finish: () => new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve()))),
    };
  }
  if (name === "logtape") {
    await configure({
      sinks: { ring: getRingSink(log) },
      loggers: [{ category: ["test"], sinks: ["ring"], lowestLevel: "info" }, QUIET_META],
    });
    const logger = getLogger(["test", `t${thread}`]);
    return { line: (n) => logger.info("thread {thread} line {n}", { thread, n }), finish: () => reset() };
  }
  const logger = winston.createLogger({ format: winston.format.json(), defaultMeta: { thread }, transports: [new RingTransport(log)] });
  return {
    line: (n) => logger.info("line", { n }),
    finish: () => new Promise<void>((resolve) => {
      logger.once("finish", resolve);
      logger.end();
    }),
  };
}

const LOGTAPE_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+00:00 \[INF\] test·t(\d+): thread (\d+) line (\d+)$/;

/** The thread and number of a line (without its "\n") as `name` writes it, or undefined when malformed. */
export function parseLine(name: LoggerName, line: string): { thread: number; n: number } | undefined {
  if (name === "logtape") {
    const match = LOGTAPE_LINE.exec(line);
    return match && match[1] === match[2] ? { thread: Number(match[1]), n: Number(match[3]) } : undefined;
  }
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  const ok = name === "pino"
    ? record.level === 30 && record.msg === "line" && typeof record.time === "number"
    : record.level === "info" && record.message === "line";
  return ok && Number.isInteger(record.thread) && Number.isInteger(record.n) ? { thread: record.thread as number, n: record.n as number } : undefined;
}

/**
 * Checks a file's text: every line well formed, and each thread's lines exactly 0 .. count-1 in order (so
 * none lost, none twice, none torn or spliced). Returns the problems found, at most a few of each kind.
 */
export function checkLoggerLines(name: LoggerName, text: string, threads: number, count: number): string[] {
  const problems: string[] = [];
  const report = (problem: string) => problems.length < 10 && problems.push(problem);
  if (text.length > 0 && !text.endsWith("\n")) report(`the file ends in a torn line: ${JSON.stringify(text.slice(text.lastIndexOf("\n") + 1, 200))}`);
  const next = new Array<number>(threads).fill(0);
  const lines = text.split("\n");
  lines.pop();
  for (const line of lines) {
    const parsed = parseLine(name, line);
    if (parsed === undefined || parsed.thread < 0 || parsed.thread >= threads) {
      report(`malformed line ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    if (parsed.n !== next[parsed.thread]) report(`thread ${parsed.thread}: line ${parsed.n} where ${next[parsed.thread]} was due`);
    next[parsed.thread] = parsed.n + 1;
  }
  next.forEach((n, thread) => n !== count && report(`thread ${thread}: ${n} lines, not ${count}`));
  return problems;
}
