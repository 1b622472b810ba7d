import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfileFile } from './profile-file.js';
import { modbusDevice, modbusDriver, thrownBy } from './test-utils/setup.js';

const dir = mkdtempSync(join(tmpdir(), 'ledwatch-modbus-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD_YAML = `
name: meanwell-drp-240
model: DRP-240-5 with monitor board
registers:
  - { metric: outputVoltageV, function: holding, address: 0x50, scale: 0.01, unit: V }
  - { metric: dcOk, function: discrete, address: 3 }
alarms:
  - { metric: dcOk, equals: false, severity: fault, type: psu-under-voltage }
`;

const BROKEN_YAML = `
name: Broken Name
registers:
  - metric: outputVoltageV
    function: holding
    address: 70000
    scale: 0
  - metric: outputVoltageV
    function: input
    address: 1
    colour: red
alarms:
  - { metric: nosuchMetric, above: 5, severity: fault, type: x }
`;

describe('Modbus profile files', () => {
  it('loads a YAML profile of the site’s own', () => {
    const profile = loadProfileFile(file('good.yaml', GOOD_YAML));
    expect(profile.name).toBe('meanwell-drp-240');
    expect(profile.registers.map((r) => [r.metric, r.address])).toEqual([
      ['outputVoltageV', 0x50],
      ['dcOk', 3],
    ]);
  });

  it('loads a JSON profile', () => {
    const path = file('good.json', JSON.stringify({ name: 'tiny', registers: [{ metric: 'tempC', function: 'input', address: 0 }] }));
    expect(loadProfileFile(path).registers).toHaveLength(1);
  });

  it('names the file and lists every problem by its path in one invalid-profile error', () => {
    const path = file('broken.yaml', BROKEN_YAML);
    const err = thrownBy(() => loadProfileFile(path));
    expect(err.code).toBe('invalid-profile');
    expect(err.message).toContain(`Modbus profile file ${path} is invalid`);
    expect(err.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/name: /),
        expect.stringMatching(/^\/registers\/0\/address: /),
        expect.stringMatching(/^\/registers\/1\/colour: unknown key/),
      ]),
    );
    for (const detail of err.details ?? []) expect(err.message).toContain(detail);
  });

  it('reports a YAML syntax error with its place', () => {
    const err = thrownBy(() => loadProfileFile(file('syntax.yaml', 'name: x\nregisters: [ { metric: a\n')));
    expect(err.code).toBe('invalid-profile');
    expect(err.message).toMatch(/syntax\.yaml: not valid YAML: .*line/s);
  });

  it('reports a file that cannot be read, with what to check', () => {
    const err = thrownBy(() => loadProfileFile(join(dir, 'missing.yaml')));
    expect(err.code).toBe('invalid-profile');
    expect(err.message).toMatch(/missing\.yaml: cannot read it: ENOENT/);
    expect((err as { hint?: string }).hint).toMatch(/working directory/);
  });

  it('fails driver creation with the profile file’s error, before anything is opened', () => {
    const path = file('broken-too.yaml', BROKEN_YAML);
    const err = thrownBy(() => modbusDriver(modbusDevice('psu', { transport: 'tcp', host: '127.0.0.1', profileFile: path })));
    expect(err.code).toBe('invalid-profile');
    expect(err.message).toContain(path);
  });
});
