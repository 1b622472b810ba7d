/** Inventory entries: the controller (model, FPGA version as firmware, serial) and each receiving card under it. */
import type { InventoryDevice } from '../types.js';
import type { ControllerIdentity } from './identify.js';
import { cardDeviceId } from './readings.js';
import type { CardSlot } from './roster.js';

export const NOVASTAR_KIND = 'novastar';
export const CONTROLLER_CAPABILITIES = ['sending-card', 'dvi', 'inputs', 'redundancy', 'receiving-cards'];
export const CARD_CAPABILITIES = ['receiving-card', 'temperature', 'voltage', 'brightness', 'monitoring'];

const text = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);
const hex4 = (id: number): string => `0x${id.toString(16).padStart(4, '0')}`;

export function controllerInventory(id: string, name: string | undefined, identity: ControllerIdentity | undefined): InventoryDevice {
  const device: InventoryDevice = { id, kind: NOVASTAR_KIND, capabilities: CONTROLLER_CAPABILITIES };
  if (name !== undefined) device.name = text(name, 200);
  if (identity === undefined) return device;
  device.model = text(identity.model ?? `NovaStar sending card ${hex4(identity.modelId)}`, 128);
  if (identity.fpgaVersion !== undefined) device.firmware = identity.fpgaVersion;
  if (identity.serial !== undefined) device.serial = identity.serial;
  return device;
}

export function cardInventory(controllerId: string, slot: CardSlot): InventoryDevice {
  const device: InventoryDevice = {
    id: cardDeviceId(controllerId, slot.port, slot.card),
    kind: NOVASTAR_KIND,
    name: `port ${slot.port} card ${slot.card}`,
    parent: controllerId,
    capabilities: CARD_CAPABILITIES,
  };
  const identity = slot.identity;
  if (identity === undefined) return device;
  device.model = text(identity.model.name ?? `NovaStar receiving card ${hex4(identity.model.id)}`, 128);
  if (identity.fpgaVersion !== undefined) device.firmware = identity.fpgaVersion;
  return device;
}
