import { ConfigError } from '@ledwatch/protocols';
import { describe, expect, test } from 'vitest';
import { loadHubConfig } from '../config.js';

const load = (overrides: Record<string, unknown>, env: Record<string, string> = {}) => loadHubConfig({ env, overrides });
const issuesOf = (fn: () => unknown): { key: string }[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
};

describe('smtp and notify configuration', () => {
  test('the defaults send no mail, escalate at 15 and 60 minutes, and call no heartbeat', () => {
    const cfg = load({});
    expect(cfg.smtp).toEqual({ port: 587, secure: false, requireTls: false, timeoutMs: 30000 });
    expect(cfg.notify).toMatchObject({ escalation: [{ afterMin: 15 }, { afterMin: 60 }], dedupeWindowS: 600, maxPerKeyPerHour: 6, heartbeatMethod: 'GET', heartbeatEveryS: 60 });
    expect(cfg.notify.heartbeatUrl).toBeUndefined();
  });

  test('smtp.host needs smtp.from, and smtp.password needs smtp.user, reported together', () => {
    expect(issuesOf(() => load({ smtp: { host: 'mail.example.com', password: 'x' } })).map((i) => i.key)).toEqual(['smtp.from', 'smtp.user']);
  });

  test('escalation steps must be listed in the order they fire', () => {
    expect(issuesOf(() => load({ notify: { escalation: [{ afterMin: 60 }, { afterMin: 15 }] } }))).toMatchObject([{ key: 'notify.escalation' }]);
  });

  test('a heartbeat URL must be http(s), and the environment can set it', () => {
    expect(issuesOf(() => load({ notify: { heartbeatUrl: 'hc-ping.com/abc' } }))).toMatchObject([{ key: 'notify.heartbeatUrl' }]);
    expect(load({}, { LEDWATCH_NOTIFY_HEARTBEAT_URL: 'https://hc-ping.example/abc' }).notify.heartbeatUrl).toBe('https://hc-ping.example/abc');
  });
});
