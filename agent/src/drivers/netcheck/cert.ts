/** The facts about a TLS peer certificate that a check reports. */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { CertInfo } from './check.js';

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function subjectName(peer: PeerCertificate): string {
  // The typings say string; a certificate with a repeated attribute gives an array.
  const subject = peer.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const cn = first(subject?.CN);
  if (cn !== undefined && cn !== '') return cn;
  const whole = Object.entries(subject ?? {})
    .map(([k, v]) => `${k}=${String(first(v))}`)
    .join(', ');
  return whole !== '' ? whole : (peer.subjectaltname ?? '');
}

/** The peer certificate of a connected TLS socket, or undefined when there is none. */
export function certInfo(socket: TLSSocket): CertInfo | undefined {
  const peer = socket.getPeerCertificate();
  if (Object.keys(peer).length === 0) return undefined;
  const expiresAt = Date.parse(peer.valid_to);
  if (Number.isNaN(expiresAt)) return undefined;
  const info: CertInfo = { expiresAt, subject: subjectName(peer).slice(0, 256), trusted: socket.authorized };
  const why: unknown = socket.authorizationError;
  if (!socket.authorized && why !== undefined && why !== null) info.trustError = String(why).slice(0, 256);
  return info;
}
