// The load of bench/ingest, in a process of its own (forked by run.mjs with an IPC channel;
// its config is a JSON file named on the command line): N mqtt.js connections, one per
// agent, TCP_NODELAY on each, publishing contract telemetry batches (QoS 1) to
// `ledwatch/v1/{agentId}/telemetry`: R readings (devices card-000 …) of 6 numeric metrics,
// `at` = the time the batch is made (the measurement time; kept strictly rising per agent so
// no two points of a series share a timestamp). Payloads depend only on the seed, the batch
// size, the seq and `at`, so every pipeline gets the same bytes.
//
//   burst: every agent sends `batches` batches as fast as its window allows (at most
//          `window` unacknowledged: by the hub's `ack` when `hub`, else by PUBACK).
//   fleet: every agent sends one batch every `intervalMs`, first sends spread evenly over the
//          first interval: a warm-up until run.mjs sends `mark`, then durationMs more (or
//          durationMs in all if no mark comes before).
//
// When `hub` is set each agent behaves like a real one: status (online) and inventory on
// connect, subscribes to its `ack` and `cmd/+`, and the time from publish to the hub's ack
// (sent only once InfluxDB has the batch) is measured.
//
// Connections are opened at `connectRate` per second; a failed attempt is retried after
// 2–10 s until `connectDeadlineMs` (like agents, which retry with backoff).
//
// IPC: → {type:'connected', connected, failed, attempts, ms, errors}  ← {type:'go'}
//      → {type:'started', t0}  ← {type:'mark'} (fleet: warm-up over)  → {type:'sent', ...}
//      → {type:'done', ...}  ← {type:'report'} → {type:'report', ...}  ← {type:'stop'}
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { url, agents, mode, batch: R, hub = false, seed = 1 } = cfg;
const window = cfg.window ?? 20;
const connectRate = cfg.connectRate ?? 2000;
const send = (m) => process.send?.(m);
const SESSION = `bench-${seed}`;

// ------------------------------------------------------------ payloads
function prng(s) {
  let x = s >>> 0 || 1;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
}
const VARIANTS = 16;
const rnd = prng(seed);
const round = (v, d) => Math.round(v * 10 ** d) / 10 ** d;
const devices = Array.from({ length: R }, (_, i) => `card-${String(i).padStart(3, '0')}`);
/** Per variant: the payload text after `{"seq":<seq>`, split where `at` goes. */
const templates = Array.from({ length: VARIANTS }, () => {
  const readings = devices.map((d) => {
    const metrics = {
      voltage: round(4.9 + rnd() * 0.2, 3),
      current: round(0.8 + rnd() * 0.6, 3),
      temp: round(30 + rnd() * 20, 1),
      brightness: Math.round(60 + rnd() * 40),
      power: round(4 + rnd() * 3, 2),
      fps: 60,
    };
    return `{"device":"${d}","at":@,"metrics":${JSON.stringify(metrics)}}`;
  });
  return `,"sessionId":"${SESSION}","sentAt":@,"readings":[${readings.join(',')}]}`.split('@');
});
const payload = (seq, at) => `{"seq":${seq}${templates[seq % VARIANTS].join(String(at))}`;

// ------------------------------------------------------------ connections
const conns = agents.map((a) => ({ id: a.id, secret: a.secret, client: undefined, seq: 0, lastAt: 0, inflight: 0, sent: 0, pending: [] }));
let connected = 0;
let failed = 0;
let attempts = 0;
const errors = new Map();
let produced = 0;
let batchesSent = 0;
let acked = 0;
const ackLat = [];
let tFirst = 0;
let tLastSend = 0;
let onRelease = () => undefined;
let markT = 0; // batches sent before this are not in the ack latencies (fleet warm-up)
let markProduced = 0;
let stopAt = Infinity; // fleet: no send is scheduled at or after this
let onMark = () => undefined;

function birth(c) {
  const now = Date.now();
  const status = { state: 'online', version: 'bench', sessionId: SESSION, startedAt: now, at: now, hostname: 'bench-load', platform: 'linux' };
  const inventory = { sessionId: SESSION, at: now, devices: devices.map((id) => ({ id, kind: 'novastar-card', capabilities: [] })) };
  c.client.publish(`ledwatch/v1/${c.id}/status`, JSON.stringify(status), { qos: 1, retain: true });
  c.client.publish(`ledwatch/v1/${c.id}/inventory`, JSON.stringify(inventory), { qos: 1, retain: true });
}

