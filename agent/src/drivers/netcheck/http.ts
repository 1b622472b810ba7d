/**
 * HTTP(S) check: one request on a fresh connection, the status and the time to the
 * response headers; for https also the peer certificate. The TLS layer accepts any
 * certificate so its expiry can be read even when it is untrusted — whether it verified is
 * recorded and judged later (see assess.ts); the request carries no credentials.
 */
import http from 'node:http';
import https from 'node:https';
import { TLSSocket, rootCertificates } from 'node:tls';
import { certInfo } from './cert.js';
import { elapsedMs, errorCode, runCheck, type CheckResult } from './check.js';
import type { HttpTarget } from './targets.js';

const USER_AGENT = 'ledwatch-agent netcheck';

export function checkHttp(target: HttpTarget, signal: AbortSignal): Promise<CheckResult> {
  return runCheck(target.timeoutMs, signal, (done, partial) => {
    const started = performance.now();
    const secure = target.url.protocol === 'https:';
    const options: https.RequestOptions = { method: target.method, agent: false, headers: { 'user-agent': USER_AGENT } };
    if (secure) {
      options.rejectUnauthorized = false;
      // `ca` replaces the system CAs; trust both.
      if (target.ca !== undefined) options.ca = [...rootCertificates, target.ca];
    }
    const req = (secure ? https : http).request(target.url, options);
    req.on('socket', (socket) => {
      if (socket instanceof TLSSocket) {
        socket.once('secureConnect', () => {
          const cert = certInfo(socket);
          if (cert) partial.cert = cert;
        });
      }
    });
    req.once('response', (res) => {
      res.on('error', () => undefined); // destroyed below, before the body ends
      const result: CheckResult = { ...partial, reachable: true, latencyMs: elapsedMs(started), statusCode: res.statusCode ?? 0 };
      if (result.cert === undefined && res.socket instanceof TLSSocket) {
        const cert = certInfo(res.socket);
        if (cert) result.cert = cert;
      }
      done(result);
    });
    req.on('error', (err) => done({ ...partial, reachable: false, error: errorCode(err) }));
    req.end();
    return () => req.destroy();
  });
}
