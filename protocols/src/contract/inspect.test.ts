import { describe, expect, it } from 'vitest';
import { ContractError } from '../errors.js';
import { INSPECT_SAMPLES, validateInspectFacts, validateInspectParams } from './index.js';

const validators = { facts: validateInspectFacts, params: validateInspectParams } as const;

describe('inspect contract', () => {
  for (const part of ['facts', 'params'] as const) {
    it(`accepts every valid ${part} sample unchanged`, () => {
      expect(INSPECT_SAMPLES[part].valid.length).toBeGreaterThan(0);
      for (const sample of INSPECT_SAMPLES[part].valid) expect(validators[part](structuredClone(sample))).toEqual(sample);
    });

    it(`refuses every invalid ${part} sample with code invalid-payload and the offending field`, () => {
      expect(INSPECT_SAMPLES[part].invalid.length).toBeGreaterThan(0);
      for (const { why, payload } of INSPECT_SAMPLES[part].invalid) {
        let caught: unknown;
        try {
          validators[part](payload);
        } catch (err) {
          caught = err;
        }
        expect(caught, why).toBeInstanceOf(ContractError);
        expect((caught as ContractError).code, why).toBe('invalid-payload');
        expect((caught as ContractError).details.length, why).toBeGreaterThan(0);
      }
    });
  }

  it('fits a large site’s facts in one cmd-result (under the 1 MiB payload limit)', () => {
    const base = structuredClone(INSPECT_SAMPLES.facts.valid[0]) as { configuration: { controllers: unknown[] } };
    const ctrl = base.configuration.controllers[0];
    base.configuration.controllers = Array.from({ length: 200 }, () => ctrl);
    expect(() => validateInspectFacts(base)).not.toThrow();
    expect(JSON.stringify(base).length).toBeLessThan(1024 * 1024);
  });
});
