/**
 * Email through an SMTP server (nodemailer's SMTP transport, one session per message).
 * Failures become DeliveryErrors: connection, TLS and login trouble is `smtp-unavailable`
 * (counts towards "mail failing"); a refused recipient or message is `smtp-rejected`,
 * retried only for a temporary (4xx) reply. The password is never logged.
 */
import { createTransport } from 'nodemailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type { HubConfig } from '../config.js';
import { DeliveryError } from './errors.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers, e.g. X-Ledwatch-Event. */
  headers?: Record<string, string>;
  /** Message-IDs this mail follows up (threads the mails of one key together). */
  references?: string | undefined;
}

/** Sends one mail; the seam tests and other transports plug into. */
export interface EmailSender {
  /** False when smtp.host is not set: every send fails with `not-configured`. */
  readonly configured: boolean;
  send(msg: EmailMessage): Promise<{ messageId: string }>;
  /** Connects (and logs in) without sending: the self-check while mail is failing. Absent = not checked. */
  verify?(): Promise<void>;
  close(): void;
}

/** Nodemailer codes that mean the server (not the message) is the problem. */
const UNAVAILABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'EAUTH', 'ENOAUTH', 'EPROXY']);
/** Of those, the ones a later attempt may get past. */
const TRANSIENT = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'EPROXY']);

export function classifySmtpError(err: unknown): DeliveryError {
  const e = err as Partial<NodemailerError>;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = err instanceof Error ? err.message : String(err);
  if (typeof e.responseCode === 'number' && !UNAVAILABLE.has(code)) {
    return new DeliveryError('smtp-rejected', message, { retryable: e.permanent !== true, status: e.responseCode, cause: err });
  }
  return new DeliveryError('smtp-unavailable', message, { retryable: TRANSIENT.has(code) || code === '', status: e.responseCode, cause: err });
}

export class SmtpEmailSender implements EmailSender {
  readonly configured: boolean;
  readonly #cfg: HubConfig['smtp'];
  #transport: ReturnType<typeof createTransport> | undefined;

  constructor(cfg: HubConfig['smtp']) {
    this.#cfg = cfg;
    this.configured = cfg.host !== undefined && cfg.from !== undefined;
  }

  #transporter(): ReturnType<typeof createTransport> {
    const c = this.#cfg;
    this.#transport ??= createTransport({
      host: c.host,
      port: c.port,
      secure: c.secure,
      requireTLS: c.requireTls,
      ...(c.user !== undefined ? { auth: { user: c.user, pass: c.password ?? '' } } : {}),
      connectionTimeout: c.timeoutMs,
      greetingTimeout: c.timeoutMs,
      socketTimeout: c.timeoutMs,
      logger: false,
      debug: false,
    });
    return this.#transport;
  }

  async send(msg: EmailMessage): Promise<{ messageId: string }> {
    if (!this.configured) throw new DeliveryError('not-configured', 'smtp.host (and smtp.from) are not set', { retryable: false });
    try {
      const info = await this.#transporter().sendMail({
        from: this.#cfg.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html !== undefined ? { html: msg.html } : {}),
        ...(msg.headers !== undefined ? { headers: msg.headers } : {}),
        ...(msg.references !== undefined ? { references: msg.references, inReplyTo: msg.references } : {}),
      });
      return { messageId: String(info.messageId) };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  async verify(): Promise<void> {
    if (!this.configured) throw new DeliveryError('not-configured', 'smtp.host (and smtp.from) are not set', { retryable: false });
    try {
      await this.#transporter().verify();
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  close(): void {
    this.#transport?.close();
    this.#transport = undefined;
  }
}
