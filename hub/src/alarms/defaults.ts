/**
 * The shipped default rule set, per device kind (see README.md for the table). Read-only:
 * change one per customer, site or device with an override, or add a custom rule.
 * Receiving-card limits follow the NovaStar data sheets the agent's first judgement uses
 * (agent/src/drivers/novastar/states.ts); the PSU ones its register profile's hints.
 */
import type { AlarmRule, Condition, RuleMatch, Severity } from './rule-schema.js';

const CARD: RuleMatch = { deviceKind: 'novastar*', devicePattern: '*/p*/c*' };
const CONTROLLER: RuleMatch = { deviceKind: 'novastar' };
const UPS: RuleMatch = { deviceKind: 'snmp' };
const PSU: RuleMatch = { deviceKind: 'modbus' };
const NETCHECK: RuleMatch = { deviceKind: 'netcheck' };
const HOST: RuleMatch = { deviceKind: 'host' };
const ANY: RuleMatch = {};
/** The hub itself (pseudo agent `hub`, device `hub`): its own problems arrive as events named after the problem. */
const HUB: RuleMatch = { deviceKind: 'hub' };

const rule = (id: string, name: string, type: string, severity: Severity, match: RuleMatch, condition: Condition): AlarmRule => ({
  id,
  name,
  type,
  severity,
  match,
  condition,
  enabled: true,
  builtIn: true,
});

export const DEFAULT_RULES: readonly AlarmRule[] = [
  // Receiving cards (ctrl/pN/cM).
  rule('card-temperature-risk', 'Receiving card hot', 'card-over-temperature', 'risk', CARD, { metric: 'temperatureC', op: '>=', value: 70, clearValue: 65 }),
  rule('card-temperature-fault', 'Receiving card overheating', 'card-over-temperature', 'fault', CARD, { metric: 'temperatureC', op: '>=', value: 85, clearValue: 80 }),
  rule('card-voltage-risk', 'Receiving card supply low', 'card-under-voltage', 'risk', CARD, { metric: 'voltageV', op: '<', value: 4.5, clearValue: 4.6 }),
  rule('card-voltage-fault', 'Receiving card supply under its rating', 'card-under-voltage', 'fault', CARD, { metric: 'voltageV', op: '<', value: 3.8, clearValue: 4.0 }),
  rule('card-missing', 'Receiving card missing', 'card-missing', 'fault', CARD, { state: ['missing'] }),
  rule('card-smoke', 'Smoke in the cabinet', 'smoke', 'critical', CARD, { metric: 'smoke', op: '==', value: true }),
  rule('card-door-open', 'Cabinet door open', 'door-open', 'risk', CARD, { metric: 'doorsOpen', op: '>', value: 0 }),
  rule('card-fan-stopped', 'Cabinet fan stopped', 'fan-stopped', 'risk', CARD, { metric: 'fansStopped', op: '>', value: 0, forS: 60 }),
  rule('card-ribbon-errors', 'Ribbon cable errors', 'ribbon-errors', 'info', CARD, { metric: 'ribbonErrors', op: '>', value: 0 }),
  // NovaStar controllers (sending cards, video processors).
  rule('controller-unreachable', 'Controller unreachable', 'controller-unreachable', 'fault', CONTROLLER, { state: ['unreachable'] }),
  rule('controller-dvi-lost', 'Video input (DVI) lost', 'input-signal-lost', 'fault', CONTROLLER, { metric: 'dviSignal', op: '==', value: false }),
  rule('controller-redundancy', 'Running on the redundant path', 'redundant-path-active', 'risk', CONTROLLER, { metric: 'backupPorts', op: '>', value: 0 }),
  rule('controller-held', 'Controller held by another client', 'controller-held', 'risk', CONTROLLER, { state: ['held'], forS: 120 }),
  // UPS (SNMP UPS-MIB).
  rule('ups-on-battery', 'UPS on battery', 'ups-on-battery', 'risk', UPS, { metric: 'onBattery', op: '==', value: true }),
  rule('ups-low-battery', 'UPS battery low', 'ups-low-battery', 'fault', UPS, { metric: 'lowBattery', op: '==', value: true }),
  // LED power supplies (Modbus).
  rule('psu-fault', 'Power supply fault', 'psu-fault', 'fault', PSU, { metric: 'fault', op: '==', value: true }),
  rule('psu-under-voltage', 'Power supply output under its set point', 'psu-under-voltage', 'fault', PSU, { metric: 'underVoltage', op: '==', value: true }),
  rule('psu-over-temperature', 'Power supply over-temperature protection', 'psu-over-temperature', 'fault', PSU, { metric: 'overTemperature', op: '==', value: true }),
  rule('psu-fan-fail', 'Power supply fan failed', 'psu-fan-fail', 'risk', PSU, { metric: 'fanFail', op: '==', value: true }),
  rule('psu-temperature-high', 'Power supply hot', 'psu-temperature-high', 'risk', PSU, { metric: 'temperatureC', op: '>', value: 75, clearValue: 70 }),
  // Network checks and the site PC.
  rule('netcheck-unreachable', 'Network target unreachable', 'target-unreachable', 'risk', NETCHECK, { metric: 'reachable', op: '==', value: false, forS: 60 }),
  rule('netcheck-cert-expiring', 'Certificate expires soon', 'cert-expiring', 'info', NETCHECK, { metric: 'certDaysLeft', op: '<', value: 14 }),
  rule('host-disk-full', 'Disk almost full', 'disk-full', 'risk', HOST, { metric: 'usedPct', op: '>', value: 90, clearValue: 85 }),
  rule('device-unreachable', 'Device not answering', 'device-unreachable', 'risk', { deviceKind: '{modbus,snmp,host,netcheck}', component: '' }, { state: ['unreachable'], forS: 30 }),
  // Events: recorded by the hub (clock-skew) or reported by the agent.
  rule('clock-skew', 'Site clock off', 'clock-skew', 'risk', ANY, { event: 'clock-skew' }),
  rule('outbox-overflow', 'Agent dropped unsent readings (outbox full)', 'outbox-overflow', 'risk', ANY, { event: 'outbox-overflow', clearAfterS: 3600 }),
  rule('outbox-corrupt', 'Agent outbox file damaged', 'outbox-corrupt', 'risk', ANY, { event: 'outbox-corrupt', clearAfterS: 3600 }),
  rule('device-event', 'Device-reported fault', 'device-event', 'risk', ANY, { event: '*' }),
  // The agent and its data.
  rule('agent-offline', 'Agent offline', 'agent-offline', 'fault', ANY, { kind: 'agent-offline' }),
  rule('stale-data', 'No readings from a device', 'stale-data', 'risk', ANY, { kind: 'stale', afterS: 600 }),
  // The hub's own problems (notify/problems.ts); raised and cleared by the hub's self-checks.
  rule('hub-state-unreachable', 'Hub state database not answering', 'hub-state-unreachable', 'critical', HUB, { event: 'state-unreachable' }),
  rule('hub-store-unreachable', 'Hub telemetry store unreachable', 'hub-store-unreachable', 'fault', HUB, { event: 'store-unreachable' }),
  rule('hub-mail-failing', 'Hub cannot send email', 'hub-mail-failing', 'fault', HUB, { event: 'mail-failing' }),
  rule('hub-heartbeat-failing', 'Hub heartbeat (dead-man\'s switch) not answering', 'hub-heartbeat-failing', 'risk', HUB, { event: 'heartbeat-failing' }),
];
