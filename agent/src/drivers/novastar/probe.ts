/**
 * The field check behind `ledwatch-agent scan`: is there a NovaStar controller on this
 * link, which one, and how many receiving cards on which ports? One connection, closed
 * again; "nothing answers" is a result (found: false, with the reason), bad options throw.
 */
import { Value } from 'typebox/value';
import { AgentError, errorMessage } from '../../errors.js';
import { silentLogger, type Logger } from '../../log.js';
import { schemaIssues } from '../../schema-issues.js';
import { createConnector, type ConnectorDeps } from './connect.js';
import { enumerateCards } from './enumerate.js';
import { identifyController, portsToScan } from './identify.js';
import { assertNovaStarOptions, NovaStarOptionsSchema, type NovaStarOptions } from './options.js';
import { CardRoster } from './roster.js';

export interface NovaStarProbeResult {
  readonly found: boolean;
  /** The link that answered, e.g. `serial /dev/ttyUSB0 @ 115200`. */
  readonly link?: string;
  readonly modelId?: number;
  readonly model?: string;
  readonly serial?: string;
  /** The sending card's FPGA version. */
  readonly firmware?: string;
  /** Ports with at least one receiving card. */
  readonly ports?: number;
  /** Receiving cards found on all ports. */
  readonly cards?: number;
  /** Cards per port, port 0 first (ports scanned, empty ones included). */
  readonly cardsPerPort?: readonly number[];
  /** Why nothing was found. */
  readonly error?: string;
}

export interface ProbeDeps {
  readonly log?: Logger;
  readonly signal?: AbortSignal;
  readonly transport?: ConnectorDeps['transport'];
}

/** Validates raw driver options (as in agent.yaml) and fills in the defaults. */
export function resolveNovaStarOptions(raw: unknown): NovaStarOptions {
  const options = Value.Default(NovaStarOptionsSchema, structuredClone(raw ?? {})) as unknown;
  const issues = schemaIssues(NovaStarOptionsSchema, options, 'options', 'see the options of the novastar driver');
  if (issues.length > 0) {
    throw new AgentError('novastar-options', issues.map((i) => `${i.key} ${i.message}`).join('; '), issues[0]?.fix ?? '');
  }
  const resolved = options as NovaStarOptions;
  assertNovaStarOptions(resolved);
  return resolved;
}

export async function probeNovaStar(raw: unknown, deps: ProbeDeps = {}): Promise<NovaStarProbeResult> {
  const options = resolveNovaStarOptions(raw);
  const log = deps.log ?? silentLogger();
  const signal = deps.signal ?? AbortSignal.timeout(60_000);
  const connect = createConnector(options, deps.transport === undefined ? { log } : { log, transport: deps.transport });
  let client;
  try {
    client = await connect(signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return { found: false, error: errorMessage(err) };
  }
  try {
    const identity = await identifyController(client, signal);
    const roster = new CardRoster();
    const scan = portsToScan(identity.modelId, options.ports);
    await enumerateCards(client, roster, { ports: scan, maxCardsPerPort: options.maxCardsPerPort, stopAfterMissing: options.stopAfterMissing }, signal);
    const seen = roster.slots().filter((s) => s.seen);
    const cardsPerPort = Array.from({ length: scan }, (_, port) => seen.filter((s) => s.port === port).length);
    return {
      found: true,
      link: client.transport.description,
      modelId: identity.modelId,
      model: identity.model ?? `0x${identity.modelId.toString(16).padStart(4, '0')}`,
      ...(identity.serial === undefined ? {} : { serial: identity.serial }),
      ...(identity.fpgaVersion === undefined ? {} : { firmware: identity.fpgaVersion }),
      ports: cardsPerPort.filter((n) => n > 0).length,
      cards: seen.length,
      cardsPerPort,
    };
  } catch (err) {
    if (signal.aborted) throw err;
    return { found: false, link: client.transport.description, error: errorMessage(err) };
  } finally {
    await client.close();
  }
}
