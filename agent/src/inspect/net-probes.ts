/**
 * Reachability probes of the targets the site's config names (never guessed): a TCP
 * connect (a refusal still proves the host answers), an SNTP query, a DNS query over UDP,
 * and the certificate a TLS server presents.
 */
import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { sntpAnswer, sntpRequest, type SntpAnswer } from './sntp.js';

export interface ProbeOutcome {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

export interface NetProbes {
  tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome>;
  sntp(host: string, port: number, timeoutMs: number): Promise<SntpAnswer & { latencyMs: number }>;
  dns(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome>;
  tlsCertificate(host: string, port: number, timeoutMs: number, ca?: Buffer): Promise<{ notAfter: number; subject?: string } | undefined>;
}

export const nodeNetProbes: NetProbes = {
  tcp(host, port, timeoutMs) {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = new Socket();
      const done = (outcome: ProbeOutcome): void => {
        socket.destroy();
        resolve(outcome);
      };
      socket.setTimeout(timeoutMs, () => done({ ok: false, error: `no answer within ${timeoutMs} ms` }));
      socket.once('connect', () => done({ ok: true, latencyMs: performance.now() - started }));
      socket.once('error', (err: NodeJS.ErrnoException) =>
        done(err.code === 'ECONNREFUSED' ? { ok: true, latencyMs: performance.now() - started } : { ok: false, error: err.code ?? err.message }),
      );
      socket.connect(port, host);
    });
  },

  sntp(host, port, timeoutMs) {
    return udpExchange(host, port, timeoutMs, (t1) => sntpRequest(t1), (msg, t1, t4) => ({ ...sntpAnswer(msg, t1, t4), latencyMs: t4 - t1 }));
  },

  async dns(host, port, timeoutMs) {
    // A query for the root's NS records: any answer (even a refusal) proves the server is up.
    const id = Math.floor(Math.random() * 0xffff);
    const query = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00, 0x01]);
    try {
      const latencyMs = await udpExchange(host, port, timeoutMs, () => query, (msg, t1, t4) => {
        if (msg.length < 12 || msg.readUInt16BE(0) !== id) throw new Error('answer to another query');
        return t4 - t1;
      });
      return { ok: true, latencyMs };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  },

  tlsCertificate(host, port, timeoutMs, ca) {
    return new Promise((resolve) => {
      const socket = tlsConnect({ host, port, rejectUnauthorized: false, ...(ca ? { ca } : {}), ...(isIP(host) ? {} : { servername: host }) });
      const finish = (v: { notAfter: number; subject?: string } | undefined): void => {
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(timeoutMs, () => finish(undefined));
      socket.once('error', () => finish(undefined));
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        if (cert.valid_to === undefined) return finish(undefined);
        const subject = typeof cert.subject?.CN === 'string' ? `CN=${cert.subject.CN}` : undefined;
        finish({ notAfter: Date.parse(cert.valid_to), ...(subject ? { subject } : {}) });
      });
    });
  },
};

function udpExchange<T>(host: string, port: number, timeoutMs: number, request: (sentAt: number) => Buffer, onAnswer: (msg: Buffer, t1: number, t4: number) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    let t1 = 0;
    const finish = (err: Error | undefined, value?: T): void => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(value as T);
    };
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg) => {
      try {
        finish(undefined, onAnswer(msg, t1, Date.now()));
      } catch (err) {
        finish(err as Error);
      }
    });
    t1 = Date.now();
    socket.send(request(t1), port, host, (err) => {
      if (err) finish(err);
    });
  });
}
