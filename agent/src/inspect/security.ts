/**
 * Security facts: listening sockets (/proc/net/tcp{,6}), sshd settings, pending OS
 * updates (apt or dnf where present), firewall state and whether the agent runs as root.
 * Only facts; the hub judges them against the site's allow-list.
 */
import type { InspectFacts } from '@ledwatch/protocols';
import type { InspectEnv } from './env.js';

type Security = InspectFacts['security'];
type Listening = Security['listening'][number];

/** Listening TCP sockets from a /proc/net/tcp or tcp6 table. */
export function parseProcNetTcp(text: string, proto: 'tcp' | 'tcp6'): Listening[] {
  const out: Listening[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4 || cols[3] !== '0A') continue; // 0A = LISTEN
    const [addrHex, portHex] = (cols[1] ?? '').split(':');
    if (addrHex === undefined || portHex === undefined) continue;
    out.push({ proto, address: proto === 'tcp' ? ipv4(addrHex) : ipv6(addrHex), port: parseInt(portHex, 16) });
  }
  return out;
}

function ipv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function ipv6(hex: string): string {
  if (/^0+$/.test(hex)) return '::';
  if (/^0{16}FFFF0000$/i.test(hex.slice(0, 24))) return `::ffff:${ipv4(hex.slice(24))}`; // IPv4-mapped
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const le = hex.slice(i, i + 8);
    const be = (le.match(/../g) ?? []).reverse().join('');
    words.push(be.slice(0, 4), be.slice(4, 8));
  }
  const s = words.map((w) => w.replace(/^0{1,3}/, '')).join(':');
  if (s === '0:0:0:0:0:0:0:1') return '::1';
  return s.replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Effective sshd settings: the first value of a keyword wins, as in sshd; Match blocks are ignored. */
export function parseSshdConfig(text: string): { passwordAuthentication?: boolean; permitRootLogin?: string } {
  const seen = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [key = '', ...rest] = line.split(/\s+/);
    const k = key.toLowerCase();
    if (k === 'match') break;
    if (!seen.has(k)) seen.set(k, rest.join(' '));
  }
  const out: { passwordAuthentication?: boolean; permitRootLogin?: string } = {};
  // sshd defaults: PasswordAuthentication yes, PermitRootLogin prohibit-password.
  out.passwordAuthentication = (seen.get('passwordauthentication') ?? 'yes').toLowerCase() === 'yes';
  out.permitRootLogin = (seen.get('permitrootlogin') ?? 'prohibit-password').toLowerCase().slice(0, 64);
  return out;
}

/** Counts upgrades in `apt-get -s upgrade` output; security = from a *-security suite. */
export function parseAptSimulation(text: string): { pending: number; security: number } {
  const inst = text.split('\n').filter((l) => l.startsWith('Inst '));
  return { pending: inst.length, security: inst.filter((l) => /security/i.test(l)).length };
}

export async function listening(env: InspectEnv): Promise<Listening[]> {
  const out: Listening[] = [];
  for (const proto of ['tcp', 'tcp6'] as const) {
    const text = await env.readText(`${env.paths.procNet}/${proto}`);
    if (text !== undefined) out.push(...parseProcNetTcp(text, proto));
  }
  const seen = new Set<string>();
  return out.filter((l) => (seen.has(`${l.proto}|${l.address}|${l.port}`) ? false : (seen.add(`${l.proto}|${l.address}|${l.port}`), true))).slice(0, 1000);
}

async function updates(env: InspectEnv): Promise<Security['updates']> {
  const { aptGet, dnf } = env.paths;
  if (await env.exists(aptGet)) {
    const out = await env.run(aptGet, ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'], 60_000);
    if (out === undefined || out.code !== 0) return { manager: 'apt', error: `apt-get -s upgrade failed${out ? ` (exit ${out.code})` : ''}` };
    return { manager: 'apt', ...parseAptSimulation(out.stdout) };
  }
  if (await env.exists(dnf)) {
    const all = await env.run(dnf, ['-q', 'check-update'], 120_000);
    const sec = await env.run(dnf, ['-q', 'updateinfo', 'list', '--security'], 120_000);
    if (all === undefined || (all.code !== 0 && all.code !== 100)) return { manager: 'dnf', error: 'dnf check-update failed' };
    const pending = all.stdout.split('\n').filter((l) => /^\S+\.\S+\s+\S+\s+\S+/.test(l)).length;
    const security = sec?.code === 0 ? sec.stdout.split('\n').filter((l) => l.trim() !== '').length : undefined;
    return { manager: 'dnf', pending, ...(security === undefined ? {} : { security }) };
  }
  return { manager: 'none' };
}

async function firewall(env: InspectEnv): Promise<Security['firewall']> {
  const { ufw, nft, iptables } = env.paths;
  if (await env.exists(ufw)) {
    const out = await env.run(ufw, ['status'], 10_000);
    if (out?.code === 0) return { state: /Status:\s*active/i.test(out.stdout) ? 'active' : 'inactive', tool: 'ufw' };
  }
  if (await env.exists(nft)) {
    const out = await env.run(nft, ['list', 'ruleset'], 10_000);
    if (out?.code === 0) return { state: /\b(drop|reject)\b/.test(out.stdout) ? 'active' : 'inactive', tool: 'nftables' };
  }
  if (await env.exists(iptables)) {
    const out = await env.run(iptables, ['-S', 'INPUT'], 10_000);
    if (out?.code === 0) return { state: /-P INPUT (DROP|REJECT)|-j (DROP|REJECT)/.test(out.stdout) ? 'active' : 'inactive', tool: 'iptables' };
  }
  return { state: 'unknown' };
}

export async function collectSecurity(env: InspectEnv, hubCertificate: Security['hubCertificate'] | undefined): Promise<Security> {
  const sshText = await env.readText(env.paths.sshdConfig);
  const ssh: Security['ssh'] = sshText === undefined ? { present: false, path: env.paths.sshdConfig } : { present: true, path: env.paths.sshdConfig, ...parseSshdConfig(sshText) };
  const [listen, upd, fw] = await Promise.all([listening(env), updates(env), firewall(env)]);
  return {
    listening: listen,
    ssh,
    updates: upd,
    firewall: fw,
    runningAsRoot: env.uid() === 0,
    ...(hubCertificate ? { hubCertificate } : {}),
  };
}
