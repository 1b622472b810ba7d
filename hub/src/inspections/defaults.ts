/**
 * What a new hub ships: the monthly base template, the seasonal templates (months as in
 * East Asia: rainy June–September, typhoon July–October, winter December–February; edit
 * them per region), and the supported-versions matrix.
 */
import { BASE_CHECK_IDS } from './checks/index.js';
import type { SupportedVersion } from './checks/types.js';

export interface TemplateDef {
  id: string;
  name: string;
  kind: 'base' | 'seasonal';
  months: number[] | null;
  checks: string[];
  thresholds: Record<string, number>;
}

export const BUILTIN_TEMPLATES: readonly TemplateDef[] = [
  { id: 'monthly', name: 'Monthly system inspection', kind: 'base', months: null, checks: BASE_CHECK_IDS, thresholds: {} },
  { id: 'rainy', name: 'Rainy season: humidity and water ingress', kind: 'seasonal', months: [6, 7, 8, 9], checks: ['season-rainy'], thresholds: {} },
  { id: 'typhoon', name: 'Typhoon season: doors and relays', kind: 'seasonal', months: [7, 8, 9, 10], checks: ['season-typhoon'], thresholds: {} },
  { id: 'winter', name: 'Winter: low temperatures and heating', kind: 'seasonal', months: [12, 1, 2], checks: ['season-winter'], thresholds: {} },
];

export const DEFAULT_SEASONAL = ['rainy', 'typhoon', 'winter'];
/** SSH and the agent's own ports are not listed: a site allows what it needs. */
export const DEFAULT_ALLOWED_PORTS: number[] = [22];

export const BUILTIN_VERSIONS: readonly Omit<SupportedVersion, 'id'>[] = [
  { kind: 'controller', model: 'MCTRL*', minVersion: '4.0', maxVersion: null, note: 'NovaStar MCTRL sending cards: FPGA 4.x and later', builtin: true },
  { kind: 'controller', model: 'NovaPro*', minVersion: '4.0', maxVersion: null, note: 'NovaStar NovaPro', builtin: true },
  { kind: 'controller', model: 'VX*', minVersion: '4.0', maxVersion: null, note: 'NovaStar VX video processors', builtin: true },
  { kind: 'node', model: '*', minVersion: '20.19', maxVersion: null, note: 'Node.js 20.19 LTS and later', builtin: true },
  { kind: 'os', model: 'linux', minVersion: '5.10', maxVersion: null, note: 'Linux kernel 5.10 (Debian 11) and later', builtin: true },
  { kind: 'os', model: 'win32', minVersion: '10.0', maxVersion: null, note: 'Windows 10 and later', builtin: true },
];
