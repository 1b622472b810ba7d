import { describe, expect, it } from 'vitest';
import { codeOf } from '../test-utils/errors.js';
import { ClientLock } from './client-lock.js';

describe('ClientLock', () => {
  it('grants the slot to the first client and refuses a second one', () => {
    const lock = new ClientLock({ idleReleaseMs: 30_000 });
    expect(lock.claim('novalct', 1_000)).toEqual({ granted: true, holder: 'novalct' });
    expect(lock.claim('ledwatch', 2_000)).toEqual({ granted: false, holder: 'novalct', freeAt: 31_000 });
    expect(lock.holder(2_000)).toBe('novalct');
  });

  it('keeps the slot for a holder that stays active past the idle time', () => {
    const lock = new ClientLock({ idleReleaseMs: 30_000 });
    for (let now = 0; now <= 120_000; now += 20_000) expect(lock.claim('novalct', now).granted).toBe(true);
    expect(lock.claim('ledwatch', 130_000)).toMatchObject({ granted: false, freeAt: 150_000 });
  });

  it('frees the slot after the holder is silent for the idle time', () => {
    const lock = new ClientLock({ idleReleaseMs: 30_000 });
    lock.claim('novalct', 0);
    expect(lock.claim('ledwatch', 29_999).granted).toBe(false);
    expect(lock.claim('ledwatch', 30_000)).toEqual({ granted: true, holder: 'ledwatch' });
    expect(lock.claim('novalct', 30_001).granted).toBe(false);
  });

  it('frees the slot when the holder releases it, and ignores a release by another client', () => {
    const lock = new ClientLock();
    lock.claim('novalct', 0);
    expect(lock.release('ledwatch')).toBe(false);
    expect(lock.release('novalct')).toBe(true);
    expect(lock.holder(1)).toBeUndefined();
    expect(lock.claim('ledwatch', 1).granted).toBe(true);
  });

  it('idles out after 30 s by default and never with an infinite idle time', () => {
    const byDefault = new ClientLock();
    byDefault.claim('a', 0);
    expect(byDefault.holder(30_000)).toBeUndefined();
    const forever = new ClientLock({ idleReleaseMs: Infinity });
    forever.claim('a', 0);
    expect(forever.claim('b', 1e12)).toEqual({ granted: false, holder: 'a', freeAt: Infinity });
  });

  it('refuses an idle time that is not positive with bad-field', () => {
    expect(codeOf(() => new ClientLock({ idleReleaseMs: 0 }))).toBe('bad-field');
    expect(codeOf(() => new ClientLock({ idleReleaseMs: Number.NaN }))).toBe('bad-field');
  });
});
