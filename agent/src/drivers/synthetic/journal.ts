/**
 * The synthetic driver's journal: one line per produced reading, `<component> <at>\n`,
 * where component is `-` for a reading of the device itself. It is written with
 * `appendFileSync` before the poll returns, so it is the ground truth of what was produced:
 * after a SIGKILL the only readings it names that the agent may never have stored are those
 * of the last moments (still in the scheduler's batch window, not yet in the outbox).
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, ftruncateSync } from 'node:fs';

/** Journal component of a reading without a component (the device itself). */
export const DEVICE_COMPONENT = '-';

const LINE = /^(\S+) (\d+)$/;

export function journalLine(component: string | undefined, at: number): string {
  return `${component ?? DEVICE_COMPONENT} ${at}\n`;
}

/**
 * Complete lines of the journal at `file` (0 when missing). A torn last line (no newline:
 * the process died inside the write) is cut off, so appends start on a fresh line.
 */
export function prepareJournal(file: string): number {
  if (!existsSync(file)) return 0;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(64 * 1024);
    let lines = 0;
    let lastNewline = -1;
    for (let pos = 0; pos < size; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) {
        if (buf[i] === 0x0a) {
          lines++;
          lastNewline = pos + i;
        }
      }
      pos += n;
    }
    if (lastNewline + 1 < size) ftruncateSync(fd, lastNewline + 1);
    return lines;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reading times per component, in journal order. Throws on a malformed line (the journal
 * is test evidence: a line that does not parse must not be skipped silently).
 */
export function parseJournal(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const m = LINE.exec(line);
    if (m === null) throw new Error(`journal line ${i + 1} is malformed: ${JSON.stringify(line.slice(0, 80))}`);
    const [, component = '', at = ''] = m;
    let times = out.get(component);
    if (times === undefined) out.set(component, (times = []));
    times.push(Number(at));
  });
  return out;
}
