// The names of rotated files. `app.log` is rotated to `app.2026-12-02T13-00-00.000-000000.log`, the next
// rotation with the same stamp to `...-000001.log`:
//   - the extension stays last, so a shipper's `*.log` glob still matches (`app.log.1` escapes it:
//     LogTape#215);
//   - plain `ls` order is age order: the stamp is a UTC time written most significant first, and the
//     counter has a fixed width (`app.1.log` would sort after `app.10.log`). Six digits: a million
//     rotations with one stamp before the order breaks;
//   - the stamp is the start of the file's period with `every`, else the moment of the rotation;
//   - `.gz` is added by compression (housekeeping.ts).
// The active file keeps the name `path`, so `tail -F` and shippers keep following it.

import { directoryOf } from "../io/driver.ts";

export const COUNTER_DIGITS = 6;

/** One rotated file's place in the order: its stamp and its counter within the stamp. */
export interface RotatedName {
  /** ms since the epoch, UTC. */
  stamp: number;
  counter: number;
}

/** A rotated file found in the log's directory. */
export interface RotatedFile extends RotatedName {
  /** Its name in the directory (with `.gz` when compressed). */
  name: string;
  /** The plain file's name, whether or not this is its `.gz`. */
  plainName: string;
  gzip: boolean;
}

/** `path` cut into its directory, the name without its extension, and the extension (with its dot). */
export function splitPath(path: string): { dir: string; stem: string; ext: string } {
  const dir = directoryOf(path);
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  // A leading dot starts a hidden name, not an extension.
  if (dot <= 0) return { dir, stem: base, ext: "" };
  return { dir, stem: base.slice(0, dot), ext: base.slice(dot) };
}

/** `2026-12-02T13-00-00.000`: ISO-8601 UTC with "-" for ":" (which some file systems refuse), no "Z". */
export function stampText(ms: number): string {
  // One entry of memory: a rotation asks for the same stamp several times (the name, its .gz, the next).
  if (ms !== lastStamp) {
    lastStamp = ms;
    lastText = new Date(ms).toISOString().replace(/:/g, "-").replace(/Z$/, "");
  }
  return lastText;
}
let lastStamp = Number.NaN;
let lastText = "";

/** The rotated file's name in the log's directory (plain, not `.gz`). */
export function rotatedFileName(path: string, name: RotatedName): string {
  const { stem, ext } = splitPath(path);
  return `${stem}.${stampText(name.stamp)}-${String(name.counter).padStart(COUNTER_DIGITS, "0")}${ext}`;
}

/** The rotated file's absolute path (plain, not `.gz`). */
export function rotatedPath(path: string, name: RotatedName): string {
  return `${splitPath(path).dir}/${rotatedFileName(path, name)}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Of the names in the log's directory, the log's rotated files (plain and `.gz`), oldest first. */
export function rotatedFiles(path: string, names: readonly string[]): RotatedFile[] {
  const { stem, ext } = splitPath(path);
  const pattern = new RegExp(`^${escapeRegExp(stem)}\\.(\\d{4}-\\d\\d-\\d\\dT\\d\\d)-(\\d\\d)-(\\d\\d\\.\\d{3})-(\\d{${COUNTER_DIGITS},})${escapeRegExp(ext)}(\\.gz)?$`);
  const found: RotatedFile[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (match === null) continue;
    const stamp = Date.parse(`${match[1]}:${match[2]}:${match[3]}Z`);
    if (Number.isNaN(stamp)) continue;
    const gzip = match[5] !== undefined;
    found.push({ name, plainName: gzip ? name.slice(0, -3) : name, stamp, counter: Number(match[4]), gzip });
  }
  // Name order is age order (see the top of this file); a plain file sorts just before its own .gz.
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
