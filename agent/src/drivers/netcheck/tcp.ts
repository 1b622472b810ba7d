/** TCP reachability: connect to host:port, measure the time to connect, hang up. */
import { connect } from 'node:net';
import { elapsedMs, errorCode, runCheck, type CheckResult } from './check.js';
import type { TcpTarget } from './targets.js';

export function checkTcp(target: TcpTarget, signal: AbortSignal): Promise<CheckResult> {
  return runCheck(target.timeoutMs, signal, (done) => {
    const started = performance.now();
    const socket = connect({ host: target.host, port: target.port });
    socket.once('connect', () => done({ reachable: true, latencyMs: elapsedMs(started) }));
    socket.on('error', (err) => done({ reachable: false, error: errorCode(err) }));
    return () => socket.destroy();
  });
}
