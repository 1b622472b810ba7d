import { Point } from '@influxdata/influxdb-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTagValue, encodeTagValue, fieldKey, metricOf, toLine } from './line-protocol.js';
import type { TelemetryPoint } from './store.js';

/** The same point built with the library's Point: the reference encoding. */
function pointLine(p: TelemetryPoint): string | undefined {
  const point = new Point('reading')
    .tag('customer', encodeTagValue(p.customerId))
    .tag('site', encodeTagValue(p.siteId))
    .tag('agent', encodeTagValue(p.agentId))
    .tag('device', encodeTagValue(p.deviceId))
    .tag('component', encodeTagValue(p.component))
    .timestamp(p.at);
  for (const [name, value] of Object.entries(p.metrics)) {
    if (typeof value === 'number') point.floatField(fieldKey(name), value);
    else if (typeof value === 'boolean') point.booleanField(fieldKey(name), value);
    else point.stringField(fieldKey(name), value);
  }
  if (p.state !== undefined) point.stringField('_state', p.state);
  return point.toLineProtocol({ convertTime: (t) => String(t) });
}

const anyText = fc.string({ unit: 'binary', maxLength: 20 });
const anyPoint = fc.record(
  {
    customerId: anyText,
    siteId: anyText,
    agentId: anyText,
    deviceId: anyText,
    component: anyText,
    at: fc.integer({ min: 946684800000, max: 32503680000000 }),
    metrics: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,8}$/), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), anyText), { maxKeys: 6 }),
    state: anyText,
  },
  { requiredKeys: ['customerId', 'siteId', 'agentId', 'deviceId', 'component', 'at', 'metrics'] },
);

const base: TelemetryPoint = { customerId: 'c1', siteId: 's1', agentId: 'a1', deviceId: 'ctrl-1', component: '', at: 1_700_000_000_123, metrics: {} };

describe('line protocol of a telemetry point', () => {
  it('writes tags sorted, numbers as floats, booleans, strings and the state, with a ms timestamp', () => {
    const line = toLine({ ...base, metrics: { voltageV: 12, ok: true, mode: 'eco' }, state: 'warn' });
    expect(line).toBe('reading,agent=a1,customer=c1,device=ctrl-1,site=s1 _state="warn",mode="eco",ok=T,voltageV=12 1700000000123');
  });

  it('writes exactly the line Point writes, for any ids, metrics and values', () => {
    fc.assert(fc.property(anyPoint, (p) => toLine(p) === pointLine(p)), { numRuns: 2000 });
  });

  it('escapes spaces, commas, = and quotes in tags and strings exactly as Point does', () => {
    const component = 'fan 1,left=up "x"';
    const text = 'say "hi", a\\b';
    const line = toLine({ ...base, component, metrics: { note: text } });
    expect(line).toBe('reading,agent=a1,component=fan\\ 1\\,left\\=up\\ "x",customer=c1,device=ctrl-1,site=s1 note="say \\"hi\\", a\\\\b" 1700000000123');
    expect(line).toBe(pointLine({ ...base, component, metrics: { note: text } }));
  });

  it('leaves the component tag out for the device itself (InfluxDB has no empty tag values)', () => {
    expect(toLine({ ...base, metrics: { n: 1 } })).not.toContain('component=');
  });

  it('writes no line for a point with neither metrics nor state', () => {
    expect(toLine(base)).toBeUndefined();
  });

  it('refuses a number InfluxDB cannot store', () => {
    expect(() => toLine({ ...base, metrics: { n: Number.NaN } })).toThrow(/invalid float value/);
  });

  it('maps metric names InfluxDB refuses or that shadow tags to _name, and back', () => {
    expect(['time', 'agent', 'component', 'state', 'voltageV'].map(fieldKey)).toEqual(['_time', '_agent', '_component', 'state', 'voltageV']);
    expect(['_time', '_agent', 'state', '_state'].map(metricOf)).toEqual(['time', 'agent', 'state', undefined]);
  });
});

describe('tag value encoding', () => {
  it('percent-encodes backslashes, % and control characters only', () => {
    expect(encodeTagValue('C:\\')).toBe('C:%5C');
    expect(encodeTagValue('50% a\nb')).toBe('50%25 a%0Ab');
    expect(encodeTagValue('fan 1,left')).toBe('fan 1,left');
  });

  it('round-trips any string and never leaves a backslash or a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const encoded = encodeTagValue(s);
        // eslint-disable-next-line no-control-regex
        return decodeTagValue(encoded) === s && !/[\\\u0000-\u001f]/.test(encoded);
      }),
    );
  });
});
