/**
 * HTTP authentication of agents (artifact downloads, upgrade progress): HTTP Basic with
 * the agent id and the secret it uses as its MQTT password. Revoked agents are refused;
 * failures are rate-limited per agent id and per address like MQTT connects
 * (auth.mqttMaxFailures per auth.rateLimitWindowS).
 */
import { RateLimiter } from '../auth/rate-limit.js';
import { verifySecret } from '../auth/secrets.js';
import type { HubContext } from '../context.js';
import { HubError, unauthorized } from '../errors.js';

export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  if (header === undefined) return null;
  const m = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (m === null) return null;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 1 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The agent id of valid Basic credentials; throws 401 otherwise. */
export async function authenticateAgent(ctx: HubContext, header: string | undefined): Promise<string> {
  const creds = basicCredentials(header);
  if (creds === null) throw unauthorized('send the agent id and secret as HTTP Basic credentials');
  const row = await ctx.state.db.selectFrom('agents').select(['id', 'secret_hash', 'revoked_at']).where('id', '=', creds.user).executeTakeFirst();
  if (row === undefined || row.revoked_at !== null || !verifySecret(creds.password, row.secret_hash)) throw unauthorized('unknown agent, wrong secret or revoked agent');
  return row.id;
}

export class AgentAuthenticator {
  readonly #limiter: RateLimiter;

  constructor(private readonly ctx: HubContext) {
    this.#limiter = new RateLimiter({ max: ctx.config.auth.mqttMaxFailures, windowS: ctx.config.auth.rateLimitWindowS, now: () => ctx.now() });
  }

  async authenticate(header: string | undefined, ip: string): Promise<string> {
    const user = basicCredentials(header)?.user;
    const keys = [`ip:${ip}`, ...(user !== undefined ? [`agent:${user}`] : [])];
    const blocked = keys.map((k) => this.#limiter.peek(k)).filter((r) => !r.allowed);
    if (blocked.length > 0) {
      const retryAfterS = Math.max(...blocked.map((r) => r.retryAfterS));
      throw new HubError('rate-limited', `too many failed agent logins; retry in ${retryAfterS} s`, { retryAfterS });
    }
    try {
      return await authenticateAgent(this.ctx, header);
    } catch (err) {
      for (const k of keys) this.#limiter.hit(k);
      throw err;
    }
  }
}
