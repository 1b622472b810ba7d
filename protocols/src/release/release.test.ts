import { describe, expect, it } from 'vitest';
import {
  applyKeyAnnouncement,
  canonicalJson,
  checkVersionStep,
  compareVersions,
  generateReleaseKeyPair,
  incompatibilities,
  keyIdOf,
  ReleaseError,
  signKeyAnnouncement,
  signManifest,
  verifySignedManifest,
  type ReleaseManifest,
  type TrustedKey,
} from './index.js';

const NOW = 1_780_000_000_000;

function manifest(over: Partial<ReleaseManifest> = {}): ReleaseManifest {
  return {
    schema: 1,
    kind: 'agent',
    name: 'ledwatch-agent',
    version: '1.2.0',
    artifact: { sha256: 'a'.repeat(64), size: 1234 },
    compatibility: { os: ['linux'], arch: ['x64', 'arm64'] },
    install: [{ type: 'extract' }, { type: 'restart-agent' }],
    healthCheck: { windowS: 60 },
    createdAt: NOW,
    ...over,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReleaseError) return err.code;
    throw err;
  }
  return undefined;
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe('versions', () => {
  it('orders by SemVer precedence', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0-rc.2', '1.0.0-rc.10')).toBe(-1);
    expect(compareVersions('2.0.0+build', '2.0.0')).toBe(0);
  });
});

describe('manifest signatures', () => {
  const key = generateReleaseKeyPair();
  const trusted: TrustedKey[] = [{ publicKey: key.publicKey, keyId: key.keyId }];

  it('verifies a manifest signed with a trusted key, also after a JSON round trip', () => {
    const signed = JSON.parse(JSON.stringify(signManifest(manifest(), key.privateKeyPem))) as unknown;
    expect(verifySignedManifest(signed, trusted, NOW).version).toBe('1.2.0');
  });

  it('refuses a manifest changed after signing with signature-invalid', () => {
    const signed = signManifest(manifest(), key.privateKeyPem);
    signed.manifest.artifact.sha256 = 'b'.repeat(64);
    expect(codeOf(() => verifySignedManifest(signed, trusted, NOW))).toBe('signature-invalid');
  });

  it('refuses an unsigned manifest with signature-missing', () => {
    expect(codeOf(() => verifySignedManifest({ manifest: manifest() }, trusted, NOW))).toBe('signature-missing');
    expect(codeOf(() => verifySignedManifest({ manifest: manifest(), signatures: [] }, trusted, NOW))).toBe('signature-missing');
  });

  it('refuses a manifest signed by an unknown key with unknown-key', () => {
    const other = generateReleaseKeyPair();
    expect(codeOf(() => verifySignedManifest(signManifest(manifest(), other.privateKeyPem), trusted, NOW))).toBe('unknown-key');
  });

  it('refuses a manifest that breaks the schema with manifest-invalid', () => {
    const signed = signManifest(manifest(), key.privateKeyPem) as unknown as { manifest: Record<string, unknown> };
    signed.manifest.install = [{ type: 'shell', command: 'rm -rf /' }];
    expect(codeOf(() => verifySignedManifest(signed, trusted, NOW))).toBe('manifest-invalid');
  });

  it('stops accepting a key after its validUntil', () => {
    const signed = signManifest(manifest(), key.privateKeyPem);
    expect(codeOf(() => verifySignedManifest(signed, [{ ...trusted[0]!, validUntil: NOW - 1 }], NOW))).toBe('unknown-key');
  });

  it('derives a stable 16-digit key id from the public key', () => {
    expect(keyIdOf(key.publicKey)).toBe(key.keyId);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('key rotation', () => {
  const old = generateReleaseKeyPair();
  const next = generateReleaseKeyPair();
  const trusted: TrustedKey[] = [{ publicKey: old.publicKey, keyId: old.keyId }];
  const body = { publicKey: next.publicKey, previousKeyId: old.keyId, previousValidUntil: NOW + 1000, announcedAt: NOW };

  it('adds the new key and keeps the old one for the transition period only', () => {
    const list = applyKeyAnnouncement(trusted, signKeyAnnouncement(body, old.privateKeyPem), NOW);
    const signedByOld = signManifest(manifest(), old.privateKeyPem);
    const signedByNew = signManifest(manifest(), next.privateKeyPem);
    expect(verifySignedManifest(signedByOld, list, NOW).version).toBe('1.2.0');
    expect(verifySignedManifest(signedByNew, list, NOW).version).toBe('1.2.0');
    expect(codeOf(() => verifySignedManifest(signedByOld, list, NOW + 1001))).toBe('unknown-key');
    expect(verifySignedManifest(signedByNew, list, NOW + 1001).version).toBe('1.2.0');
  });

  it('refuses an announcement the previous key did not sign', () => {
    const forged = signKeyAnnouncement(body, next.privateKeyPem);
    expect(codeOf(() => applyKeyAnnouncement(trusted, forged, NOW))).toBe('key-announcement-invalid');
  });
});

describe('version steps and compatibility', () => {
  it('refuses a replayed older manifest, allows a downgrade only from the versions it names', () => {
    expect(codeOf(() => checkVersionStep(manifest({ version: '1.1.0' }), '1.2.0'))).toBe('downgrade-refused');
    expect(codeOf(() => checkVersionStep(manifest({ version: '1.1.0', allowDowngradeFrom: ['1.2.0'] }), '1.2.0'))).toBeUndefined();
    expect(codeOf(() => checkVersionStep(manifest({ version: '1.2.0' }), '1.2.0'))).toBe('already-installed');
    expect(codeOf(() => checkVersionStep(manifest({ version: '1.3.0' }), '1.2.0'))).toBeUndefined();
  });

  it('names every reason a target cannot take a release', () => {
    const m = manifest({ compatibility: { os: ['linux'], arch: ['arm64'], minAgentVersion: '1.0.0', controllerModels: ['MCTRL4K'] } });
    expect(incompatibilities(m, { os: 'linux', arch: 'x64', agentVersion: '0.9.0', models: ['VX4S'] })).toEqual([
      'arch x64 is not one of arm64',
      'agent 0.9.0 is older than 1.0.0',
      'no controller of model MCTRL4K on the site',
    ]);
    expect(incompatibilities(m, { os: 'linux', arch: 'arm64', agentVersion: '1.0.0', models: ['MCTRL4K'] })).toEqual([]);
  });
});
