/**
 * `ledwatch-agent scan --serial <path>… --host <address>…`: probes the serial ports and
 * hosts it is given — nothing else: no broadcast, no address ranges — and prints what
 * answered: NovaStar controllers (serial at either baud, TCP 5200/15200), Modbus devices
 * (RTU unit 1 at 9600 8N1, TCP 502) and SNMP agents (v2c `public`, UDP 161).
 */
import { silentLogger, type Logger } from '../log.js';
import { ModbusBus } from '../drivers/modbus/bus.js';
import { probeNovaStar } from '../drivers/novastar/probe.js';
import { withSnmpClient } from '../drivers/snmp/client.js';
import { errorMessage } from '../errors.js';
import type { SnmpOptions } from '../drivers/snmp/options.js';

export interface ScanTargets {
  serial: string[];
  hosts: string[];
  timeoutMs: number;
  /** Ports to try per protocol (tests point them at loopback simulators). */
  ports?: { novastar?: number[]; modbus?: number; snmp?: number };
}

export interface Finding {
  where: string;
  protocol: 'novastar' | 'modbus' | 'snmp';
  found: boolean;
  detail: Record<string, unknown>;
}

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

async function novastarAt(where: string, options: Record<string, unknown>, timeoutMs: number, log: Logger): Promise<Finding> {
  try {
    const r = await probeNovaStar({ ...options, requestTimeoutMs: Math.min(1000, timeoutMs) }, { log, signal: AbortSignal.timeout(timeoutMs * 3) });
    const { found, ...detail } = r;
    return { where, protocol: 'novastar', found, detail };
  } catch (err) {
    return { where, protocol: 'novastar', found: false, detail: { error: errorMessage(err) } };
  }
}

async function modbusAt(where: string, bus: ModbusBus, timeoutMs: number, log: Logger): Promise<Finding> {
  try {
    const values = await bus.read({ unitId: 1, block: { function: 'holding', address: 0, quantity: 1 }, timeoutMs }, AbortSignal.timeout(timeoutMs * 2), log);
    return { where, protocol: 'modbus', found: true, detail: { unitId: 1, holding0: values[0] } };
  } catch (err) {
    const message = errorMessage(err);
    // An exception answer (e.g. illegal data address) still means a Modbus device is there.
    const answered = /exception|illegal/i.test(message);
    return { where, protocol: 'modbus', found: answered, detail: answered ? { unitId: 1, answer: message } : { error: message } };
  } finally {
    await bus.close();
  }
}

async function snmpAt(host: string, port: number, timeoutMs: number, log: Logger): Promise<Finding> {
  const options = { host, port, version: '2c', community: 'public', profile: 'if-mib', timeoutMs, retries: 0 } as unknown as SnmpOptions;
  try {
    const vbs = await withSnmpClient(options, log, AbortSignal.timeout(timeoutMs * 2), (c) => c.get([SYS_DESCR]));
    const value = vbs[0]?.value;
    return { where: `${host}:${port}/udp`, protocol: 'snmp', found: true, detail: { sysDescr: Buffer.isBuffer(value) ? value.toString('utf8') : String(value) } };
  } catch (err) {
    return { where: `${host}:${port}/udp`, protocol: 'snmp', found: false, detail: { error: errorMessage(err) } };
  }
}

export async function scan(targets: ScanTargets, log: Logger = silentLogger()): Promise<Finding[]> {
  const t = targets.timeoutMs;
  const novastarPorts = targets.ports?.novastar ?? [5200, 15200];
  const modbusPort = targets.ports?.modbus ?? 502;
  const snmpPort = targets.ports?.snmp ?? 161;
  const findings: Finding[] = [];
  for (const path of targets.serial) {
    findings.push(await novastarAt(path, { transport: 'serial', path, baudRate: 'auto' }, t, log));
    const bus = new ModbusBus({ transport: 'rtu', path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    findings.push(await modbusAt(path, bus, t, log));
  }
  for (const host of targets.hosts) {
    for (const port of novastarPorts) findings.push(await novastarAt(`${host}:${port}`, { transport: 'tcp', host, port }, t, log));
    findings.push(await modbusAt(`${host}:${modbusPort}`, new ModbusBus({ transport: 'tcp', host, port: modbusPort }), t, log));
    findings.push(await snmpAt(host, snmpPort, t, log));
  }
  return findings;
}

export function formatFindings(findings: readonly Finding[]): string {
  const found = findings.filter((f) => f.found);
  const lines = found.map((f) => `found  ${f.protocol.padEnd(8)} ${f.where}  ${JSON.stringify(f.detail)}`);
  const none = findings.length - found.length;
  lines.push(`${found.length} found, ${none} probe(s) without an answer${none > 0 ? ' (--json shows why)' : ''}`);
  return `${lines.join('\n')}\n`;
}
