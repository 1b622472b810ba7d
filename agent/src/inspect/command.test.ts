import { describe, expect, it } from 'vitest';
import { handleCommand } from '../commands.js';

const cmd = { id: 'inspect-1', type: 'inspect' as const, issuedAt: 1_764_000_000_000, params: { largestFiles: 1 } };
const now = () => 1_764_000_000_500;

describe('inspect command', () => {
  it('answers with the facts the agent’s handler collects', async () => {
    const inspect = (params: Record<string, unknown> | undefined) => Promise.resolve({ asked: params });
    const result = await handleCommand(cmd, { rebirth: () => Promise.resolve(), inspect, now });
    expect(result).toEqual({ id: 'inspect-1', type: 'inspect', state: 'succeeded', at: now(), result: { facts: { asked: { largestFiles: 1 } } } });
  });

  it('reports a failed collection with the error code', async () => {
    const inspect = () => Promise.reject(Object.assign(new Error('bad params'), { code: 'invalid-payload' }));
    const result = await handleCommand(cmd, { rebirth: () => Promise.resolve(), inspect, now });
    expect(result).toMatchObject({ state: 'failed', error: { code: 'invalid-payload' } });
  });

  it('rejects inspect as unsupported where no handler is wired', async () => {
    const result = await handleCommand(cmd, { rebirth: () => Promise.resolve(), now });
    expect(result).toMatchObject({ state: 'rejected', error: { code: 'unsupported-command' } });
  });
});
