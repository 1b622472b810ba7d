import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import { freePort, stopProcess, tempDir, waitFor } from '../support/services.js';

describe('npm start (the demo)', () => {
  const work = tempDir('demo');
  let demo: ReturnType<typeof spawn> | undefined;
  let output = '';
  afterAll(async () => {
    if (demo) await stopProcess(demo, 10_000);
    work.cleanup();
  });

  it('starts hub and demo agent, writes demo.json, and stops cleanly on SIGTERM', async () => {
    const [http, mqtt] = [await freePort(), await freePort()];
    demo = spawn(process.execPath, ['scripts/demo.mjs'], {
      cwd: REPO_ROOT,
      env: { ...process.env, LEDWATCH_DEMO_ROOT: work.dir, PORT: String(http), LEDWATCH_MQTT_PORT: String(mqtt), LEDWATCH_DEMO_INSPECT_AFTER_S: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    demo.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => demo?.once('exit', (code) => resolve(code)));

    const file = join(work.dir, '.ledwatch', 'demo.json');
    const info = await waitFor('demo.json', () => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { url: string; mqttUrl: string; adminToken: string };
      } catch {
        return undefined;
      }
    }, 120_000, 250);
    expect(info.url).toBe(`http://127.0.0.1:${http}`);
    expect(info.mqttUrl).toBe(`mqtt://127.0.0.1:${mqtt}`);
    const ui = await fetch(`${info.url}/`, { redirect: 'manual' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('ledwatch');
    const agents = await waitFor('demo agent online', async () => {
      const res = await fetch(`${info.url}/api/agents`, { headers: { authorization: `Bearer ${info.adminToken}` } });
      const body = (await res.json()) as { items: { online: boolean }[] };
      return body.items.some((a) => a.online) ? body.items : undefined;
    }, 30_000);
    expect(agents).toHaveLength(1);
    const cards = await waitFor('the simulated site in the devices API', async () => {
      const res = await fetch(`${info.url}/api/devices`, { headers: { authorization: `Bearer ${info.adminToken}` } });
      const items = ((await res.json()) as { items: { deviceId: string; parent: string | null }[] }).items;
      const found = items.filter((d) => d.parent === 'ctrl-1');
      return found.length === 16 && items.some((d) => d.deviceId === 'ups-1') && items.some((d) => d.deviceId === 'psu-1') ? found : undefined;
    }, 60_000, 500);
    expect(cards.map((c) => c.deviceId)).toContain('ctrl-1/p1/c7');
    expect(output).toMatch(/first fault in 60 s/);
    expect(output).toContain(`dashboard:   http://127.0.0.1:${http}/`);
    const reportUrl = await waitFor('the demo inspection report', () => /inspection report: (\S+)/.exec(output)?.[1], 90_000, 500);
    const report = await fetch(reportUrl, { headers: { authorization: `Bearer ${info.adminToken}` } });
    expect(await report.text()).toContain('Demo Plaza LED wall');

    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says clearly when the MQTT port is taken', async () => {
    const { createServer } = await import('node:net');
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '0.0.0.0', r));
    try {
      const p = spawn(process.execPath, ['scripts/demo.mjs'], {
        cwd: REPO_ROOT,
        env: { ...process.env, LEDWATCH_DEMO_ROOT: work.dir, PORT: String(await freePort()), LEDWATCH_MQTT_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => p.once('exit', resolve));
      expect(code).toBe(2);
      expect(out).toContain(`MQTT port ${port} on 0.0.0.0 is already taken`);
      expect(out).toContain('LEDWATCH_MQTT_PORT');
    } finally {
      blocker.close();
    }
  });
});
