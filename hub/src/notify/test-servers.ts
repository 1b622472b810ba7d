/**
 * Real servers on loopback for notification tests: an SMTP server (the `smtp-server`
 * package) that captures every message, an HTTP webhook receiver that checks signatures
 * with verifyWebhookSignature, and a fake clock. Each `close()` frees its port.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from './signature.js';

export interface CapturedMail {
  from: string;
  to: string[];
  /** Header names lower-cased, folded lines joined. */
  headers: Record<string, string>;
  body: string;
}

export interface TestSmtpServer {
  port: number;
  mails: CapturedMail[];
  /** Logins the server saw (user names). */
  logins: string[];
  close(): Promise<void>;
}

function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

/** An SMTP server on 127.0.0.1 (no TLS); with `auth`, it accepts only that login; `port` to come back on the port of a stopped one. */
export async function startSmtpServer(opts: { auth?: { user: string; pass: string }; port?: number } = {}): Promise<TestSmtpServer> {
  const mails: CapturedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: opts.auth === undefined,
    logger: false,
    onAuth(auth, _session, cb) {
      const ok = opts.auth !== undefined && auth.username === opts.auth.user && auth.password === opts.auth.pass;
      if (ok && auth.username !== undefined) {
        logins.push(auth.username);
        cb(null, { user: auth.username });
      } else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const envelope = session.envelope;
        const from = envelope.mailFrom === false ? '' : envelope.mailFrom.address;
        mails.push({ from, to: envelope.rcptTo.map((r) => r.address), ...parseMail(Buffer.concat(chunks).toString('utf8')) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  /** verifyWebhookSignature said yes. */
  valid: boolean;
}

export interface TestHttpReceiver {
  url: string;
  received: ReceivedHook[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that records every request and answers with the next status
 * of `statuses` (the last one repeats; default 204).
 */
export async function startReceiver(opts: { secret?: string; statuses?: number[] } = {}): Promise<TestHttpReceiver> {
  const received: ReceivedHook[] = [];
  const statuses = [...(opts.statuses ?? [204])];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const h = (name: string) => req.headers[name] as string | undefined;
      const valid = opts.secret !== undefined && verifyWebhookSignature(opts.secret, h('x-ledwatch-timestamp'), body, h('x-ledwatch-signature'));
      received.push({ headers: req.headers, body, valid });
      res.statusCode = statuses.length > 1 ? (statuses.shift() ?? 204) : (statuses[0] ?? 204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${String(port)}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2025, 0, 6, 9, 0, 0)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Polls until `fn` returns a value other than undefined (at most `timeoutMs`). */
export async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${String(timeoutMs)} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
