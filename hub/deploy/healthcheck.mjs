#!/usr/bin/env node
/**
 * Container health check of the hub: GET /api/health on its own HTTP port, HTTPS when
 * LEDWATCH_TLS_CERT is set. Exit 0 when it answers 200, else 1 with one line on stderr.
 * It reads the same environment as the hub (LEDWATCH_HTTP_PORT or PORT, default 8080);
 * LEDWATCH_HEALTHCHECK_URL overrides the URL (e.g. when the port is set in hub.yaml).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const env = process.env;
const port = env.LEDWATCH_HTTP_PORT ?? env.PORT ?? '8080';
const url = new URL(env.LEDWATCH_HEALTHCHECK_URL ?? `${env.LEDWATCH_TLS_CERT ? 'https' : 'http'}://127.0.0.1:${port}/api/health`);
const request = url.protocol === 'https:' ? httpsRequest : httpRequest;

function fail(message) {
  process.stderr.write(`ledwatch hub health check: ${url.href}: ${message}\n`);
  process.exit(1);
}

// The certificate names the public host, not 127.0.0.1: this only checks liveness of the
// process next to it, so it does not verify the certificate.
const req = request(url, { method: 'GET', timeout: 4000, rejectUnauthorized: false }, (res) => {
  res.resume();
  if (res.statusCode === 200) process.exit(0);
  fail(`answered ${res.statusCode}`);
});
req.on('timeout', () => req.destroy(new Error('no answer within 4 s')));
req.on('error', (err) => fail(err.message));
req.end();