/** One connection attempt: resolves true once connected (and, for the hub, born and subscribed). */
function attempt(c) {
  return new Promise((resolve) => {
    let done = false;
    const client = mqtt.connect(url, {
      clientId: c.id,
      ...(c.secret !== undefined ? { username: c.id, password: c.secret } : {}),
      clean: true,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      protocolVersion: 4,
    });
    const settle = (ok, why) => {
      if (done) return;
      done = true;
      if (!ok) {
        errors.set(why, (errors.get(why) ?? 0) + 1);
        client.end(true);
      }
      resolve(ok);
    };
    c.client = client;
    client.on('error', (err) => settle(false, err.message));
    client.on('close', () => settle(false, 'closed before CONNACK'));
    client.on('connect', () => {
      client.stream.setNoDelay?.(true);
      if (!hub) return settle(true);
      client.on('message', (topic, msg) => {
        if (!topic.endsWith('/ack')) return;
        const { seq } = JSON.parse(msg);
        const now = Date.now();
        let n = 0;
        while (c.pending.length > 0 && c.pending[0][0] <= seq) {
          const sentAt = c.pending.shift()[1];
          if (sentAt >= markT) ackLat.push(now - sentAt);
          n++;
        }
        acked += n;
        c.inflight -= n;
        if (n > 0) onRelease(c);
      });
      birth(c);
      client.subscribe([`ledwatch/v1/${c.id}/ack`, `ledwatch/v1/${c.id}/cmd/+`], { qos: 1 }, (err) => settle(!err, err?.message));
    });
  });
}

/** Connects like an agent does: a failed attempt is retried after 2–10 s, until the deadline. */
async function open(c, deadline) {
  for (;;) {
    attempts++;
    if (await attempt(c)) {
      connected++;
      return;
    }
    if (Date.now() + 2000 > deadline) {
      failed++;
      return;
    }
    await new Promise((r) => setTimeout(r, 2000 + Math.random() * 8000));
  }
}

function publish(c) {
  const now = Date.now();
  const at = Math.max(now, c.lastAt + 1);
  c.lastAt = at;
  const seq = ++c.seq;
  if (tFirst === 0) tFirst = now;
  c.inflight++;
  c.sent++;
  batchesSent++;
  produced += R;
  if (hub) c.pending.push([seq, now]);
  c.client.publish(`ledwatch/v1/${c.id}/telemetry`, payload(seq, at), { qos: 1 }, (err) => {
    if (err) errors.set(`publish: ${err.message}`, (errors.get(`publish: ${err.message}`) ?? 0) + 1);
    if (hub) return;
    acked++;
    c.inflight--;
    onRelease(c);
  });
  tLastSend = now;
}

const t0 = Date.now();
{
  const deadline = t0 + (cfg.connectDeadlineMs ?? 300_000);
  const perTick = Math.max(1, Math.round(connectRate / 100));
  const opening = [];
  for (let i = 0; i < conns.length; i += perTick) {
    for (const c of conns.slice(i, i + perTick)) opening.push(open(c, deadline));
    if (i + perTick < conns.length) await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(opening);
}
send({ type: 'connected', connected, failed, attempts, ms: Date.now() - t0, errors: Object.fromEntries(errors) });
const live = conns.filter((c) => c.client?.connected);

function summary() {
  const lat = ackLat.slice().sort((a, b) => a - b);
  const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] : null);
  return { produced, producedSinceMark: produced - markProduced, batches: batchesSent, acked, tFirst, tLastSend, ack: { n: lat.length, p50: pct(50), p99: pct(99), max: lat.at(-1) ?? null }, errors: Object.fromEntries(errors) };
}

process.on('message', async (m) => {
  if (m.type === 'mark') {
    markT = Date.now();
    markProduced = produced;
    onMark();
    return;
  }
  if (m.type === 'report') {
    send({ type: 'report', ...summary() });
    return;
  }
  if (m.type === 'stop') {
    for (const c of conns) c.client?.end(true);
    setTimeout(() => process.exit(0), 200);
    return;
  }
  if (m.type !== 'go') return;
  send({ type: 'started', t0: Date.now() });
  if (mode === 'burst') {
    const B = cfg.batches;
    let finished = 0;
    const pump = (c) => {
      while (c.inflight < window && c.sent < B) publish(c);
      if (c.sent === B && !c.sentDone) {
        c.sentDone = true;
        if (++finished === live.length) send({ type: 'sent', ...summary() });
      }
      if (c.sent === B && c.inflight === 0 && !c.allDone) {
        c.allDone = true;
        if (live.every((x) => x.allDone)) send({ type: 'done', ...summary() });
      }
    };
    onRelease = pump;
    for (const c of live) pump(c);
  } else {
    const { intervalMs, durationMs } = cfg;
    const start = Date.now();
    // Sends scheduled before this time happen; the mark moves it to mark + durationMs.
    stopAt = start + (cfg.warmupMaxMs ?? 0) + durationMs;
    onMark = () => (stopAt = markT + durationMs);
    let active = live.length;
    live.forEach((c, i) => {
      const phase = (i / live.length) * intervalMs;
      const tick = () => {
        publish(c);
        const next = start + c.sent * intervalMs + phase;
        if (next < stopAt) {
          setTimeout(tick, next - Date.now());
          return;
        }
        if (--active > 0) return;
        send({ type: 'sent', ...summary() });
        const wait = setInterval(() => {
          if (acked >= batchesSent || !hub) {
            clearInterval(wait);
            send({ type: 'done', ...summary() });
          }
        }, 100);
      };
      setTimeout(tick, phase);
    });
  }
});
