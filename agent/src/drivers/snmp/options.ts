/**
 * Options of the `snmp` driver. The schema says which keys a security level needs
 * (`if`/`then`), so a config with an authPriv user but no privKey fails at load time;
 * {@link checkSnmpOptions} says the same in words for callers that skip the schema.
 */
import { Type, type Static } from 'typebox';
import { AgentError } from '../../errors.js';

export const SNMP_PROFILES = ['ups-mib', 'if-mib'] as const;
export type SnmpProfileName = (typeof SNMP_PROFILES)[number];

const needs = (level: string, keys: string[]) => ({ if: { properties: { level: { const: level } }, required: ['level'] }, then: { required: keys } });

export const SnmpV3Schema = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 32, description: 'SNMPv3 user name (USM)' }),
    level: Type.Enum(['noAuthNoPriv', 'authNoPriv', 'authPriv'], { description: 'security level: authNoPriv needs authKey; authPriv needs authKey and privKey' }),
    authProtocol: Type.Enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'], { default: 'sha', description: 'authentication digest' }),
    authKey: Type.Optional(Type.String({ minLength: 8, description: 'authentication passphrase, at least 8 characters (never logged)' })),
    privProtocol: Type.Enum(['aes', 'des', 'aes256b', 'aes256r'], { default: 'aes', description: 'privacy cipher (des needs node --openssl-legacy-provider)' }),
    privKey: Type.Optional(Type.String({ minLength: 8, description: 'privacy passphrase, at least 8 characters (never logged)' })),
    context: Type.Optional(Type.String({ maxLength: 32, description: 'SNMPv3 context name; default none' })),
  },
  { additionalProperties: false, allOf: [needs('authNoPriv', ['authKey']), needs('authPriv', ['authKey', 'privKey'])] },
);
export type SnmpV3Options = Static<typeof SnmpV3Schema>;

export const SnmpOptionsSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'IP address or name of the SNMP agent' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 161, description: 'UDP port of the SNMP agent' }),
    version: Type.Enum(['2c', '3'], { default: '2c', description: 'SNMP version; 3 needs the v3 block' }),
    community: Type.String({ minLength: 1, default: 'public', description: 'v2c community (never logged); agents ignore a wrong one, so it shows as a timeout' }),
    v3: Type.Optional(SnmpV3Schema),
    profile: Type.Enum(SNMP_PROFILES, { description: 'what to read: ups-mib (RFC 1628 UPS) or if-mib (switch interfaces)' }),
    timeoutMs: Type.Integer({ minimum: 10, maximum: 60000, default: 2000, description: 'wait for each SNMP response, in ms' }),
    retries: Type.Integer({ minimum: 0, maximum: 10, default: 1, description: 'resends of an unanswered request' }),
    maxRepetitions: Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'rows per column asked in one GETBULK while walking tables' }),
    interfaces: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
        minItems: 1,
        description: 'if-mib: report only interfaces whose ifName, ifDescr or if<index> matches one of these (* and ? wildcards); default all',
      }),
    ),
  },
  { additionalProperties: false, if: { properties: { version: { const: '3' } }, required: ['version'] }, then: { required: ['v3'] } },
);
export type SnmpOptions = Static<typeof SnmpOptionsSchema>;

/** Throws `snmp-options` naming the missing key when the v3 block does not fit the version and level. */
export function checkSnmpOptions(options: SnmpOptions): SnmpOptions {
  const problem = (message: string, hint: string): never => {
    throw new AgentError('snmp-options', message, hint);
  };
  if (options.version !== '3') return options;
  const v3 = options.v3 ?? problem('version 3 needs options.v3', 'add v3: { user, level, authKey, privKey }');
  if (v3.level !== 'noAuthNoPriv' && v3.authKey === undefined) problem(`v3 level ${v3.level} needs v3.authKey`, 'set v3.authKey or lower the level');
  if (v3.level === 'authPriv' && v3.privKey === undefined) problem('v3 level authPriv needs v3.privKey', 'set v3.privKey or use level authNoPriv');
  return options;
}

/** A `*`/`?` wildcard pattern as a whole-string regular expression. */
export function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
