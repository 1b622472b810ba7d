/**
 * Checks `inspect` params and facts against the contract, with the same typed error as
 * the payload codec, and the golden samples both sides test against.
 */
import { Compile } from 'typebox/compile';
import { ContractError } from '../errors.js';
import { InspectFacts, InspectParams } from './inspect.js';
import factsValid from './inspect-samples/facts.valid.json' with { type: 'json' };
import factsInvalid from './inspect-samples/facts.invalid.json' with { type: 'json' };
import paramsValid from './inspect-samples/params.valid.json' with { type: 'json' };
import paramsInvalid from './inspect-samples/params.invalid.json' with { type: 'json' };
import type { InvalidSample } from './samples.js';

const checkParams = Compile(InspectParams);
const checkFacts = Compile(InspectFacts);

function issues(errors: Iterable<{ keyword: string; instancePath: string; message: string }>): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'boolean') continue;
    out.push(`${e.instancePath === '' ? '/' : e.instancePath}: ${e.message}`);
    if (out.length >= 10) break;
  }
  return out.length > 0 ? out : ['/: does not match the schema'];
}

export function validateInspectParams(value: unknown): InspectParams {
  if (checkParams.Check(value)) return value;
  const details = issues(checkParams.Errors(value));
  throw new ContractError('invalid-payload', `inspect params do not match contract v1: ${details.join('; ')}`, 'send params as described by protocols/src/contract/inspect.ts', details);
}

export function validateInspectFacts(value: unknown): InspectFacts {
  if (checkFacts.Check(value)) return value;
  const details = issues(checkFacts.Errors(value));
  throw new ContractError('invalid-payload', `inspect facts do not match contract v1: ${details.join('; ')}`, 'answer with facts as described by protocols/src/contract/inspect.ts', details);
}

export const INSPECT_SAMPLES: { facts: { valid: unknown[]; invalid: InvalidSample[] }; params: { valid: unknown[]; invalid: InvalidSample[] } } = {
  facts: { valid: factsValid, invalid: factsInvalid },
  params: { valid: paramsValid, invalid: paramsInvalid },
};
