/** Self-signed certificates for the https tests, made with the openssl command line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  /** PEM files, in a temp folder of their own. */
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  remove(): void;
}

/** A P-256 certificate for CN=localhost and IP 127.0.0.1, valid from now for `days` days. */
export function makeCert(days: number): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'ledwatch-netcheck-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(days)];
  args.push('-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile);
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl req failed (${String(run.status ?? run.error)}): ${run.stderr}`);
  }
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
