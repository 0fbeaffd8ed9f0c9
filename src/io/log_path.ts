// A file's path as every entry point takes it (open(), read(), recover(), the Sequencer's target): a path
// string (relative to the working directory) or a file: URL, made absolute, so that a writer thread opens
// the same file as the thread that named it.
import { describe } from "../describe.ts";

/** `path` made absolute; `subject` names it in errors ("the log path", "the Sequencer's target"). */
export function logPath(path: string | URL, subject = "the log path"): string {
  if (path instanceof URL) {
    if (path.protocol !== "file:") throw new TypeError(`ringlog: ${subject} must be a file path or a file: URL, got ${describe(path.href)}`);
    return decodeURIComponent(path.pathname);
  }
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError(`ringlog: ${subject} must be a non-empty string or a file: URL, got ${describe(path)}`);
  }
  if (path.startsWith("/")) return path;
  const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? ".";
  return `${cwd}/${path}`;
}
