/**
 * Ed25519 signing and verification of release manifests and key announcements (node:crypto,
 * no I/O). The signed bytes are a domain tag plus the canonical JSON of the body, so a
 * manifest signature can never pass as a key announcement or the reverse.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { canonicalJson } from './canonical.js';
import { ReleaseError } from './errors.js';
import { KeyAnnouncement, SignedManifest, type ReleaseManifest, type Signature } from './manifest.js';
import { compareVersions } from './version.js';

const MANIFEST_TAG = 'ledwatch-release-manifest-v1\n';
const ANNOUNCE_TAG = 'ledwatch-release-key-v1\n';

/** A key the verifier accepts, until `validUntil` (ms) when one is set. */
export interface TrustedKey {
  publicKey: string;
  keyId: string;
  validUntil?: number;
}

export interface KeyPairText {
  /** `ed25519:<base64url>` — safe to publish. */
  publicKey: string;
  keyId: string;
  /** PKCS#8 PEM — keep offline. */
  privateKeyPem: string;
}

export function generateReleaseKeyPair(): KeyPairText {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const text = publicKeyText(publicKey);
  return { publicKey: text, keyId: keyIdOf(text), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function publicKeyText(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new ReleaseError('key-invalid', 'not an Ed25519 key', 'generate one with `ledwatch-hub keys generate`');
  return `ed25519:${jwk.x}`;
}

/** The public key of a private key PEM, in wire form. */
export function publicKeyOfPrivate(privateKeyPem: string): string {
  return publicKeyText(createPublicKey(loadPrivateKey(privateKeyPem)));
}

function loadPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key`);
    return key;
  } catch (err) {
    throw new ReleaseError('key-invalid', `not an Ed25519 private key: ${(err as Error).message}`, 'use the private.pem written by `ledwatch-hub keys generate`');
  }
}

function loadPublicKey(text: string): KeyObject {
  const m = /^ed25519:([A-Za-z0-9_-]{43})$/.exec(text);
  if (m === null) throw new ReleaseError('key-invalid', `not a release public key: ${JSON.stringify(text.slice(0, 80))}`, 'expected ed25519:<43 base64url characters>');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: m[1] as string }, format: 'jwk' });
}

/** First 16 hex digits of the SHA-256 of the raw 32-byte key. */
export function keyIdOf(publicKey: string): string {
  loadPublicKey(publicKey);
  const raw = Buffer.from(publicKey.slice('ed25519:'.length), 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function signBytes(tag: string, body: unknown, privateKeyPem: string): Signature {
  const key = loadPrivateKey(privateKeyPem);
  const sig = sign(null, Buffer.from(tag + canonicalJson(body), 'utf8'), key).toString('base64url');
  return { keyId: keyIdOf(publicKeyText(createPublicKey(key))), sig };
}

export function signManifest(manifest: ReleaseManifest, privateKeyPem: string): SignedManifest {
  return { manifest, signatures: [signBytes(MANIFEST_TAG, manifest, privateKeyPem)] };
}

const checkSigned = Compile(SignedManifest);
const checkAnnouncement = Compile(KeyAnnouncement);

function usableKeys(trusted: readonly TrustedKey[], now: number): Map<string, TrustedKey> {
  return new Map(trusted.filter((k) => k.validUntil === undefined || k.validUntil >= now).map((k) => [k.keyId, k]));
}

function verifyOne(tag: string, body: unknown, signatures: readonly Signature[], trusted: readonly TrustedKey[], now: number): void {
  if (signatures.length === 0) throw new ReleaseError('signature-missing', 'the release is not signed', 'sign the manifest with `ledwatch-hub release sign` before uploading');
  const keys = usableKeys(trusted, now);
  const bytes = Buffer.from(tag + canonicalJson(body), 'utf8');
  let known = false;
  for (const s of signatures) {
    const key = keys.get(s.keyId);
    if (key === undefined) continue;
    known = true;
    if (verify(null, bytes, loadPublicKey(key.publicKey), Buffer.from(s.sig, 'base64url'))) return;
  }
  if (!known) {
    throw new ReleaseError('unknown-key', `signed by ${signatures.map((s) => s.keyId).join(', ')}, none of them a trusted release key`, 'send the agent the hub’s release public key, or sign with a key it trusts');
  }
  throw new ReleaseError('signature-invalid', 'the signature does not match the manifest', 'the manifest was changed after signing, or signed with another key; sign it again');
}

/** Checks shape and signature; gives the manifest or throws a {@link ReleaseError}. */
export function verifySignedManifest(value: unknown, trusted: readonly TrustedKey[], now: number): ReleaseManifest {
  if (typeof value === 'object' && value !== null && !('signatures' in value) && 'manifest' in value) {
    throw new ReleaseError('signature-missing', 'the release manifest carries no signature', 'sign it with `ledwatch-hub release sign`');
  }
  if (!checkSigned.Check(value)) {
    const issues = [...checkSigned.Errors(value)].slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new ReleaseError('manifest-invalid', `the signed manifest does not match the schema: ${issues.join('; ')}`, 'make it with `ledwatch-hub release sign`');
  }
  verifyOne(MANIFEST_TAG, value.manifest, value.signatures, trusted, now);
  return value.manifest;
}

export function signKeyAnnouncement(body: KeyAnnouncement['body'], previousPrivateKeyPem: string): KeyAnnouncement {
  return { body, signatures: [signBytes(ANNOUNCE_TAG, body, previousPrivateKeyPem)] };
}

/**
 * Applies a key announcement to a trust list: the new key is added when a trusted key
 * signed it and that key is the one it names as previous; the previous key is limited to
 * `previousValidUntil`. Gives the new list; throws when the announcement is not valid.
 */
export function applyKeyAnnouncement(trusted: readonly TrustedKey[], value: unknown, now: number): TrustedKey[] {
  if (!checkAnnouncement.Check(value)) throw new ReleaseError('key-announcement-invalid', 'the key announcement does not match the schema', 'make it with `ledwatch-hub keys rotate`');
  const { body } = value;
  if (!value.signatures.every((s) => s.keyId === body.previousKeyId)) {
    throw new ReleaseError('key-announcement-invalid', 'a key announcement must be signed by the key it replaces', 'sign it with the previous private key');
  }
  verifyOne(ANNOUNCE_TAG, body, value.signatures, trusted, now);
  const keyId = keyIdOf(body.publicKey);
  const next = trusted.filter((k) => k.keyId !== keyId).map((k) => (k.keyId === body.previousKeyId ? { ...k, validUntil: Math.min(k.validUntil ?? Infinity, body.previousValidUntil) } : k));
  next.push({ publicKey: body.publicKey, keyId });
  return next;
}

/**
 * Refuses a manifest that would go back to an older version than the one installed,
 * unless it names the installed version in `allowDowngradeFrom`; a replayed old manifest
 * never does. The same version again is `already-installed`.
 */
export function checkVersionStep(manifest: ReleaseManifest, installed: string | undefined): void {
  if (installed === undefined) return;
  const order = compareVersions(manifest.version, installed);
  if (order === 0) throw new ReleaseError('already-installed', `${manifest.name} ${manifest.version} is already installed`, 'nothing to do');
  if (order < 0 && !(manifest.allowDowngradeFrom ?? []).includes(installed)) {
    throw new ReleaseError(
      'downgrade-refused',
      `${manifest.name} ${manifest.version} is older than the installed ${installed} and its signed manifest does not allow that downgrade`,
      `sign a manifest with allowDowngradeFrom: ["${installed}"] to roll back on purpose`,
    );
  }
}

export interface TargetFacts {
  os?: string;
  arch?: string;
  agentVersion?: string | null;
  /** Device models the agent reported. */
  models?: readonly string[];
}

/** Why a target cannot take the release (empty = compatible). Facts the hub does not know are not held against it. */
export function incompatibilities(manifest: ReleaseManifest, facts: TargetFacts): string[] {
  const c = manifest.compatibility;
  const reasons: string[] = [];
  if (c.os !== undefined && facts.os !== undefined && !c.os.includes(facts.os)) reasons.push(`os ${facts.os} is not one of ${c.os.join(', ')}`);
  if (c.arch !== undefined && facts.arch !== undefined && !c.arch.includes(facts.arch)) reasons.push(`arch ${facts.arch} is not one of ${c.arch.join(', ')}`);
  if (c.minAgentVersion !== undefined) {
    if (facts.agentVersion === null) reasons.push(`agent version unknown (needs ${c.minAgentVersion} or later)`);
    else if (facts.agentVersion !== undefined && safeCompare(facts.agentVersion, c.minAgentVersion) < 0) reasons.push(`agent ${facts.agentVersion} is older than ${c.minAgentVersion}`);
  }
  if (c.controllerModels !== undefined && facts.models !== undefined && !facts.models.some((m) => c.controllerModels?.includes(m))) {
    reasons.push(`no controller of model ${c.controllerModels.join(', ')} on the site`);
  }
  return reasons;
}

function safeCompare(a: string, b: string): number {
  try {
    return compareVersions(a, b);
  } catch {
    return -1;
  }
}
