/**
 * The composition root: builds the drivers from the config, the persisted seq, the durable
 * outbox, the MQTT link and the scheduler, and wires them together. `start()` never waits for the hub
 * (an agent must run offline); `stop()` flushes, says goodbye and closes everything.
 */
import { readFile } from 'node:fs/promises';
import { InventoryDevice as InventoryDeviceSchema, type InventoryDevice, type Reading } from '@ledwatch/protocols';
import { Compile } from 'typebox/compile';
import { raceAbort } from './abort.js';
import { pollTimeoutMs, type AgentConfig, type DeviceConfig } from './config.js';
import { builtinDrivers } from './drivers/builtin.js';
import type { DriverRegistry } from './drivers/registry.js';
import type { Driver } from './drivers/types.js';
import { AgentError, errorMessage } from './errors.js';
import { Link, type LinkStats } from './link.js';
import { silentLogger, type Logger } from './log.js';
import { Outbox } from './outbox/outbox.js';
import { Scheduler, type SchedulerStats } from './scheduler.js';
import type { ConfigOutcome, InspectHandler, UpgradeHandler } from './commands.js';
import { collectFacts } from './inspect/collect.js';
import { nodeInspectEnv, type InspectEnv } from './inspect/env.js';
import { loadRemoteConfig, saveRemoteConfig, validatePush } from './remote-config.js';
import { SeqState } from './state.js';
import { AGENT_VERSION } from './version.js';

export interface AgentOptions {
  config: AgentConfig;
  /** Driver kinds; the built-in drivers by default. */
  registry?: DriverRegistry;
  log?: Logger;
  now?: () => number;
  version?: string;
  /** Telemetry batch window (ms). */
  batchMs?: number;
  maxBatchReadings?: number;
  inventoryTimeoutMs?: number;
  /** How long stop() waits for stored telemetry to reach the broker. */
  stopDrainMs?: number;
  /** Random source of the reconnect jitter. */
  random?: () => number;
  /** Host access of the inspection collectors (tests plant problems here). */
  inspectEnv?: InspectEnv;
  /** Handles `upgrade` commands (see updater/); without it they are rejected as unsupported. */
  upgrade?: UpgradeHandler;
}

export interface AgentStats {
  scheduler: SchedulerStats;
  link: LinkStats;
}

interface DeviceRuntime {
  device: DeviceConfig;
  driver: Driver;
}

const checkInventoryDevice = Compile(InventoryDeviceSchema);

export class Agent {
  readonly #o: AgentOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #phase: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  #starting: Promise<void> | undefined;
  #devices: DeviceRuntime[] = [];
  #link: Link | undefined;
  #outbox: Outbox | undefined;
  #scheduler: Scheduler | undefined;
  readonly #sends = new Set<Promise<void>>();
  readonly #lastInventory = new Map<string, InventoryDevice[]>();
  /** Remote configuration version in force (0 = the config file's devices). */
  #configVersion = 0;
  #applying: Promise<unknown> = Promise.resolve();
  /** Latest own reading per device, for the inspection's configuration snapshot. */
  readonly #lastReadings = new Map<string, Reading>();

  constructor(opts: AgentOptions) {
    this.#o = opts;
    this.#log = opts.log ?? silentLogger();
    this.#now = opts.now ?? Date.now;
  }

  /** The MQTT link, once started (for status and tests). */
  get link(): Link | undefined {
    return this.#link;
  }

