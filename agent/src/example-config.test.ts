import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from './config.js';

describe('agent.example.yaml', () => {
  it('is a valid configuration', () => {
    const cfg = loadAgentConfig(new URL('../agent.example.yaml', import.meta.url).pathname, {});
    expect(cfg.devices).toEqual([{ id: 'host', kind: 'host', pollIntervalS: 10, options: {} }]);
    expect(cfg.hub.url).toBe('mqtts://hub.example.com:8883');
  });
});
