/**
 * SNTP (RFC 4330) packets: a client request and the offset/delay computed from the
 * server's answer. Pure; the socket lives in net-probes.ts.
 */

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

export function toNtp(ms: number, buf: Buffer, at: number): void {
  const s = Math.floor(ms / 1000) + NTP_UNIX_OFFSET_S;
  const frac = Math.floor(((ms % 1000) / 1000) * 0x1_0000_0000);
  buf.writeUInt32BE(s >>> 0, at);
  buf.writeUInt32BE(frac >>> 0, at + 4);
}

export function fromNtp(buf: Buffer, at: number): number {
  const s = buf.readUInt32BE(at);
  const frac = buf.readUInt32BE(at + 4);
  return (s - NTP_UNIX_OFFSET_S) * 1000 + (frac / 0x1_0000_0000) * 1000;
}

/** A client request: LI 0, version 4, mode 3 (client), transmit time = now. */
export function sntpRequest(nowMs: number): Buffer {
  const buf = Buffer.alloc(48);
  buf[0] = (0 << 6) | (4 << 3) | 3;
  toNtp(nowMs, buf, 40);
  return buf;
}

export interface SntpAnswer {
  /** Server clock minus local clock, ms. */
  offsetMs: number;
  /** Round trip minus the server's processing time, ms. */
  delayMs: number;
  stratum: number;
}

/** Offset and delay from an answer (t1 sent, t4 received on the local clock). */
export function sntpAnswer(packet: Buffer, t1: number, t4: number): SntpAnswer {
  if (packet.length < 48) throw new Error(`SNTP answer is ${packet.length} bytes, expected 48`);
  const mode = packet[0]! & 0x07;
  if (mode !== 4 && mode !== 5) throw new Error(`SNTP answer has mode ${mode}, expected 4 (server)`);
  const stratum = packet[1]!;
  if (stratum === 0) throw new Error('SNTP kiss-of-death (stratum 0): the server refuses to answer');
  const t2 = fromNtp(packet, 32);
  const t3 = fromNtp(packet, 40);
  return { offsetMs: (t2 - t1 + (t3 - t4)) / 2, delayMs: t4 - t1 - (t3 - t2), stratum };
}

/** The server side, for responders: answers a request with `serverNow` as its clock. */
export function sntpReply(request: Buffer, serverNowMs: number): Buffer {
  const out = Buffer.alloc(48);
  out[0] = (0 << 6) | (4 << 3) | 4;
  out[1] = 2; // stratum 2
  out[2] = request[2] ?? 6;
  out[3] = 0xec; // precision
  request.copy(out, 24, 40, 48); // originate = client's transmit
  toNtp(serverNowMs, out, 16); // reference
  toNtp(serverNowMs, out, 32); // receive
  toNtp(serverNowMs, out, 40); // transmit
  return out;
}
