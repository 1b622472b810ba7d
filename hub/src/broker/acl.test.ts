import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe } from './acl.js';

describe('agent topic ACL', () => {
  it('lets an agent publish every agent kind under its own id', () => {
    for (const kind of ['status', 'inventory', 'telemetry', 'events']) {
      expect(mayPublish('a1', `ledwatch/v1/a1/${kind}`), kind).toBe(true);
    }
    expect(mayPublish('a1', 'ledwatch/v1/a1/cmd-result/c-1')).toBe(true);
  });

  it('refuses another agent id, hub kinds, wildcards and foreign topics', () => {
    expect(mayPublish('a1', 'ledwatch/v1/a2/telemetry')).toBe(false);
    expect(mayPublish('a1', 'ledwatch/v1/a1/ack')).toBe(false);
    expect(mayPublish('a1', 'ledwatch/v1/a1/cmd/c-1')).toBe(false);
    expect(mayPublish('a1', 'ledwatch/v1/a1/+')).toBe(false);
    expect(mayPublish('a1', '$SYS/broker/uptime')).toBe(false);
    expect(mayPublish('a1', 'anything/else')).toBe(false);
  });

  it('lets an agent subscribe only to its own acks and commands', () => {
    expect(maySubscribe('a1', 'ledwatch/v1/a1/ack')).toBe(true);
    expect(maySubscribe('a1', 'ledwatch/v1/a1/cmd/+')).toBe(true);
    expect(maySubscribe('a1', 'ledwatch/v1/a2/cmd/+')).toBe(false);
    expect(maySubscribe('a1', 'ledwatch/v1/#')).toBe(false);
    expect(maySubscribe('a1', '#')).toBe(false);
    expect(maySubscribe('a1', 'ledwatch/v1/+/telemetry')).toBe(false);
  });
});
