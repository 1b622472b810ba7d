/**
 * The UI's pure logic, apart from the components so it is unit-tested without a browser:
 * folding live readings and alarm changes into page state, SLA countdowns, the ticket
 * workflow, the agent install command.
 */
import type { Alarm, Device, LiveReading, Ticket, TicketState } from './types.js';

/** Applies a batch of live readings to the device list; an older reading never replaces a newer one. */
export function applyReadings(devices: Device[], batch: LiveReading[]): Device[] {
  const byDevice = new Map<string, LiveReading[]>();
  for (const r of batch) {
    const k = `${r.agentId}\u0000${r.deviceId}`;
    byDevice.set(k, [...(byDevice.get(k) ?? []), r]);
  }
  return devices.map((d) => {
    const readings = byDevice.get(`${d.agentId}\u0000${d.deviceId}`);
    if (readings === undefined) return d;
    let next = d;
    for (const r of readings) {
      const cur = next.latest.find((l) => l.component === r.component);
      if (cur !== undefined && cur.at > r.at) continue;
      const fresh = { component: r.component, at: r.at, metrics: r.metrics, state: r.state };
      const latest = cur === undefined ? [...next.latest, fresh] : next.latest.map((l) => (l === cur ? fresh : l));
      next = { ...next, latest, ...(r.component === '' ? { state: r.state ?? next.state, lastReadingAt: r.at } : {}) };
    }
    return next;
  });
}

export function applyAlarm(alarms: Alarm[], a: Alarm): Alarm[] {
  const rest = alarms.filter((x) => x.id !== a.id);
  return a.state === 'cleared' ? rest : [a, ...rest];
}

/** Moves the hub's workflow allows from each state (mirrors hub/src/tickets/workflow.ts). */
export const NEXT: Record<TicketState, TicketState[]> = {
  new: ['assigned', 'resolved'],
  assigned: ['scheduled', 'on-site', 'resolved'],
  scheduled: ['scheduled', 'on-site', 'resolved'],
  'on-site': ['resolved'],
  resolved: ['confirmed', 'assigned'],
  confirmed: ['closed'],
  closed: ['follow-up'],
  'follow-up': [],
};

/** The next SLA deadline not yet met, if any. */
export function nextDeadline(t: Ticket): { what: string; at: number } | undefined {
  if (!['new', 'assigned', 'scheduled', 'on-site'].includes(t.state)) return undefined;
  if (t.respondedAt === null && t.respondBy !== null) return { what: 'respond', at: t.respondBy };
  if (t.onSiteAt === null && t.onSiteBy !== null) return { what: 'on site', at: t.onSiteBy };
  if (t.resolvedAt === null && t.resolveBy !== null) return { what: 'resolve', at: t.resolveBy };
  return undefined;
}

export interface Provisioned { agentId: string; secret: string; mqttUrl?: string }

/** The shell lines that install a provisioned agent on a Linux box. */
export function installCommand(p: Provisioned, fallbackHost: string): string {
  const url = p.mqttUrl ?? `mqtt://${fallbackHost}:1883`;
  return [
    'sudo mkdir -p /etc/ledwatch /var/lib/ledwatch-agent',
    "sudo tee /etc/ledwatch/agent.yaml >/dev/null <<'EOF'",
    `agentId: ${p.agentId}`,
    `secret: ${p.secret}`,
    'hub:',
    `  url: ${url}`,
    'dataDir: /var/lib/ledwatch-agent',
    'devices: []',
    'EOF',
    'sudo chmod 600 /etc/ledwatch/agent.yaml',
    'ledwatch-agent run --config /etc/ledwatch/agent.yaml',
  ].join('\n');
}

