import { describe, expect, test } from 'vitest';
import { globMatches } from './glob.js';

describe('globs of rule matches', () => {
  test('a single star stops at a slash, so */p*/c* matches receiving cards and not their controller', () => {
    expect(globMatches('*/p*/c*', 'ctrl-1/p0/c3')).toBe(true);
    expect(globMatches('*/p*/c*', 'ctrl-1')).toBe(false);
    expect(globMatches('*/p*/c*', 'site/ctrl-1/p0/c3')).toBe(false);
  });

  test('a double star crosses levels and a question mark takes one character', () => {
    expect(globMatches('**/c*', 'site/ctrl-1/p0/c3')).toBe(true);
    expect(globMatches('psu-?', 'psu-2')).toBe(true);
    expect(globMatches('psu-?', 'psu-12')).toBe(false);
  });

  test('braces take one of their alternatives', () => {
    expect(globMatches('{modbus,snmp}', 'snmp')).toBe(true);
    expect(globMatches('{modbus,snmp}', 'novastar')).toBe(false);
  });

  test('regular-expression characters in a glob are taken literally, and no glob matches anything', () => {
    expect(globMatches('host.local', 'host.local')).toBe(true);
    expect(globMatches('host.local', 'hostxlocal')).toBe(false);
    expect(globMatches(undefined, 'anything/at/all')).toBe(true);
  });
});
