/**
 * Turns what was read into contract readings: one for the controller, one per receiving
 * card addressed `<controller>/p<port>/c<card>` so the hub can draw the cabinet grid.
 * Metrics stay raw (the hub's alarm rules decide); the state is a first judgement.
 * Ribbon-cable errors never change the state: unconnected pins read as errors, so only
 * the hub, knowing the cabinet, can tell a fault from a free connector.
 */
import { novastar } from '@ledwatch/protocols';
import type { Reading } from '../types.js';
import type { CardPoll } from './cards.js';
import type { ControllerStatus } from './controller-status.js';
import { HELD_MESSAGE } from './held.js';
import type { ControllerIdentity } from './identify.js';
import type { CardSlot } from './roster.js';
import { cardHealth } from './states.js';

type Metrics = Reading['metrics'];

export function cardDeviceId(controllerId: string, port: number, card: number): string {
  return `${controllerId}/p${port}/c${card}`;
}

const INPUT_METRICS: Readonly<Record<novastar.InputName, string>> = {
  '3G-SDI': 'input3gSdi',
  HDMI: 'inputHdmi',
  DVI1: 'inputDvi1',
  DVI2: 'inputDvi2',
  DVI3: 'inputDvi3',
  DVI4: 'inputDvi4',
  DP: 'inputDp',
};

export interface ControllerView {
  readonly identity: ControllerIdentity;
  readonly status: ControllerStatus;
  /** Ports scanned for cards. */
  readonly ports: number;
  readonly cards: readonly { readonly slot: CardSlot; readonly poll: CardPoll }[];
}

export function controllerReading(id: string, at: number, view: ControllerView): Reading {
  const { identity, status } = view;
  const metrics: Metrics = { modelId: identity.modelId, dviSignal: status.dvi.signal, inputBitmap: status.inputBitmap, selectedInput: status.selectedInput.code };
  if (identity.model !== null) metrics.model = identity.model;
  if (identity.fpgaVersion !== undefined) metrics.fpgaVersion = identity.fpgaVersion;
  for (const name of novastar.INPUT_NAMES) metrics[INPUT_METRICS[name]] = status.inputs.present.includes(name);
  if (status.selectedInput.name !== null) metrics.selectedInputName = status.selectedInput.name;
  const redundancy = status.redundancy.slice(0, Math.min(view.ports, 4));
  for (const port of redundancy) metrics[`port${port.port}Backup`] = port.backup;
  const backupPorts = redundancy.filter((p) => p.backup).length;
  metrics.backupPorts = backupPorts;
  if (status.ambient?.lux != null) metrics.ambientLux = status.ambient.lux;
  metrics.cards = view.cards.length;
  metrics.cardsMissing = view.cards.filter((c) => c.poll.kind === 'missing').length;
  const state = !status.dvi.signal || backupPorts > 0 ? 'warn' : 'ok';
  return { device: id, at, metrics, state };
}

export function cardReading(controllerId: string, at: number, slot: CardSlot, poll: CardPoll): Reading {
  const device = cardDeviceId(controllerId, slot.port, slot.card);
  if (poll.kind === 'missing') return { device, at, metrics: {}, state: 'missing' };
  if (poll.kind === 'refused') return { device, at, metrics: { ack: poll.ack }, state: 'unknown' };
  const m = poll.monitoring;
  const metrics: Metrics = {};
  put(metrics, 'temperatureC', m.temperatureC);
  put(metrics, 'humidityPct', m.humidityPct);
  put(metrics, 'voltageV', m.voltageV);
  metrics.monitorPresent = m.monitorCard.present;
  if (m.monitorCard.present) Object.assign(metrics, monitorMetrics(m.monitorCard));
  if (poll.brightness !== undefined) {
    const b = poll.brightness;
    Object.assign(metrics, { brightness: b.global, brightnessRed: b.red, brightnessGreen: b.green, brightnessBlue: b.blue });
  }
  return { device, at, metrics, state: cardHealth(m) };
}

function monitorMetrics(card: novastar.MonitorCardReadings): Metrics {
  const metrics: Metrics = { monitorModel: card.model, monitorFirmware: card.firmware };
  put(metrics, 'monitorTemperatureC', card.temperatureC);
  put(metrics, 'monitorHumidityPct', card.humidity);
  put(metrics, 'smoke', card.smoke);
  card.fansRpm.forEach((rpm, i) => put(metrics, `fan${i}Rpm`, rpm));
  metrics.fansStopped = card.fansRpm.filter((rpm) => rpm === 0).length;
  card.voltagesV.forEach((v, i) => put(metrics, `voltage${i}V`, v));
  card.doorsOpen.forEach((open, i) => (metrics[`door${i + 1}Open`] = open));
  metrics.doorsOpen = card.doorsOpen.filter(Boolean).length;
  metrics.ribbonErrors = card.ribbonErrors;
  metrics.ribbonMap = novastar.toHex(novastar.encodeRibbonMap(card.ribbonErrorBits));
  return metrics;
}

function put(metrics: Metrics, name: string, value: number | boolean | null): void {
  if (value !== null) metrics[name] = value;
}

/** While another client holds the controller: one reading, state held, no card readings. */
export function heldReading(id: string, at: number, resets: number): Reading {
  return { device: id, at, metrics: { held: true, message: HELD_MESSAGE, connectionResets: resets }, state: 'held' };
}