  stats(): AgentStats | undefined {
    if (!this.#link || !this.#scheduler) return undefined;
    return { scheduler: this.#scheduler.stats(), link: this.#link.stats() };
  }

  start(): Promise<void> {
    if (this.#phase !== 'new') {
      return Promise.reject(new AgentError('agent-state', `cannot start an agent that is ${this.#phase}`, 'create a new Agent'));
    }
    this.#phase = 'starting';
    this.#starting = this.#start().catch((err: unknown) => {
      this.#phase = 'stopped';
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const { config } = this.#o;
    const startedAt = this.#now();
    const seq = await SeqState.open({ dataDir: config.dataDir, log: this.#log.child({ module: 'state' }) });
    const ca = config.hub.ca === undefined ? undefined : await readFile(config.hub.ca);
    const remote = await loadRemoteConfig(config.dataDir, config, this.#o.registry, this.#log.child({ module: 'config' }));
    if (remote !== undefined) this.#configVersion = remote.version;
    const outbox = await Outbox.open({
      dataDir: config.dataDir,
      seq,
      maxAgeMs: config.outbox.maxAgeH * 3_600_000,
      maxBytes: Math.round(config.outbox.maxMB * 1_048_576),
      log: this.#log.child({ module: 'outbox' }),
      now: this.#now,
    });
    this.#outbox = outbox;
    this.#devices = this.#createDrivers(remote?.devices ?? config.devices);
    const link = new Link({
      agentId: config.agentId,
      secret: config.secret,
      url: config.hub.url,
      ca,
      rejectUnauthorized: config.hub.rejectUnauthorized,
      keepaliveS: config.hub.keepaliveS,
      reconnectMinMs: config.hub.reconnectMinMs,
      reconnectMaxMs: config.hub.reconnectMaxMs,
      version: this.#o.version ?? AGENT_VERSION,
      startedAt,
      inventory: () => this.#inventory(),
      applyConfig: (params) => this.#queueApply(params),
      inspect: this.#inspectHandler(ca),
      ...(this.#o.upgrade ? { upgrade: this.#o.upgrade } : {}),
      configVersion: () => this.#configVersion,
      outbox,
      replayRatePerS: config.outbox.replayRatePerS,
      maxInFlight: config.outbox.maxInFlight,
      ackTimeoutMs: config.outbox.ackTimeoutS * 1000,
      log: this.#log.child({ module: 'link' }),
      now: this.#now,
      ...(this.#o.random && { random: this.#o.random }),
    });
    const scheduler = this.#newScheduler();
    this.#link = link;
    this.#scheduler = scheduler;
    link.start();
    scheduler.start();
    this.#phase = 'running';
    this.#log.info({ agentId: config.agentId, devices: this.#devices.map((d) => d.device.id), configVersion: this.#configVersion, dataDir: config.dataDir }, 'agent started');
  }

  #newScheduler(): Scheduler {
    return new Scheduler({
      devices: this.#devices.map(({ device, driver }) => ({
        id: device.id,
        driver,
        intervalMs: device.pollIntervalS * 1000,
        timeoutMs: pollTimeoutMs(device),
      })),
      onBatch: (readings) => this.#send(readings),
      log: this.#log.child({ module: 'scheduler' }),
      now: this.#now,
      ...(this.#o.batchMs !== undefined && { batchMs: this.#o.batchMs }),
      ...(this.#o.maxBatchReadings !== undefined && { maxBatchReadings: this.#o.maxBatchReadings }),
    });
  }

  #inspectHandler(ca: Buffer | undefined): InspectHandler {
    return async (params) =>
      collectFacts(
        params,
        {
          devices: this.#devices.map((d) => d.device),
          configVersion: this.#configVersion,
          inventory: [...this.#lastInventory.values()].flat(),
          readings: this.#lastReadings,
          agentVersion: this.#o.version ?? AGENT_VERSION,
          dataDir: this.#o.config.dataDir,
          hubUrl: this.#o.config.hub.url,
          hubCa: ca,
          ...(this.#link ? { outboxBatches: this.#link.stats().queued } : {}),
        },
        this.#o.inspectEnv ?? nodeInspectEnv(),
      );
  }

  /** Pushed configs are applied one at a time, in the order they arrive. */
  #queueApply(params: Record<string, unknown> | undefined): Promise<ConfigOutcome> {
    const next = this.#applying.then(() => this.#applyConfig(params));
    this.#applying = next.catch(() => undefined);
    return next;
  }

  /**
   * Applies a pushed configuration without a restart: unchanged devices keep their
   * drivers, removed or changed ones are closed, new ones created; then the new
   * inventory is published. A refused config leaves everything as it was.
   */
  async #applyConfig(params: Record<string, unknown> | undefined): Promise<ConfigOutcome> {
    const checked = validatePush(params, this.#o.config, this.#o.registry);
    if (!checked.ok) {
      this.#log.warn({ issues: checked.issues }, 'pushed config refused');
      return checked;
    }
    if (checked.version < this.#configVersion) {
      const message = `config v${checked.version} is older than v${this.#configVersion} in force`;
      return { ok: false, code: 'config-stale', message, issues: [message] };
    }
    if (this.#phase !== 'running') throw new AgentError('agent-state', 'the agent is not running', 'retry after start');
    const keep = new Map(this.#devices.map((r) => [JSON.stringify(r.device), r]));
    const next: DeviceRuntime[] = [];
    const fresh: DeviceConfig[] = [];
    for (const device of checked.devices) {
      const same = keep.get(JSON.stringify(device));
      if (same) {
        keep.delete(JSON.stringify(device));
        next.push(same);
      } else fresh.push(device);
    }
    await this.#scheduler?.stop();
    await Promise.all([...keep.values()].map((r) => this.#closeDriver(r)));
    for (const r of keep.values()) this.#lastInventory.delete(r.device.id);
    next.push(...this.#createDrivers(fresh));
    const order = new Map(checked.devices.map((d, i) => [d.id, i]));
    this.#devices = next.sort((a, b) => (order.get(a.device.id) ?? 0) - (order.get(b.device.id) ?? 0));
    this.#configVersion = checked.version;
    await saveRemoteConfig(this.#o.config.dataDir, { version: checked.version, devices: checked.devices });
    this.#scheduler = this.#newScheduler();
    this.#scheduler.start();
    this.#log.info({ version: checked.version, devices: checked.devices.map((d) => d.id) }, 'pushed config applied');
    await this.#link?.rebirth().catch((err: unknown) => this.#log.warn({ err: errorMessage(err) }, 'rebirth after config failed'));
    return { ok: true, version: checked.version, devices: checked.devices.length };
  }

  async #closeDriver({ device, driver }: DeviceRuntime): Promise<void> {
    try {
      await raceAbort(driver.close(), AbortSignal.timeout(5000));
    } catch (err) {
      this.#log.warn({ device: device.id, err: errorMessage(err) }, 'driver did not close cleanly');
    }
  }

  /** Stops polling, flushes telemetry, publishes offline/shutdown and closes the drivers. */
  async stop(): Promise<void> {
    if (this.#phase === 'starting') await this.#starting?.catch(() => undefined);
    if (this.#phase !== 'running') {
      this.#phase = 'stopped';
      return;
    }
    await this.#applying; // a config being applied finishes first, so its scheduler is the one stopped
    this.#phase = 'stopped';
    await this.#scheduler?.stop();
    await Promise.all([...this.#sends]);
    await this.#link?.stop(this.#o.stopDrainMs === undefined ? {} : { drainMs: this.#o.stopDrainMs });
    await this.#outbox?.close();
    await Promise.all(this.#devices.map((r) => this.#closeDriver(r)));
    this.#log.info('agent stopped');
  }

  #createDrivers(devices: readonly DeviceConfig[]): DeviceRuntime[] {
    const registry = this.#o.registry ?? builtinDrivers();
    return devices.map((device) => {
      const log = this.#log.child({ module: 'driver', device: device.id, kind: device.kind });
      try {
        const factory = registry.get(device.kind);
        return { device, driver: factory.create({ device, options: device.options ?? {}, log, now: this.#now }) };
      } catch (err) {
        // A device that cannot even be set up is reported unreachable, not fatal.
        log.error({ err: errorMessage(err) }, 'driver could not be created');
        return { device, driver: failingDriver(device, err) };
      }
    });
  }

  #send(readings: Reading[]): void {
    for (const r of readings) if (r.component === undefined || r.component === '') this.#lastReadings.set(r.device, r);
    const link = this.#link;
    if (!link) return;
    const p = link
      .sendTelemetry(readings)
      .then(
        () => undefined,
        (err: unknown) => this.#log.error({ err: errorMessage(err), code: (err as { code?: unknown }).code, readings: readings.length }, 'telemetry batch lost'),
      )
      .finally(() => this.#sends.delete(p));
    this.#sends.add(p);
  }

  async #inventory(): Promise<InventoryDevice[]> {
    const timeoutMs = this.#o.inventoryTimeoutMs ?? 5000;
    const lists = await Promise.all(
      this.#devices.map(async ({ device, driver }) => {
        try {
          const list = (await raceAbort(driver.inventory(), AbortSignal.timeout(timeoutMs))).filter((d) => {
            if (checkInventoryDevice.Check(d)) return true;
            this.#log.warn({ device: device.id }, 'driver produced an invalid inventory entry; dropped');
            return false;
          });
          this.#lastInventory.set(device.id, list);
          return list;
        } catch (err) {
          this.#log.warn({ device: device.id, err: errorMessage(err) }, 'inventory failed; using the last known one');
          return this.#lastInventory.get(device.id) ?? [placeholder(device)];
        }
      }),
    );
    return lists.flat();
  }
}

function placeholder(device: DeviceConfig): InventoryDevice {
  const entry: InventoryDevice = { id: device.id, kind: device.kind.slice(0, 64), capabilities: [] };
  if (device.name !== undefined) entry.name = device.name;
  return entry;
}

function failingDriver(device: DeviceConfig, cause: unknown): Driver {
  return {
    inventory: () => Promise.resolve([placeholder(device)]),
    poll: () => Promise.reject(cause instanceof Error ? cause : new Error(String(cause))),
    close: () => Promise.resolve(),
  };
}
