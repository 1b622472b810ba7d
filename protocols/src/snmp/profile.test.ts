import { describe, expect, it } from 'vitest';
import { SnmpError } from './errors.js';
import { validateSnmpProfile, type SnmpProfile } from './profile.js';

function problems(profile: SnmpProfile): readonly string[] {
  try {
    validateSnmpProfile(profile);
  } catch (err) {
    if (err instanceof SnmpError && err.code === 'invalid-profile') return err.details;
    throw err;
  }
  return [];
}

describe('validateSnmpProfile', () => {
  it('lists every problem with its path', () => {
    expect(
      problems({
        name: 'pdu',
        scalars: [
          { oid: 'sysUpTime.0', metric: 'uptime', type: 'timeticks' },
          { oid: '1.3.6.1.2.1.1.5.0', metric: 'uptime', type: 'string' },
          { oid: '1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1', metric: 'load amps', type: 'gauge', scale: 0 },
        ],
        tables: [
          {
            name: 'outlets',
            baseOid: '1.3.6.1.4.1.318.1.1.12.3.5.1.1',
            index: 'outletIndex',
            component: { prefix: 'outlet', metric: 'label' },
            columns: [{ column: 0, metric: 'state', type: 'integer', states: { on: '1' } }],
          },
        ],
      }),
    ).toEqual([
      '/scalars/0/oid: not a numeric OID: "sysUpTime.0"',
      '/scalars/1/metric: duplicate metric "uptime" (also /scalars/0)',
      '/scalars/2/metric: "load amps" is not a valid metric name',
      '/scalars/2/scale: 0 makes every value 0',
      '/tables/0/columns/0/column: must be a positive integer',
      '/tables/0/columns/0/states/on: a state key is a raw integer value',
      '/tables/0/component/metric: no column has metric "label"',
    ]);
  });

  it('allows the same metric name in a table and among scalars (they land in different components)', () => {
    expect(
      problems({
        name: 'x',
        scalars: [{ oid: '1.3.6.1.2.1.33.1.4.2.0', metric: 'voltageV', type: 'integer' }],
        tables: [{ name: 't', baseOid: '1.3.6.1.2.1.33.1.4.4.1', index: 'line', component: { prefix: 'out' }, columns: [{ column: 2, metric: 'voltageV', type: 'integer' }] }],
      }),
    ).toEqual([]);
  });
});
