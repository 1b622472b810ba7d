import { describe, expect, it } from 'vitest';
import { ContractError } from '../errors.js';
import {
  CONTRACT_SAMPLES,
  MAX_PAYLOAD_BYTES,
  TOPIC_KINDS,
  decodePayload,
  encodePayload,
  filters,
  parseTopic,
  topics,
  type TopicKind,
} from './index.js';

describe('contract topics', () => {
  it('builds and parses every topic kind', () => {
    expect(parseTopic(topics.status('agent-1'))).toEqual({ agentId: 'agent-1', kind: 'status' });
    expect(parseTopic(topics.telemetry('a.b_c'))).toEqual({ agentId: 'a.b_c', kind: 'telemetry' });
    expect(parseTopic(topics.cmd('agent-1', 'c-9'))).toEqual({ agentId: 'agent-1', kind: 'cmd', cmdId: 'c-9' });
    expect(parseTopic(topics.cmdResult('agent-1', 'c-9'))).toEqual({ agentId: 'agent-1', kind: 'cmd-result', cmdId: 'c-9' });
    expect(topics.ack('x')).toBe('ledwatch/v1/x/ack');
  });

  it('returns undefined for topics outside the contract', () => {
    for (const t of [
      'ledwatch/v2/a/status',
      'ledwatch/v1/a/unknown',
      'ledwatch/v1/a/cmd',
      'ledwatch/v1/a/status/extra',
      'ledwatch/v1/+/status',
      'ledwatch/v1/#',
      'other/v1/a/status',
      '',
    ]) {
      expect(parseTopic(t), t).toBeUndefined();
    }
  });

  it('refuses to build a topic from a wildcard or a slash in an id', () => {
    expect(() => topics.status('+')).toThrow(ContractError);
    expect(() => topics.cmd('a', 'x/y')).toThrow(/command id/);
    expect(() => topics.telemetry('#')).toThrow(/agent id/);
  });

  it('gives the hub one filter per agent kind and the agent only its own subtree', () => {
    expect(filters.allAgents()).toEqual([
      'ledwatch/v1/+/status',
      'ledwatch/v1/+/inventory',
      'ledwatch/v1/+/telemetry',
      'ledwatch/v1/+/events',
      'ledwatch/v1/+/cmd-result/+',
    ]);
    expect(filters.forAgent('a1')).toEqual(['ledwatch/v1/a1/ack', 'ledwatch/v1/a1/cmd/+']);
  });
});

describe('contract payloads', () => {
  it('has valid and invalid golden samples for every kind', () => {
    for (const kind of TOPIC_KINDS) {
      expect(CONTRACT_SAMPLES[kind].valid.length, kind).toBeGreaterThan(0);
      expect(CONTRACT_SAMPLES[kind].invalid.length, kind).toBeGreaterThan(0);
    }
  });

  for (const kind of TOPIC_KINDS) {
    it(`accepts every valid ${kind} sample and round-trips it`, () => {
      for (const sample of CONTRACT_SAMPLES[kind].valid) {
        const decoded = decodePayload(kind, JSON.stringify(sample));
        expect(decoded).toEqual(sample);
        const encoded = encodePayload(kind as TopicKind, decoded as never);
        expect(JSON.parse(encoded.toString('utf8'))).toEqual(sample);
      }
    });

    it(`refuses every invalid ${kind} sample with code invalid-payload`, () => {
      for (const { why, payload } of CONTRACT_SAMPLES[kind].invalid) {
        let caught: unknown;
        try {
          decodePayload(kind, JSON.stringify(payload));
        } catch (err) {
          caught = err;
        }
        expect(caught, why).toBeInstanceOf(ContractError);
        expect((caught as ContractError).code, why).toBe('invalid-payload');
        expect((caught as ContractError).details.length, why).toBeGreaterThan(0);
      }
    });
  }

  it('names the offending field in the error', () => {
    expect(() => decodePayload('ack', '{"seq":"41"}')).toThrow(/\/seq/);
  });

  it('refuses bytes that are not JSON with code invalid-json', () => {
    try {
      decodePayload('telemetry', Buffer.from([0x7b, 0xff, 0x00]));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ContractError);
      expect((err as ContractError).code).toBe('invalid-json');
    }
  });

  it('refuses an oversized payload before parsing it', () => {
    const big = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20);
    expect(() => decodePayload('telemetry', big)).toThrow(expect.objectContaining({ code: 'payload-too-large' }));
  });

  it('refuses to encode a payload that breaks the contract', () => {
    expect(() => encodePayload('ack', { seq: -1 })).toThrow(expect.objectContaining({ code: 'invalid-payload' }));
  });
});
