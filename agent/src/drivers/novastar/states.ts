/**
 * A receiving card's first-judgement state from its monitoring block. The limits follow
 * NovaStar receiving-card data sheets (operating up to 70 °C; 5 V supply, 3.8 V the lowest
 * rated input); the hub's alarm rules may judge the raw metrics differently.
 */
import type { novastar } from '@ledwatch/protocols';

export const CARD_LIMITS = {
  /** At or above: warn. */
  temperatureWarnC: 70,
  /** At or above: fault. */
  temperatureFaultC: 85,
  /** Below: warn (the LED modules dim or flicker). */
  voltageWarnV: 4.5,
  /** Below: fault (under the card's rated input). */
  voltageFaultV: 3.8,
} as const;

export type CardState = 'ok' | 'warn' | 'fault';

export function cardHealth(m: novastar.ReceivingCardMonitoring): CardState {
  const { temperatureC: t, voltageV: v } = m;
  const monitor = m.monitorCard.present ? m.monitorCard : undefined;
  if (monitor?.smoke === true) return 'fault';
  if (t !== null && t >= CARD_LIMITS.temperatureFaultC) return 'fault';
  if (v !== null && v < CARD_LIMITS.voltageFaultV) return 'fault';
  if (t !== null && t >= CARD_LIMITS.temperatureWarnC) return 'warn';
  if (v !== null && v < CARD_LIMITS.voltageWarnV) return 'warn';
  if (monitor !== undefined && (monitor.fansRpm.includes(0) || monitor.doorsOpen.includes(true))) return 'warn';
  return 'ok';
}
