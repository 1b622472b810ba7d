/** Dotted version comparison and the supported-versions matrix lookup. */
import type { SupportedVersion } from './types.js';

/** Compares dotted versions numerically part by part (`4.10` > `4.9`); a leading `v` is ignored. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/i, '').split(/[.\-+]/);
  const pb = b.replace(/^v/i, '').split(/[.\-+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

/**
 * Whether `version` of `model` is supported: the rows of the kind whose model glob matches
 * decide (any row whose range holds the version says yes). No matching row = unknown.
 */
export function supported(matrix: readonly SupportedVersion[], kind: SupportedVersion['kind'], model: string, version: string): { verdict: 'supported' | 'unsupported' | 'unknown'; rows: SupportedVersion[] } {
  const rows = matrix.filter((r) => r.kind === kind && globMatch(r.model, model));
  if (rows.length === 0) return { verdict: 'unknown', rows };
  const ok = rows.some((r) => (r.minVersion === null || compareVersions(version, r.minVersion) >= 0) && (r.maxVersion === null || compareVersions(version, r.maxVersion) <= 0));
  return { verdict: ok ? 'supported' : 'unsupported', rows };
}

export function rangeText(rows: readonly SupportedVersion[]): string {
  return rows.map((r) => `${r.minVersion ?? '…'}–${r.maxVersion ?? '…'}`).join(', ');
}
