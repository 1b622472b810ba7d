import { describe, expect, it } from 'vitest';
import { faultPlan, rotateFaults } from './rotation.js';
import { resolveSiteConfig } from './site-config.js';
import type { RunningSite, SiteFault } from './site.js';

const config = resolveSiteConfig({
  controllers: [{ id: 'ctrl-1', ports: 2, cardsPerPort: 8 }],
  modbus: [{ id: 'psu-1', profile: 'led-psu-generic' }],
  ups: [{ id: 'ups-1' }],
  faults: { rotate: true, firstAfterS: 0.05, everyS: 0.1, holdS: 0.05 },
});

function recordingSite(): RunningSite & { log: string[] } {
  const log: string[] = [];
  const name = (f: SiteFault): string => `${f.device}:${f.fault.kind}`;
  return {
    log,
    devices: [],
    controllers: new Map(),
    inject: (f) => void log.push(`+${name(f)}`),
    clear: (f) => void log.push(`-${name(f)}`),
    close: async () => undefined,
  };
}

describe('the demo fault rotation', () => {
  it('starts with a receiving card going missing and covers every kind of equipment', () => {
    const plan = faultPlan(config);
    expect(plan[0]).toEqual({ device: 'ctrl-1', fault: { kind: 'card-missing', port: 0, card: 3 } });
    expect(plan.map((f) => f.fault.kind)).toEqual([
      'card-missing',
      'card-over-temperature',
      'fan-stopped',
      'smoke',
      'door-open',
      'ribbon-error',
      'dvi-lost',
      'psu-under-voltage',
      'ups-on-battery',
    ]);
  });

  it('injects one fault at a time and clears each before the next, and stop() clears what is active', async () => {
    const site = recordingSite();
    const rotation = rotateFaults(site, config);
    await new Promise((r) => setTimeout(r, 280));
    rotation.stop();
    expect(site.log.slice(0, 4)).toEqual(['+ctrl-1:card-missing', '-ctrl-1:card-missing', '+ctrl-1:card-over-temperature', '-ctrl-1:card-over-temperature']);
    const active = site.log.filter((l) => l.startsWith('+')).length - site.log.filter((l) => l.startsWith('-')).length;
    expect(active).toBe(0);
  });
});
