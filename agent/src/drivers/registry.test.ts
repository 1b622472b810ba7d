import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../errors.js';
import { builtinDrivers } from './builtin.js';
import { DriverRegistry } from './registry.js';
import type { DriverFactory } from './types.js';

const factory = (kind: string): DriverFactory => ({
  kind,
  optionsSchema: Type.Object({}),
  create: () => ({ inventory: () => Promise.resolve([]), poll: () => Promise.resolve([]), close: () => Promise.resolve() }),
});

function thrown(fn: () => unknown): AgentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AgentError) return err;
    throw err;
  }
  throw new Error('expected an AgentError');
}

describe('DriverRegistry', () => {
  it('returns the factory registered for a kind', () => {
    const modbus = factory('modbus');
    const registry = new DriverRegistry().register(factory('host')).register(modbus);
    expect(registry.get('modbus')).toBe(modbus);
    expect(registry.kinds()).toEqual(['host', 'modbus']);
  });

  it('names the known kinds when asked for an unknown one', () => {
    const err = thrown(() => new DriverRegistry().register(factory('snmp')).register(factory('host')).get('novastar'));
    expect(err.code).toBe('driver-unknown');
    expect(err.message).toMatch(/"novastar".*known kinds: host, snmp/);
  });

  it('refuses a second driver for the same kind', () => {
    const registry = new DriverRegistry().register(factory('host'));
    expect(thrown(() => registry.register(factory('host'))).code).toBe('driver-duplicate');
  });

  it('ships the host, Modbus, network-check, NovaStar, SNMP and synthetic drivers as built-ins', () => {
    expect(builtinDrivers().kinds()).toEqual(['host', 'modbus', 'netcheck', 'novastar', 'snmp', 'synthetic']);
  });
});
