import { Point } from '@influxdata/influxdb-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineEncoder, decodeTagValue, encodeTagValue, fieldKey, metricOf, toLine } from './line-protocol.js';
import { type TelemetryPoint, toTelemetryPoints } from './store.js';

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

describe('LineEncoder (the ingest hot path)', () => {
  const anyReading = fc.record(
    {
      device: anyText,
      component: anyText,
      at: fc.integer({ min: 946684800000, max: 32503680000000 }),
      metrics: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,8}$|^time$|^device$/), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), anyText), { maxKeys: 6 }),
      state: anyText,
    },
    { requiredKeys: ['device', 'at', 'metrics'] },
  );

  it('writes exactly what toLine writes for the same readings, clock offset included', () => {
    const encoder = new LineEncoder(); // one for all runs: its caches must not change the result
    fc.assert(
      fc.property(anyText, anyText, anyText, fc.array(anyReading, { maxLength: 5 }), fc.integer({ min: -1e9, max: 1e9 }), (customerId, siteId, agentId, readings, offset) => {
        const owner = { customerId, siteId, agentId };
        const out: string[] = [];
        const empty = encoder.encode(owner, readings, offset, out, () => expect.unreachable());
        const expected = toTelemetryPoints(owner, readings, offset).map(toLine);
        return JSON.stringify(out) === JSON.stringify(expected.filter((l) => l !== undefined)) && empty === expected.filter((l) => l === undefined).length;
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out a reading InfluxDB cannot store and reports it', () => {
    const bad: { device: string; r: unknown }[] = [];
    const out: string[] = [];
    new LineEncoder().encode({ customerId: 'c', siteId: 's', agentId: 'a' }, [{ device: 'd1', at: 1, metrics: { x: Infinity } }, { device: 'd2', at: 2, metrics: { x: 1 } }], 0, out, (r) => bad.push({ device: r.device, r }));
    expect(bad.map((b) => b.device)).toEqual(['d1']);
    expect(out).toEqual(['reading,agent=a,customer=c,device=d2,site=s x=1 2']);
  });
});
