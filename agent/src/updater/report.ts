/**
 * Upgrade progress to the hub: `cmd-result` payloads posted over HTTP(S) with the agent's
 * Basic credentials — the agent mid-upgrade and its supervisor have no MQTT session of
 * their own. A failed post is retried a few times, then logged; the outcome also stays on
 * disk (pending.json) until the supervisor has decided.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { encodePayload, type CmdResultPayload } from '@ledwatch/protocols';

export interface Credentials {
  agentId: string;
  secret: string;
  ca?: Buffer | undefined;
  rejectUnauthorized?: boolean;
}

export function basicAuth(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.agentId}:${c.secret}`).toString('base64')}`;
}

export async function postResult(url: string, creds: Credentials, result: CmdResultPayload, attempts = 5): Promise<void> {
  const body = encodePayload('cmd-result', result);
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await once(url, creds, body);
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

function once(url: string, creds: Credentials, body: Buffer): Promise<void> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: 'POST',
        headers: { authorization: basicAuth(creds), 'content-type': 'application/json', 'content-length': body.length },
        timeout: 10_000,
        ...(creds.ca ? { ca: creds.ca } : {}),
        ...(creds.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`hub answered ${res.statusCode ?? 0} to the progress report`))));
      },
    );
    req.on('timeout', () => req.destroy(new Error('progress report timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
