/**
 * `site.yaml` for `ledwatch-agent simulate`: which simulated equipment to run — NovaStar
 * controllers (TCP, or serial over a socat pty pair), Modbus PSUs and sensors, SNMP UPSes —
 * and, optionally, a rotating fault schedule. All simulators listen on loopback.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, resolveConfig } from '@ledwatch/protocols';
import { Type, type Static } from 'typebox';
import { parse as parseYaml } from 'yaml';

const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', description: 'device id the agent will use' });
const Port = Type.Integer({ minimum: 0, maximum: 65535, default: 0, description: 'loopback port to listen on (0 = any free port)' });

export const SiteConfigSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'address the simulators listen on (keep it loopback)' }),
    controllers: Type.Array(
      Type.Object(
        {
          id: DeviceId,
          transport: Type.Union([Type.Literal('tcp'), Type.Literal('serial')], { default: 'tcp', description: 'tcp, or serial over a socat pty pair' }),
          port: Port,
          ports: Type.Integer({ minimum: 1, maximum: 16, default: 2, description: 'sending-card output ports' }),
          cardsPerPort: Type.Integer({ minimum: 1, maximum: 256, default: 8, description: 'receiving cards on each port' }),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    modbus: Type.Array(
      Type.Object(
        {
          id: DeviceId,
          profile: Type.String({ minLength: 1, description: 'a shipped Modbus profile, e.g. led-psu-generic or xy-md02' }),
          port: Port,
          unitId: Type.Integer({ minimum: 1, maximum: 247, default: 1 }),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    ups: Type.Array(
      Type.Object({ id: DeviceId, port: Port, community: Type.String({ default: 'public' }) }, { additionalProperties: false }),
      { default: [] },
    ),
    faults: Type.Object(
      {
        rotate: Type.Boolean({ default: false, description: 'inject faults in turn and clear them later' }),
        firstAfterS: Type.Number({ minimum: 0, default: 60, description: 'seconds before the first fault' }),
        everyS: Type.Number({ exclusiveMinimum: 0, default: 180, description: 'seconds between two faults' }),
        holdS: Type.Number({ exclusiveMinimum: 0, default: 90, description: 'seconds a fault lasts before it is cleared' }),
      },
      { additionalProperties: false, default: {} },
    ),
    pollIntervalS: Type.Number({ minimum: 1, default: 10, description: 'poll interval written into the agent device list' }),
  },
  { additionalProperties: false },
);
export type SiteConfig = Static<typeof SiteConfigSchema>;

export function resolveSiteConfig(value: unknown, source = 'site config'): SiteConfig {
  return resolveConfig<SiteConfig>(SiteConfigSchema, value, { envPrefix: 'LEDWATCH_SITE', env: {}, source });
}

export function loadSiteConfig(file: string): SiteConfig {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(file, [{ key: '(file)', message: (err as Error).message, fix: 'pass --config with a readable YAML site file' }]);
  }
  return resolveSiteConfig(value, file);
}
