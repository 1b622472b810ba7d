// Shared by the bench scripts: machine facts, /proc sampling of a process, and writing a
// result section into bench/RESULTS.md (newest run of each bench replaces the older one).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export function machine() {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}-${process.arch}`;
}

export function build() {
  const r = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-b'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** CPU seconds (user + system) used so far by a process, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

/** Resident set size in MB, from /proc/<pid>/status. */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Prints a markdown table and returns it. */
export function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  return text;
}

/** Replaces the section `## <title>` of bench/RESULTS.md with the new body (machine and date added). */
export function writeResults(title, body) {
  const header = '# Benchmark results\n\nWritten by the scripts in bench/ (each run replaces its own section).\n';
  let doc = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : header;
  const section = `## ${title}\n\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()}\n\n${body}\n`;
  const start = doc.indexOf(`## ${title}\n`);
  if (start >= 0) {
    const next = doc.indexOf('\n## ', start + 4);
    doc = doc.slice(0, start) + section + (next >= 0 ? doc.slice(next + 1) : '');
  } else {
    doc = `${doc.trimEnd()}\n\n${section}`;
  }
  writeFileSync(RESULTS, doc);
}
