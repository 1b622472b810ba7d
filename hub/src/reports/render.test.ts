import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import type { ReportModel } from './model.js';
import { renderPdf } from './pdf.js';

const model: ReportModel = {
  siteName: 'Lobby <script>alert(1)</script> wall',
  customerName: 'Acme & Sons',
  language: 'en',
  periodStart: Date.UTC(2025, 11, 31, 15), // 2026-01-01 00:00 in Seoul
  periodEnd: Date.UTC(2026, 0, 31, 15),
  generatedAt: Date.UTC(2026, 1, 2, 9, 0),
  timeZone: 'Asia/Seoul',
  agentOnline: true,
  agentLastSeen: Date.UTC(2026, 1, 2, 8, 59),
  summary: { pass: 1, warn: 0, fail: 1, verdict: 'fail' },
  results: [
    { check: 'agent-online', area: 'availability', verdict: 'pass', finding: { key: 'agent-online.pass' } },
    { check: 'config-drift', area: 'configuration', verdict: 'fail', subject: 'ctrl-1', finding: { key: 'config-drift.drift', params: { changes: 'brightness: 255 → 128' } }, fix: { key: 'config-drift.drift.fix' } },
  ],
  series: [
    { name: 'temperature', unit: '°C', points: [{ t: Date.UTC(2026, 0, 1), v: 35 }, { t: Date.UTC(2026, 0, 2), v: 41.5 }] },
    { name: 'alarms', unit: '', points: [] },
  ],
};

describe('report rendering', () => {
  it('puts the summary first and escapes every text in the HTML', () => {
    const html = renderHtml(model);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Lobby &lt;script&gt;alert(1)&lt;/script&gt; wall');
    expect(html).toContain('Acme &amp; Sons');
    expect(html.indexOf('Summary')).toBeLessThan(html.indexOf('Problems and recommended fixes'));
    expect(html).toContain('brightness: 255 → 128');
    expect(html).toContain('<polyline');
    expect(html).toContain('2026-01-01 – 2026-01-31');
  });

  it.skipIf(spawnSync('pdftotext', ['-v']).error !== undefined)('makes a PDF whose text names the site, the problem and its fix, in under a second', async () => {
    const started = performance.now();
    const pdf = await renderPdf(model);
    expect(performance.now() - started).toBeLessThan(1000);
    const dir = mkdtempSync(join(tmpdir(), 'ledwatch-report-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('Lobby <script>alert(1)</script> wall');
      expect(text).toContain('Problems found');
      expect(text).toContain('brightness: 255 -> 128'); // Helvetica has no arrow
      expect(text).toContain('Restore the approved settings');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
