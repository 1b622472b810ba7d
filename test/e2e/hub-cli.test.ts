import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { provisionAgent, startTestHub } from '../support/hub.js';
import { spawnSource } from '../support/processes.js';
import { freePort, tempDir } from '../support/services.js';

describe('ledwatch-hub command line', () => {
  const work = tempDir('hub-cli');
  afterAll(() => work.cleanup());

  it('prints usage for --help and exits 0', async () => {
    const p = spawnSource('hub', ['--help']);
    const { code } = await p.exited;
    expect(code).toBe(0);
    expect(p.output()).toMatch(/ledwatch-hub run \[--config hub\.yaml\]/);
  });

  it('refuses to start on a bad config, naming every key and its fix', async () => {
    const file = join(work.dir, 'bad.yaml');
    writeFileSync(file, 'http:\n  port: 70000\nmqtt:\n  colour: red\nlog:\n  level: loud\n');
    const p = spawnSource('hub', ['run', '--config', file]);
    const { code } = await p.exited;
    expect(code).toBe(2);
    const out = p.output();
    expect(out).toMatch(/http\.port: must be <= 65535 \(got 70000\)\. Fix: .*LEDWATCH_HTTP_PORT/);
    expect(out).toMatch(/mqtt\.colour: unknown key\. Fix: remove it or use one of: host, port/);
    expect(out).toMatch(/log\.level: must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/);
  });

  it('says clearly when the HTTP port is taken', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const p = spawnSource('hub', ['run'], {
        LEDWATCH_HTTP_HOST: '127.0.0.1',
        LEDWATCH_HTTP_PORT: String(port),
        LEDWATCH_MQTT_PORT: '0',
        LEDWATCH_DATA_DIR: join(work.dir, 'busy'),
      });
      const { code } = await p.exited;
      expect(code).toBe(2);
      expect(p.output()).toContain(`HTTP port ${port} on 127.0.0.1 is already taken`);
    } finally {
      blocker.close();
    }
  });

  it('backs up the live database and creates a working admin token', async () => {
    const hub = await startTestHub();
    try {
      const { agentId } = await provisionAgent(hub, 'backup-agent');
      const env = { LEDWATCH_DATA_DIR: hub.dir };
      const out = join(work.dir, 'backup', 'copy.db');
      const b = spawnSource('hub', ['backup', '--out', out], env);
      expect((await b.exited).code).toBe(0);
      const copy = new Database(out, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('select id from agents where id = ?').get(agentId)).toEqual({ id: agentId });
      copy.close();

      const c = spawnSource('hub', ['create-admin', '--email', 'second@example.test'], env);
      expect((await c.exited).code).toBe(0);
      const token = c.output().trim().split('\n').pop() as string;
      expect(token).toMatch(/^\S{20,}$/);
      const me = await hub.api<{ email?: string; user?: { email: string } }>('GET', '/api/auth/me', undefined, token);
      expect(me.status).toBe(200);
      expect(JSON.stringify(me.body)).toContain('second@example.test');
    } finally {
      await hub.stop();
    }
  });
});
