/**
 * The demo's fault schedule: one fault at a time, in turn, each cleared after a while, so
 * a newcomer sees alarms open and close. The first is a receiving card going missing —
 * a fault the hub's default rules turn into a ticket at once.
 */
import type { SiteConfig } from './site-config.js';
import type { RunningSite, SiteFault } from './site.js';

/** The faults the site's equipment can show, in the order they are shown. */
export function faultPlan(config: SiteConfig): SiteFault[] {
  const plan: SiteFault[] = [];
  const ctrl = config.controllers[0];
  if (ctrl) {
    const card = Math.min(3, ctrl.cardsPerPort - 1);
    const at = { port: 0, card };
    plan.push(
      { device: ctrl.id, fault: { kind: 'card-missing', ...at } },
      { device: ctrl.id, fault: { kind: 'card-over-temperature', port: 0, card: Math.max(0, card - 1) } },
      { device: ctrl.id, fault: { kind: 'fan-stopped', ...at, fan: 1 } },
      { device: ctrl.id, fault: { kind: 'smoke', ...at } },
      { device: ctrl.id, fault: { kind: 'door-open', ...at, door: 0 } },
      { device: ctrl.id, fault: { kind: 'ribbon-error', ...at, bits: [5, 6] } },
      { device: ctrl.id, fault: { kind: 'dvi-lost' } },
    );
  }
  const psu = config.modbus.find((m) => m.profile === 'led-psu-generic');
  if (psu) plan.push({ device: psu.id, fault: { kind: 'psu-under-voltage' } });
  const ups = config.ups[0];
  if (ups) plan.push({ device: ups.id, fault: { kind: 'ups-on-battery' } });
  return plan;
}

export interface Rotation {
  stop(): void;
}

/** Injects the plan's faults in turn on the site's schedule; `stop()` clears what is active. */
export function rotateFaults(site: RunningSite, config: SiteConfig, onChange?: (f: SiteFault, on: boolean) => void): Rotation {
  const plan = faultPlan(config);
  const timers = new Set<NodeJS.Timeout>();
  const active = new Set<SiteFault>();
  let next = 0;
  let stopped = false;
  const later = (s: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, s * 1000);
    t.unref();
    timers.add(t);
  };
  const step = (): void => {
    const f = plan[next++ % plan.length];
    if (f === undefined) return;
    site.inject(f);
    active.add(f);
    onChange?.(f, true);
    later(config.faults.holdS, () => {
      site.clear(f);
      active.delete(f);
      onChange?.(f, false);
    });
    later(config.faults.everyS, step);
  };
  if (plan.length > 0) later(config.faults.firstAfterS, step);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const f of active) site.clear(f);
      active.clear();
    },
  };
}
