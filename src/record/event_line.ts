// The article seed's event line: `<ISO-8601 UTC with ms> <uuid> <message>\n`.
import { describe } from "../describe.ts";

/** An event for {@link Log.record}. */
export interface LogEvent {
  /** The line's text, after the time and the id. */
  message: string;
  /** Defaults to crypto.randomUUID(). */
  id?: string;
  /** Defaults to now. */
  created?: Date;
}

export function formatRecord(event: LogEvent): string {
  if (typeof event !== "object" || event === null) {
    throw new TypeError(`ringlog: record() takes an event object { message, id?, created? }, got ${describe(event)}`);
  }
  const { message, id, created } = event;
  if (typeof message !== "string") throw new TypeError(`ringlog: record() needs event.message to be a string, got ${describe(message)}`);
  if (id !== undefined && typeof id !== "string") throw new TypeError(`ringlog: event.id must be a string, got ${describe(id)}`);
  if (created !== undefined && !(created instanceof Date && !Number.isNaN(created.getTime()))) {
    throw new TypeError(`ringlog: event.created must be a valid Date, got ${describe(created)}`);
  }
  return `${(created ?? new Date()).toISOString()} ${id ?? crypto.randomUUID()} ${message}\n`;
}
