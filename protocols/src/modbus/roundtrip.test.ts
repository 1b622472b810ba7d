import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './rtu.js';
import { exceptionArb, requestArb, responseArb, unitIdArb } from './test-utils/arbitraries.js';
import { errorOf } from './test-utils/errors.js';

describe('RTU round trips (property)', () => {
  it('decodes any encoded request to the same unit and request', () => {
    fc.assert(
      fc.property(unitIdArb, requestArb, (unitId, request) => {
        expect(decodeRequest(encodeRequest(unitId, request))).toEqual({ unitId, request });
      }),
    );
  });

  it('decodes any encoded register or write response to the same response', () => {
    fc.assert(
      fc.property(unitIdArb, responseArb, (unitId, response) => {
        const decoded = decodeResponse(encodeResponse(unitId, response));
        if ('bits' in response && 'bits' in decoded.response) {
          // Without the request, bits come back padded to whole bytes with false.
          expect(decoded.response.bits.slice(0, response.bits.length)).toEqual(response.bits);
          expect(decoded.response.bits.slice(response.bits.length).every((b) => !b)).toBe(true);
        } else {
          expect(decoded).toEqual({ unitId, response });
        }
      }),
    );
  });

  it('decodes any read response exactly when given the request it answers', () => {
    fc.assert(
      fc.property(unitIdArb, requestArb, fc.infiniteStream(fc.boolean()), (unitId, request, coin) => {
        if (!('quantity' in request)) return;
        const response =
          request.fc === 1 || request.fc === 2
            ? { fc: request.fc, bits: Array.from({ length: request.quantity }, () => coin.next().value) }
            : { fc: request.fc, registers: Array.from({ length: request.quantity }, (_, i) => (request.address + i) & 0xffff) };
        expect(decodeResponse(encodeResponse(unitId, response), { unitId, request })).toEqual({ unitId, response });
      }),
    );
  });

  it('turns any encoded exception response back into an exception error with its codes', () => {
    fc.assert(
      fc.property(unitIdArb, exceptionArb, (unitId, response) => {
        const err = errorOf(() => decodeResponse(encodeResponse(unitId, response)));
        expect(err?.code).toBe('exception');
        expect(err?.exception).toMatchObject({ functionCode: response.fc, code: response.exception });
      }),
    );
  });

  it('never decodes a frame with one corrupted byte as a valid frame with other content', () => {
    fc.assert(
      fc.property(unitIdArb, requestArb, fc.nat(), fc.integer({ min: 1, max: 0xff }), (unitId, request, at, flip) => {
        const bytes = encodeRequest(unitId, request);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] ?? 0) ^ flip;
        expect(errorOf(() => decodeRequest(bytes))?.code).toMatch(/^(crc|truncated|bad-length|bad-function)$/);
      }),
    );
  });
});
