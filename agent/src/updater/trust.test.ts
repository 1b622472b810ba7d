import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateReleaseKeyPair, signKeyAnnouncement } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { TrustStore } from './trust.js';

describe('the agent’s release key store', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'ledwatch-trust-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const NOW = 1_780_000_000_000;

  it('takes the hub’s keys only while it trusts none, and keeps them across restarts', async () => {
    const d = dir();
    const first = generateReleaseKeyPair();
    const other = generateReleaseKeyPair();
    const store = await TrustStore.open(d, [], silentLogger());
    await store.learn([first.publicKey], undefined, NOW);
    await store.learn([other.publicKey], undefined, NOW); // a second "first key" is ignored
    const reopened = await TrustStore.open(d, [], silentLogger());
    expect(reopened.keys().map((k) => k.keyId)).toEqual([first.keyId]);
  });

  it('never replaces configured keys with keys the hub sends', async () => {
    const configured = generateReleaseKeyPair();
    const sent = generateReleaseKeyPair();
    const store = await TrustStore.open(dir(), [configured.publicKey], silentLogger());
    await store.learn([sent.publicKey], undefined, NOW);
    expect(store.keys().map((k) => k.keyId)).toEqual([configured.keyId]);
  });

  it('adds a rotated key announced by a trusted one, limits the old key to the transition, and ignores forged announcements', async () => {
    const d = dir();
    const old = generateReleaseKeyPair();
    const next = generateReleaseKeyPair();
    const store = await TrustStore.open(d, [old.publicKey], silentLogger());
    const body = { publicKey: next.publicKey, previousKeyId: old.keyId, previousValidUntil: NOW + 1000, announcedAt: NOW };
    await store.learn(undefined, [signKeyAnnouncement(body, next.privateKeyPem)], NOW);
    expect(store.keys()).toHaveLength(1);
    await store.learn(undefined, [signKeyAnnouncement(body, old.privateKeyPem)], NOW);
    const reopened = await TrustStore.open(d, [old.publicKey], silentLogger());
    expect(reopened.keys()).toEqual([
      { publicKey: old.publicKey, keyId: old.keyId, validUntil: NOW + 1000 },
      { publicKey: next.publicKey, keyId: next.keyId },
    ]);
  });
});
