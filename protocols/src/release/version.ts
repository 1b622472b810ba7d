/**
 * Release version order: `major.minor.patch` with an optional `-prerelease` (SemVer 2.0
 * precedence; build metadata after `+` is ignored). A prerelease sorts before its release.
 */
export const VERSION_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$';
const VERSION_RE = new RegExp(VERSION_PATTERN);

export function isVersion(v: string): boolean {
  return VERSION_RE.test(v);
}

/** Negative when a < b, 0 when equal, positive when a > b. Throws on a malformed version. */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa.core[i] ?? 0) - (pb.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa.pre.length === 0 || pb.pre.length === 0) return pa.pre.length === pb.pre.length ? 0 : pa.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(pa.pre.length, pb.pre.length); i++) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function parse(v: string): { core: number[]; pre: string[] } {
  const m = VERSION_RE.exec(v);
  if (m === null) throw new TypeError(`not a version: ${JSON.stringify(v)} (expected e.g. 1.4.2 or 1.5.0-rc.1)`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] === undefined ? [] : m[4].slice(1).split('.') };
}
