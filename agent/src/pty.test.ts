import { openSync, closeSync, writeSync, readSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPtyPair, socatAvailable } from './test-utils/pty.js';

describe.skipIf(!socatAvailable())('socat pty pair', () => {
  it('carries bytes from one end to the other', async () => {
    const pair = await openPtyPair();
    try {
      const a = openSync(pair.a, 'r+');
      const b = openSync(pair.b, 'r+');
      writeSync(a, Buffer.from([0x55, 0xaa, 0x00]));
      await new Promise((r) => setTimeout(r, 100));
      const buf = Buffer.alloc(3);
      expect(readSync(b, buf, 0, 3, null)).toBe(3);
      expect([...buf]).toEqual([0x55, 0xaa, 0x00]);
      closeSync(a);
      closeSync(b);
    } finally {
      await pair.close();
    }
  });
});
