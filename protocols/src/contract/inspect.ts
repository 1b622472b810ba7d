/**
 * The `inspect` command: what the hub asks for (`params`) and the facts the agent answers
 * with (`cmd-result.result.facts`). The agent only collects; every judgement (pass, warn,
 * fail, the fix) is made on the hub, so the checks can change without an agent upgrade.
 * Network targets come from the site's inspection settings on the hub: the agent never
 * guesses a gateway, DNS or NTP server.
 */
import { Type, type Static } from 'typebox';

const Host = Type.String({ minLength: 1, maxLength: 255, description: 'host name or IP address' });
const Text = (maxLength: number, description?: string) => Type.String(description === undefined ? { maxLength } : { maxLength, description });
const Ms = (description: string) => Type.Number({ description });
const Opt = Type.Optional;
const Bytes = Type.Number({ minimum: 0, description: 'bytes' });

export const InspectTarget = Type.Object(
  { host: Host, port: Opt(Type.Integer({ minimum: 1, maximum: 65535 })) },
  { additionalProperties: false },
);
export type InspectTarget = Static<typeof InspectTarget>;

export const InspectParams = Type.Object(
  {
    /** Start and end of the period the inspection covers (hub clock). */
    periodStart: Opt(Type.Integer({ minimum: 0 })),
    periodEnd: Opt(Type.Integer({ minimum: 0 })),
    network: Opt(
      Type.Object(
        {
          gateway: Opt(InspectTarget),
          dns: Opt(Type.Array(InspectTarget, { maxItems: 8 })),
          ntp: Opt(Type.Array(InspectTarget, { maxItems: 8, description: 'SNTP servers (UDP, default port 123)' })),
          hub: Opt(InspectTarget),
        },
        { additionalProperties: false },
      ),
    ),
    /** Extra folders whose size is reported (log folders). */
    logDirs: Opt(Type.Array(Text(1024), { maxItems: 16 })),
    /** How many of the largest files to list. */
    largestFiles: Opt(Type.Integer({ minimum: 0, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type InspectParams = Static<typeof InspectParams>;

export const ProbeError = Type.Object({ area: Text(64), message: Text(1000) }, { additionalProperties: false });

export const ControllerSnapshot = Type.Object(
  {
    device: Text(200),
    model: Opt(Text(128)),
    firmware: Opt(Text(128)),
    reachable: Type.Boolean({ description: 'a reading of the controller was at hand' }),
    readAt: Opt(Ms('when the snapshot was read')),
    config: Opt(
      Type.Object(
        {
          brightness: Opt(Type.Integer({ minimum: 0, maximum: 255, description: 'global brightness most cards run at' })),
          brightnessMixed: Opt(Type.Boolean({ description: 'cards run at different brightness levels' })),
          selectedInput: Opt(Text(64)),
          inputs: Type.Array(Text(32), { maxItems: 32, description: 'inputs with a signal' }),
          redundancy: Type.Array(Type.Object({ port: Type.Integer({ minimum: 0 }), backup: Type.Boolean() }, { additionalProperties: false }), { maxItems: 64 }),
          cardsPerPort: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.Integer({ minimum: 0 }), { description: 'port → receiving cards answering' }),
        },
        { additionalProperties: false },
      ),
    ),
    controlPort: Opt(
      Type.Object(
        { host: Host, port: Type.Integer({ minimum: 1, maximum: 65535 }), lan: Type.Boolean({ description: 'the controller is reached over the site network, not loopback or serial' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ControllerSnapshot = Static<typeof ControllerSnapshot>;

export const TargetResult = Type.Object(
  {
    role: Type.Union([Type.Literal('gateway'), Type.Literal('dns'), Type.Literal('ntp'), Type.Literal('hub')]),
    host: Host,
    port: Opt(Type.Integer({ minimum: 1, maximum: 65535 })),
    reachable: Type.Boolean(),
    latencyMs: Opt(Type.Number({ minimum: 0 })),
    offsetMs: Opt(Type.Number({ description: 'NTP: server clock minus agent clock' })),
    error: Opt(Text(500)),
  },
  { additionalProperties: false },
);
export type TargetResult = Static<typeof TargetResult>;

export const MountFacts = Type.Object(
  {
    mount: Text(1024),
    fstype: Text(64),
    sizeBytes: Bytes,
    usedBytes: Bytes,
    usedPct: Type.Number({ minimum: 0, maximum: 100 }),
    inodesUsedPct: Opt(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type MountFacts = Static<typeof MountFacts>;

export const InspectFacts = Type.Object(
  {
    collectedAt: Type.Integer({ minimum: 0 }),
    agentVersion: Text(64),
    configuration: Type.Object(
      {
        agent: Type.Object(
          {
            devices: Type.Array(
              Type.Object({ id: Text(200), kind: Text(64), pollIntervalS: Opt(Type.Number()) }, { additionalProperties: false }),
              { maxItems: 500 },
            ),
            configVersion: Opt(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        controllers: Type.Array(ControllerSnapshot, { maxItems: 200 }),
      },
      { additionalProperties: false },
    ),
    network: Type.Object(
      {
        interfaces: Type.Array(
          Type.Object({ name: Text(64), addresses: Type.Array(Text(64), { maxItems: 32 }), internal: Type.Boolean() }, { additionalProperties: false }),
          { maxItems: 64 },
        ),
        targets: Type.Array(TargetResult, { maxItems: 32 }),
        clockOffsetMs: Opt(Type.Number({ description: 'from the first NTP server that answered' })),
      },
      { additionalProperties: false },
    ),
    security: Type.Object(
      {
        listening: Type.Array(
          Type.Object({ proto: Type.Union([Type.Literal('tcp'), Type.Literal('tcp6')]), address: Text(64), port: Type.Integer({ minimum: 0, maximum: 65535 }) }, { additionalProperties: false }),
          { maxItems: 1000 },
        ),
        ssh: Type.Object(
          {
            present: Type.Boolean({ description: 'an sshd config was found' }),
            path: Text(1024),
            passwordAuthentication: Opt(Type.Boolean()),
            permitRootLogin: Opt(Text(64)),
          },
          { additionalProperties: false },
        ),
        updates: Type.Object(
          {
            manager: Type.Union([Type.Literal('apt'), Type.Literal('dnf'), Type.Literal('none')]),
            pending: Opt(Type.Integer({ minimum: 0 })),
            security: Opt(Type.Integer({ minimum: 0 })),
            error: Opt(Text(500)),
          },
          { additionalProperties: false },
        ),
        firewall: Type.Object(
          {
            state: Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('unknown')]),
            tool: Opt(Text(64)),
          },
          { additionalProperties: false },
        ),
        runningAsRoot: Type.Boolean(),
        hubCertificate: Opt(
          Type.Object({ notAfter: Type.Integer(), subject: Opt(Text(500)) }, { additionalProperties: false, description: 'the hub link’s TLS certificate (mqtts only)' }),
        ),
      },
      { additionalProperties: false },
    ),
    disk: Type.Object(
      {
        mounts: Type.Array(MountFacts, { maxItems: 200 }),
        logDirs: Type.Array(Type.Object({ path: Text(1024), bytes: Bytes, files: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { maxItems: 16 }),
        largestFiles: Type.Array(Type.Object({ path: Text(1024), bytes: Bytes }, { additionalProperties: false }), { maxItems: 50 }),
        outbox: Type.Object({ bytes: Bytes, batches: Opt(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    compatibility: Type.Object(
      {
        os: Type.Object({ platform: Text(32), release: Text(128), distro: Opt(Text(128)), arch: Text(32) }, { additionalProperties: false }),
        node: Text(32),
        agentVersion: Text(64),
      },
      { additionalProperties: false },
    ),
    /** Collectors that could not run, so a gap is visible rather than silently "pass". */
    errors: Type.Array(ProbeError, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type InspectFacts = Static<typeof InspectFacts>;
