import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { schemaIssues } from '../../schema-issues.js';
import { checkSnmpOptions, SnmpOptionsSchema, wildcard } from './options.js';
import { snmpOptions } from './test-utils/driver.js';

const issues = (options: Record<string, unknown>) =>
  schemaIssues(SnmpOptionsSchema, Value.Default(SnmpOptionsSchema, structuredClone(options)), 'devices.0.options', 'see the snmp driver').map((i) => `${i.key}: ${i.message}`);

describe('snmp driver options', () => {
  it('defaults to v2c, community public, port 161, 2 s timeout and one retry', () => {
    expect(snmpOptions({ host: '10.0.0.5', profile: 'ups-mib' })).toEqual({
      host: '10.0.0.5',
      port: 161,
      version: '2c',
      community: 'public',
      profile: 'ups-mib',
      timeoutMs: 2000,
      retries: 1,
      maxRepetitions: 10,
    });
  });

  it('fills v3 protocols with sha and aes', () => {
    const o = snmpOptions({ host: 'ups', profile: 'ups-mib', version: '3', v3: { user: 'u', level: 'authPriv', authKey: 'auth-key-1', privKey: 'priv-key-1' } });
    expect(o.v3).toEqual({ user: 'u', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-key-1', privProtocol: 'aes', privKey: 'priv-key-1' });
  });

  it('rejects a missing profile, an unknown profile and an unknown key, naming each', () => {
    expect(issues({ host: 'sw', colour: 'red' })).toEqual(expect.arrayContaining(['devices.0.options.profile: is required', 'devices.0.options.colour: unknown key']));
    expect(issues({ host: 'sw', profile: 'bridge-mib' }).some((i) => i.startsWith('devices.0.options.profile'))).toBe(true);
  });

  it('rejects at load time a v3 config without the keys its level needs', () => {
    expect(issues({ host: 'sw', profile: 'if-mib', version: '3' })).toHaveLength(1);
    expect(issues({ host: 'sw', profile: 'if-mib', version: '3', v3: { user: 'u', level: 'authPriv', authKey: 'auth-key-1' } })).toEqual([
      expect.stringMatching(/^devices\.0\.options\.v3: /),
    ]);
    expect(issues({ host: 'sw', profile: 'if-mib', version: '3', v3: { user: 'u', level: 'noAuthNoPriv' } })).toEqual([]);
  });

  it('says which v3 key is missing when the schema was skipped', () => {
    const base = { host: 'sw', port: 161, community: 'public', profile: 'if-mib', timeoutMs: 1000, retries: 0, maxRepetitions: 10 } as const;
    const v3 = { user: 'u', authProtocol: 'sha', privProtocol: 'aes' } as const;
    expect(() => checkSnmpOptions({ ...base, version: '3' })).toThrow(expect.objectContaining({ code: 'snmp-options', message: 'version 3 needs options.v3' }));
    expect(() => checkSnmpOptions({ ...base, version: '3', v3: { ...v3, level: 'authPriv', authKey: 'auth-key-1' } })).toThrow(/needs v3\.privKey/);
    expect(() => checkSnmpOptions({ ...base, version: '3', v3: { ...v3, level: 'authNoPriv' } })).toThrow(/needs v3\.authKey/);
  });

  it('matches interface patterns with * and ? as whole names, other characters literally', () => {
    expect(wildcard('ge-0/0/*').test('ge-0/0/12')).toBe(true);
    expect(wildcard('eth?').test('eth10')).toBe(false);
    expect(wildcard('port.1').test('port11')).toBe(false);
    expect(wildcard('Gi1/0/1').test('Gi1/0/10')).toBe(false);
  });
});
