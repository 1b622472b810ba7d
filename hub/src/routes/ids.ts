/**
 * Ids people read: a slug of the name plus 8 random hex digits (`acme-display-3f2a1b9c`).
 * Agents, customers and sites carry them into MQTT topics and InfluxDB tags, where Grafana
 * lists them and every stored line repeats them: readable and short beats a UUID there.
 */
import { randomBytes } from 'node:crypto';

export function readableId(name: string, fallback: string, maxSlug: number): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxSlug)
    .replace(/-+$/, '');
  return `${slug || fallback}-${randomBytes(4).toString('hex')}`;
}
