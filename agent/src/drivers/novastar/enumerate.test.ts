import { novastar } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { NovaStarClient } from './client.js';
import { enumerateCards } from './enumerate.js';
import { CardRoster } from './roster.js';
import { byDevice, createNovaStarDriver, simulatorLink } from './test-utils/harness.js';

const signal = (): AbortSignal => AbortSignal.timeout(5000);

async function enumerate(sim: novastar.NovaStarSimulator, ports: number, roster = new CardRoster()) {
  const link = simulatorLink(sim);
  await link.open();
  const client = new NovaStarClient({ transport: link, log: silentLogger() });
  await enumerateCards(client, roster, { ports, maxCardsPerPort: 64, stopAfterMissing: 2 }, signal());
  return { roster, requests: link.written.length };
}

const positions = (roster: CardRoster): string[] => roster.slots().map((s) => `${s.port}/${s.card}${s.seen ? '' : '?'}`);

describe('receiving-card enumeration', () => {
  it('finds every card and stops two empty positions past the last one on each port', async () => {
    const { roster, requests } = await enumerate(new novastar.NovaStarSimulator(), 3);
    expect(roster.size).toBe(16);
    expect(roster.get(1, 7)?.identity).toEqual({ model: { id: 0x4101, name: null }, fpgaVersion: '4.6.1.0' });
    expect(requests).toBe(8 + 2 + 8 + 2 + 2); // port 2 has no cards: positions 0 and 1 answer "no card"
  });

  it('keeps a hole in the chain as a slot that never answered', async () => {
    const sim = new novastar.NovaStarSimulator();
    sim.inject({ kind: 'card-missing', port: 0, card: 2 });
    const { roster } = await enumerate(sim, 1);
    expect(positions(roster)).toEqual(['0/0', '0/1', '0/2?', '0/3', '0/4', '0/5', '0/6', '0/7']);
  });

  it('does not read known cards again and only looks past the last one', async () => {
    const sim = new novastar.NovaStarSimulator();
    const { roster } = await enumerate(sim, 2);
    const again = await enumerate(sim, 2, roster);
    expect(again.requests).toBe(2 + 2);
  });

  it('reports cards added to a port at the next enumeration', async () => {
    const sim = new novastar.NovaStarSimulator();
    const late = [6, 7].map((card) => sim.model.cards[0]?.[card]);
    for (const card of late) if (card !== undefined) card.present = false;
    const driver = createNovaStarDriver({ transport: 'tcp', host: 'sim', enumerateEveryPolls: 2 }, () => simulatorLink(sim));
    try {
      const first = await driver.poll(signal());
      expect(first.some((r) => r.device === 'ctrl-1/p0/c6')).toBe(false);
      for (const card of late) if (card !== undefined) card.present = true;
      await driver.poll(signal()); // poll 2: no enumeration
      const third = await driver.poll(signal());
      expect(byDevice(third, 'ctrl-1/p0/c7').state).toBe('ok');
    } finally {
      await driver.close();
    }
  });
});
