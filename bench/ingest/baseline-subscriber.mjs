// The floor of this design: an mqtt.js subscriber (QoS 1, ledwatch/v1/+/telemetry) mapping
// contract telemetry readings to line protocol and POSTing them to InfluxDB's /write in
// batches (every 100 ms or 5000 lines) over one keep-alive socket. No validation, no state,
// no acks. Adapted from ../shared/reference/bench/baseline-subscriber.mjs; unlike it, a
// request carries at most 5000 lines even after a backlog (a 25 MB body is refused).
//   node baseline-subscriber.mjs <mqttUrl> <db>     (INFLUX_PORT env, default 8086)
import http from 'node:http';
import mqtt from 'mqtt';

const [url = 'mqtt://127.0.0.1:1883', db = 'bench'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const MAX = 5000; let buf = []; let busy = false; let written = 0; let failed = 0;
const esc = (s) => String(s).replace(/[ ,=]/g, '\\$&');
function toLine(agentId, r) {
  let fields = '';
  for (const k in r.metrics) fields += `${fields ? ',' : ''}${esc(k)}=${r.metrics[k]}`;
  return `reading,agent=${esc(agentId)}${r.component ? `,component=${esc(r.component)}` : ''},device=${esc(r.device)} ${fields} ${r.at}`;
}
function flush() {
  if (busy || buf.length === 0) return;
  const lines = buf.splice(0, MAX); busy = true; const body = lines.join('\n'); // at most 5000 a request
  const req = http.request({ host: '127.0.0.1', port: +(process.env.INFLUX_PORT || 8086), method: 'POST', path: `/write?db=${db}&precision=ms`, agent, headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume(); res.on('end', () => { busy = false; if (res.statusCode === 204) written += lines.length; else failed += lines.length; if (buf.length >= MAX) flush(); });
  });
  req.on('error', (e) => { busy = false; failed += lines.length; console.error(e.message); }); req.end(body);
}
const client = mqtt.connect(url, { clientId: `hub-baseline-${process.pid}`, clean: true });
client.on('connect', () => {
  client.stream.setNoDelay?.(true);
  client.subscribe('ledwatch/v1/+/telemetry', { qos: 1 }, () => console.log('subscribed', url));
});
client.on('message', (topic, msg) => {
  const agentId = topic.split('/')[2];
  try { for (const r of JSON.parse(msg).readings) buf.push(toLine(agentId, r)); } catch { return; }
  if (buf.length >= MAX) flush();
});
setInterval(flush, 100);
const stop = () => { console.log(JSON.stringify({ written, failed })); process.exit(0); };
process.on('SIGTERM', stop); process.on('SIGINT', stop);
