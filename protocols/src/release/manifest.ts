/**
 * The release manifest: what an artifact is (kind, name, version, size, SHA-256), where it
 * may run (compatibility) and how it is installed (steps from a fixed set — never a
 * free-form command). The manifest is what gets signed; the artifact is bound to it by its
 * SHA-256 and size.
 */
import { Type, type Static } from 'typebox';
import { VERSION_PATTERN } from './version.js';

export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lower-case hex SHA-256' });
const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'lower-case package name, e.g. ledwatch-agent or novastar-player' });
const Version = Type.String({ pattern: VERSION_PATTERN, description: 'release version, e.g. 1.4.2 or 1.5.0-rc.1' });
const Token = Type.String({ minLength: 1, maxLength: 64 });

export const ReleaseKind = Type.Union([Type.Literal('agent'), Type.Literal('site-package')], {
  description: 'agent = the agent updates itself; site-package = software on the site PC installed by declared steps',
});
export type ReleaseKind = Static<typeof ReleaseKind>;

/**
 * Install steps, from a fixed set. `extract` unpacks the artifact (a gzip tarball) into
 * the version's own folder; `link-current` switches the package's `current` pointer to
 * it; `restart-service` restarts a systemd unit whose name the manifest declares;
 * `restart-agent` hands over to the supervisor, which starts the new version.
 */
export const InstallStep = Type.Union([
  Type.Object({ type: Type.Literal('extract'), strip: Type.Optional(Type.Integer({ minimum: 0, maximum: 4, description: 'leading path parts to drop, as tar --strip-components' })) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('link-current') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('restart-service'), unit: Type.String({ pattern: '^[A-Za-z0-9@_.-]{1,128}\\.service$', description: 'systemd unit, e.g. novastar-player.service' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('restart-agent') }, { additionalProperties: false }),
]);
export type InstallStep = Static<typeof InstallStep>;

export const HealthCheck = Type.Object(
  {
    windowS: Type.Integer({ minimum: 5, maximum: 3600, description: 'seconds the new version has to come up, connect to the hub and report' }),
    file: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._/-]{1,200}$', description: 'site-package: a file the installed version must contain (relative, no ..)' })),
  },
  { additionalProperties: false },
);
export type HealthCheck = Static<typeof HealthCheck>;

export const Compatibility = Type.Object(
  {
    minAgentVersion: Type.Optional(Version),
    os: Type.Optional(Type.Array(Token, { maxItems: 16, description: 'process.platform values, e.g. linux' })),
    arch: Type.Optional(Type.Array(Token, { maxItems: 16, description: 'process.arch values, e.g. x64, arm64' })),
    controllerModels: Type.Optional(Type.Array(Token, { maxItems: 64, description: 'device models the site must have, e.g. MCTRL4K' })),
  },
  { additionalProperties: false },
);
export type Compatibility = Static<typeof Compatibility>;

export const ReleaseManifest = Type.Object(
  {
    schema: Type.Literal(1),
    kind: ReleaseKind,
    name: Name,
    version: Version,
    artifact: Type.Object(
      {
        sha256: Sha256Hex,
        size: Type.Integer({ minimum: 1, maximum: 4 * 1024 ** 3, description: 'bytes' }),
        fileName: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,128}$' })),
      },
      { additionalProperties: false },
    ),
    compatibility: Compatibility,
    install: Type.Array(InstallStep, { minItems: 1, maxItems: 16 }),
    healthCheck: HealthCheck,
    allowDowngradeFrom: Type.Optional(
      Type.Array(Version, { maxItems: 32, description: 'installed versions this older release may replace; without it a downgrade is refused' }),
    ),
    createdAt: Type.Integer({ minimum: 946684800000, description: 'ms since the epoch when the manifest was made' }),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type ReleaseManifest = Static<typeof ReleaseManifest>;

export const Signature = Type.Object(
  {
    keyId: Type.String({ pattern: '^[0-9a-f]{16}$', description: 'first 16 hex digits of the SHA-256 of the raw public key' }),
    sig: Type.String({ pattern: '^[A-Za-z0-9_-]{86}$', description: 'Ed25519 signature, base64url' }),
  },
  { additionalProperties: false },
);
export type Signature = Static<typeof Signature>;

export const SignedManifest = Type.Object(
  { manifest: ReleaseManifest, signatures: Type.Array(Signature, { maxItems: 4 }) },
  { additionalProperties: false },
);
export type SignedManifest = Static<typeof SignedManifest>;

/** A release public key in its wire form: `ed25519:` + base64url of the 32 raw bytes. */
export const PublicKeyText = Type.String({ pattern: '^ed25519:[A-Za-z0-9_-]{43}$' });

/**
 * A new release key, announced by a key the agent already trusts (rotation): both stay
 * accepted until `previousValidUntil`, then only the new one.
 */
export const KeyAnnouncement = Type.Object(
  {
    body: Type.Object(
      {
        publicKey: PublicKeyText,
        previousKeyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
        previousValidUntil: Type.Integer({ minimum: 946684800000, description: 'ms since the epoch; the old key is refused after it' }),
        announcedAt: Type.Integer({ minimum: 946684800000 }),
      },
      { additionalProperties: false },
    ),
    signatures: Type.Array(Signature, { minItems: 1, maxItems: 4 }),
  },
  { additionalProperties: false },
);
export type KeyAnnouncement = Static<typeof KeyAnnouncement>;

/** Params of an `upgrade` command. */
export const UpgradeCommandParams = Type.Object(
  {
    releaseId: Type.String({ minLength: 1, maxLength: 128 }),
    signed: Type.Unknown({ description: 'the SignedManifest; checked by the agent itself so a bad one is refused with its own code' }),
    artifactUrl: Type.String({ pattern: '^https?://', description: 'where the agent downloads the artifact (range requests for resume)' }),
    reportUrl: Type.String({ pattern: '^https?://', description: 'where the agent and its supervisor post cmd-result progress over HTTP(S)' }),
    keys: Type.Optional(Type.Array(PublicKeyText, { maxItems: 4, description: 'release keys for an agent that has none yet (first key over the authenticated channel)' })),
    announcements: Type.Optional(Type.Array(KeyAnnouncement, { maxItems: 8 })),
  },
  { additionalProperties: false },
);
export type UpgradeCommandParams = Static<typeof UpgradeCommandParams>;

/** Stages of an upgrade, reported as `cmd-result.stage`. */
export const UPGRADE_STAGES = ['queued', 'downloading', 'verifying', 'installing', 'restarting', 'healthy', 'failed', 'rolled-back'] as const;
export type UpgradeStage = (typeof UPGRADE_STAGES)[number];
