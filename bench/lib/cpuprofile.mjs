// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and total time per
// package/file, for naming hot spots in bench reports.
import { readFileSync } from 'node:fs';

/** Where a function lives, short: `pkg/file.js:line` for node_modules, repo-relative otherwise. */
function place(cf, root) {
  const url = cf.url.replace(/^file:\/\//, '');
  if (url === '') return '';
  const nm = url.lastIndexOf('node_modules/');
  const short = nm >= 0 ? url.slice(nm + 13) : root && url.startsWith(root) ? url.slice(root.length) : url;
  return `${short}:${cf.lineNumber + 1}`;
}

/** Top functions by self time, and self time grouped by package (or repo folder). */
export function summarizeProfile(file, { top = 20, root } = {}) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const dt = new Map();
  const { samples, timeDeltas } = prof;
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const total = [...dt.values()].reduce((a, b) => a + b, 0) || 1;
  const byFn = new Map();
  const byPkg = new Map();
  for (const n of prof.nodes) {
    const us = dt.get(n.id) ?? 0;
    if (us === 0) continue;
    const cf = n.callFrame;
    const where = place(cf, root);
    const key = `${cf.functionName || '(anonymous)'} ${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const pkg = where === '' ? cf.functionName : where.includes('/') && !where.startsWith('hub/') && !where.startsWith('protocols/') ? where.split('/').slice(0, where.startsWith('@') ? 2 : 1).join('/') : where.split('/').slice(0, 3).join('/').replace(/:\d+$/, '');
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / total }));
  return { totalMs: total / 1000, functions: rank(byFn), packages: rank(byPkg) };
}
