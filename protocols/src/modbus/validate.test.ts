import { Settings } from 'typebox/system';
import { describe, expect, it } from 'vitest';
import { errorOf } from './test-utils/errors.js';
import { validateProfile } from './validate.js';

const base = { name: 'test-device', registers: [{ metric: 'temperatureC', function: 'input', address: 1, type: 's16', scale: 0.1 }] };

function problems(profile: unknown): readonly string[] {
  const err = errorOf(() => validateProfile(profile));
  expect(err?.code).toBe('invalid-profile');
  return err?.details ?? [];
}

describe('validateProfile', () => {
  it('returns a valid profile unchanged and typed', () => {
    expect(validateProfile(base)).toBe(base);
  });

  it('names every schema problem with its JSON path, all at once', () => {
    const details = problems({
      name: 'Bad Name',
      registers: [
        { metric: '1st', function: 'input', address: 1 },
        { metric: 'ok', function: 'output', address: 70000, type: 'u64', colour: 'red' },
      ],
      defaults: { parity: 'mark' },
    });
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/name: /),
        expect.stringMatching(/^\/registers\/0\/metric: /),
        '/registers/1/function: must be one of "holding", "input", "coil", "discrete" (got "output")',
        expect.stringMatching(/^\/registers\/1\/address: must be <= 65535/),
        expect.stringMatching(/^\/registers\/1\/type: must be one of "u16", "s16", "u32", "s32", "f32"/),
        '/registers/1/colour: unknown key',
        expect.stringMatching(/^\/defaults\/parity: must be one of "none", "even", "odd"/),
      ]),
    );
    expect(details).toHaveLength(7);
  });

  it('reports missing required keys by path', () => {
    expect(problems({ registers: [{ function: 'input', address: 1 }] })).toEqual(['/name: is required', '/registers/0/metric: is required']);
  });

  it('reports a profile that is not an object at the root', () => {
    expect(problems('xy-md02')).toEqual([expect.stringMatching(/^\/: /)]);
  });

  it('reports a duplicate metric, naming where it was first defined', () => {
    const details = problems({ ...base, registers: [...base.registers, { metric: 'temperatureC', function: 'input', address: 2 }] });
    expect(details).toEqual(['/registers/1/metric: duplicate metric "temperatureC" (also /registers/0)']);
  });

  it('reports options that do not fit the register type', () => {
    const details = problems({
      name: 'x',
      registers: [
        { metric: 'a', function: 'coil', address: 0, scale: 2 },
        { metric: 'b', function: 'holding', address: 0, type: 'u32', bit: 3 },
        { metric: 'c', function: 'holding', address: 2, wordOrder: 'little' },
        { metric: 'd', function: 'holding', address: 65535, type: 'f32' },
        { metric: 'e', function: 'holding', address: 3, states: { '0': 'ok', x: 'bad' }, scale: 0.1 },
        { metric: 'f', function: 'holding', address: 4, bit: 0, states: { '2': 'never' } },
        { metric: 'g', function: 'holding', address: 5, scale: 0 },
        { metric: 'h', function: 'discrete', address: 0, states: { '0': 'closed', '1': 'open', '2': 'ajar' } },
      ],
    });
    expect(details).toEqual([
      '/registers/0/scale: not used for coil registers, which are single bits',
      '/registers/1/bit: only for 16-bit types (u16, s16)',
      '/registers/2/wordOrder: only for 32-bit types (u32, s32, f32)',
      '/registers/3/address: a 32-bit value (f32) takes two registers; 65535 is the last address',
      '/registers/4/states/x: a state key is a raw integer value, e.g. "0"',
      '/registers/4/scale: states map raw values; drop scale or states',
      '/registers/5/states: a bit is 0 or 1; other keys never match',
      '/registers/6/scale: 0 makes every value 0; leave it out for 1',
      '/registers/7/states: a bit is 0 or 1; other keys never match',
    ]);
  });

  it('reports alarms on unknown metrics, without a condition, or of the wrong kind', () => {
    const details = problems({
      name: 'x',
      registers: [
        { metric: 'fault', function: 'input', address: 0, bit: 0 },
        { metric: 'mode', function: 'input', address: 1, states: { '0': 'off', '1': 'on' } },
        { metric: 'volts', function: 'input', address: 2 },
      ],
      alarms: [
        { metric: 'nope', above: 1, severity: 'risk', type: 'a' },
        { metric: 'volts', severity: 'risk', type: 'b' },
        { metric: 'fault', above: 0, severity: 'fault', type: 'c' },
        { metric: 'mode', equals: 'standby', severity: 'info', type: 'd' },
        { metric: 'volts', equals: true, severity: 'info', type: 'e' },
        { metric: 'volts', below: 4.5, severity: 'loud', type: 'f' },
      ],
    });
    expect(details).toEqual([
      expect.stringMatching(/^\/alarms\/5\/severity: must be one of "info", "risk", "fault", "critical"/),
      '/alarms/0/metric: no register defines metric "nope"',
      '/alarms/1: needs below, above or equals',
      '/alarms/2/above: metric "fault" is a boolean; use equals',
      '/alarms/3/equals: "standby" is not a state of "mode" (off, on)',
      '/alarms/4/equals: metric "volts" is a number, got true',
    ]);
  });

  it('puts the profile name and every problem in the message', () => {
    const err = errorOf(() => validateProfile({ name: 'psu', registers: [] }));
    expect(err?.message).toMatch(/^profile "psu" is invalid:\n {2}- \/registers: /);
    expect(err?.hint).toContain('schema.ts');
  });

  it("reports more than TypeBox's default of 8 errors and leaves that default as it was", () => {
    const registers = Array.from({ length: 12 }, (_, i) => ({ metric: `m${i}`, function: 'output', address: i }));
    expect(problems({ name: 'x', registers })).toHaveLength(12);
    expect(Settings.Get().maxErrors).toBe(8);
  });
});
