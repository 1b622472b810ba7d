import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture(): { lines: () => Record<string, unknown>[]; write: (s: string) => void } {
  const raw: string[] = [];
  return { write: (s) => void raw.push(s), lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('agent logs', () => {
  it('redact secrets and passwords at any of the first three levels', () => {
    const out = capture();
    const log = createLogger({ destination: out });
    log.info({ secret: 'top-s3cret', link: { password: 'pw-s3cret' }, config: { hub: { secret: 'deep-s3cret' } } }, 'config loaded');
    const text = JSON.stringify(out.lines());
    expect(text).not.toMatch(/s3cret/);
    expect(out.lines()[0]).toMatchObject({ secret: '[redacted]', link: { password: '[redacted]' }, config: { hub: { secret: '[redacted]' } } });
  });

  it('redact device credentials inside a logged config', () => {
    const out = capture();
    createLogger({ destination: out }).info(
      { config: { devices: [{ id: 'ups-1', options: { community: 'comm-s3cret', v3: { user: 'u', authKey: 'auth-s3cret', privKey: 'priv-s3cret' } } }] } },
      'configuration loaded',
    );
    const text = JSON.stringify(out.lines());
    expect(text).not.toMatch(/s3cret/);
    expect(text).toContain('"user":"u"');
  });

  it('name the agent and the module in every line', () => {
    const out = capture();
    createLogger({ destination: out, level: 'debug' }).child({ module: 'link' }).debug('connecting');
    expect(out.lines()[0]).toMatchObject({ name: 'ledwatch-agent', module: 'link', level: 20, msg: 'connecting' });
  });
});
