/**
 * The web UI in real headless Chromium against a real hub with a simulated site whose agent
 * polls every second: sign in, fleet, site, a card turning red within 2 s of the faulty
 * reading reaching the hub, acknowledging the alarm, moving its ticket to `assigned`, an
 * inspection run from the UI and its PDF, a signed release with a rollout shown per wave and
 * per agent stage (paused and resumed from the UI), the other pages, a phone-sized screen, and a customer who cannot reach another customer's site.
 * Every page gets an axe-core scan (no serious or critical violations) and a screenshot in
 * test-artifacts/ui/; no page may log a console error.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReleaseKeyPair, signManifest, type ReleaseManifest } from '@ledwatch/protocols';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../agent/src/simulate/site.js';
import { axeSerious, buildDashboards, inPage, chromiumAvailable, launchChromium, screenshot, watchConsole } from '../support/browser.js';
import type { TestHub } from '../support/hub.js';
import { type Spawned, spawnSource } from '../support/processes.js';
import { tempDir, waitFor } from '../support/services.js';

const HAS_CHROMIUM = chromiumAvailable();
// The hub picks the built UI when its module loads, so build before importing it.
if (HAS_CHROMIUM) buildDashboards();
const { startTestHub, provisionAgent, writeAgentConfig } = await import('../support/hub.js');
const { startSite } = await import('../../agent/src/simulate/site.js');
const { resolveSiteConfig } = await import('../../agent/src/simulate/site-config.js');

const PASSWORD = 'engineer-password-1';
const CARD = 'ctrl-1/p0/c1';

describe.skipIf(!HAS_CHROMIUM)('web UI in headless Chromium against a hub with a simulated site', () => {
  let hub: TestHub;
  let site: RunningSite;
  let agent: Spawned;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let errors: string[];
  let siteA: string;
  let siteB: string;
  const work = tempDir('e2e-ui');

  const url = (hash: string): string => `${hub.url}/#/${hash}`;
  async function check(name: string): Promise<void> {
    await screenshot(page, name);
    expect(await axeSerious(page), `axe on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    hub = await startTestHub();
    const creds = await provisionAgent(hub, 'ui-site');
    siteA = creds.siteId;
    const other = await hub.api<{ id: string }>('POST', '/api/customers', { name: 'Other customer' });
    const otherSite = await hub.api<{ id: string }>('POST', '/api/sites', { customerId: other.body.id, name: 'Other arena' });
    siteB = otherSite.body.id;
    expect((await hub.api('POST', '/api/users', { email: 'eng@example.test', name: 'Erin Engineer', role: 'engineer', password: PASSWORD })).status).toBe(201);
    expect((await hub.api('POST', '/api/users', { email: 'viewer@other.test', name: 'Otto Viewer', role: 'customer', customerId: other.body.id, password: PASSWORD })).status).toBe(201);

    site = await startSite(resolveSiteConfig({ controllers: [{ id: 'ctrl-1', ports: 2, cardsPerPort: 4 }], modbus: [{ id: 'psu-1', profile: 'led-psu-generic' }], ups: [{ id: 'ups-1' }], pollIntervalS: 1 }));
    const file = join(work.dir, 'agent.yaml');
    writeAgentConfig(file, creds, hub.mqttUrl, { hub: { keepaliveS: 5 }, dataDir: join(work.dir, 'data'), devices: site.devices });
    agent = spawnSource('agent', ['run', '--config', file]);
    await waitFor('all cards reporting', async () => {
      const res = await hub.api<{ items: { parent: string | null; latest: unknown[] }[] }>('GET', `/api/devices?siteId=${siteA}`);
      return res.body.items.filter((d) => d.parent === 'ctrl-1' && d.latest.length > 0).length === 8 || undefined;
    }, 60_000, 250);

    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await ctx.newPage();
    errors = watchConsole(page);
  });

  afterAll(async () => {
    await browser?.close();
    if (agent?.child.exitCode === null) agent.child.kill('SIGKILL');
    await site?.close();
    await hub?.stop();
    work.cleanup();
  });

  it('signs an engineer in and shows the fleet with the site', async () => {
    await page.goto(hub.url);
    await page.getByLabel('Email').fill('eng@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator(`tr[data-site="${siteA}"]`);
    await row.waitFor();
    expect(await row.locator('th a').textContent()).toBe('Site of ui-site');
    expect(await page.locator(`tr[data-site="${siteB}"]`).count()).toBe(1);
    await page.getByLabel('Search').fill('ui-site');
    await expect.poll(() => page.locator('#fleet-table tbody tr').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await check('fleet');
  });

  it('opens the site: a grid of cards, tiles and the agent', async () => {
    await page.locator(`tr[data-site="${siteA}"] th a`).click();
    await page.locator(`td[data-device="${CARD}"][data-state="ok"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('td.cell[data-device]').count()).toBe(8);
    await page.locator('li.tile[data-device="psu-1"]').waitFor();
    await page.locator('li.tile[data-device="ups-1"]').waitFor();
    expect(await page.locator('li[data-agent] .badge').first().textContent()).toBe('online');
    await check('site');
  });

  it('turns the card red within 2 s of the faulty reading reaching the hub', async () => {
    let reachedHub: number | undefined;
    const onReadings = (points: readonly { deviceId: string; state?: string }[]): void => {
      if (reachedHub === undefined && points.some((p) => p.deviceId === CARD && p.state === 'fault')) reachedHub = Date.now();
    };
    hub.ctx.bus.on('readings', onReadings);
    try {
      site.inject({ device: 'ctrl-1', fault: { kind: 'card-over-temperature', port: 0, card: 1 } });
      await page.locator(`td[data-device="${CARD}"][data-state="fault"]`).waitFor({ timeout: 20_000 });
      const red = Date.now();
      expect(reachedHub, 'the faulty reading reached the hub').toBeDefined();
      expect(red - (reachedHub ?? 0)).toBeLessThan(2000);
    } finally {
      hub.ctx.bus.off('readings', onReadings);
    }
    const bg = await inPage<string>(page, `getComputedStyle(document.querySelector('td[data-device="${CARD}"]')).backgroundColor`);
    expect(bg).toBe('rgb(179, 38, 30)');
    await page.locator('[data-alarm]').first().waitFor({ timeout: 20_000 });
    await check('site-fault');
  });

  it('shows the device with a live chart and history ranges', async () => {
    await page.locator(`td[data-device="${CARD}"] a`).click();
    await page.locator('.chart canvas').waitFor();
    const points = async (): Promise<number> => Number(/(\d+) points/.exec((await page.locator('.chart').getAttribute('aria-label')) ?? '')?.[1] ?? -1);
    // Live: seeded from history, then every new reading (1 s polls) appends a point.
    await expect.poll(points, { timeout: 10_000 }).toBeGreaterThan(2);
    const seeded = await points();
    await expect.poll(points, { timeout: 10_000 }).toBeGreaterThanOrEqual(seeded + 2);
    // 24 h: 5-minute windows from the history API (one entry per window, empty ones too).
    await page.getByRole('button', { name: '24 h' }).click();
    expect(await page.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(points).toBeGreaterThanOrEqual(288);
    await page.getByRole('button', { name: 'Live' }).click();
    const before = await page.locator('dd[data-metric="temperatureC"]').textContent();
    expect(Number(before)).toBeGreaterThan(60);
    await check('device');
  });

  it('acknowledges the alarm from the alarms page', async () => {
    await page.goto(url('alarms'));
    const row = page.locator('tr[data-type="card-over-temperature"]');
    await row.waitFor({ timeout: 20_000 });
    await check('alarms');
    await row.getByRole('button', { name: /Acknowledge/ }).click();
    await page.locator('tr[data-type="card-over-temperature"][data-state="acknowledged"]').waitFor();
    const api = await hub.api<{ items: { state: string }[] }>('GET', `/api/alarms?siteId=${siteA}&type=card-over-temperature`);
    expect(api.body.items.map((a) => a.state)).toEqual(['acknowledged']);
    await page.getByLabel('Severity at least').selectOption('critical');
    await page.locator('text=No alarms match.').waitFor();
  });

  it('moves the ticket to assigned on the board', async () => {
    await page.goto(url('tickets'));
    const ticket = await waitFor('the ticket', async () => {
      const list = (await hub.api<{ items: { number: string; faultType: string }[] }>('GET', '/api/tickets')).body.items;
      return list.find((t) => t.faultType === 'card-over-temperature');
    }, 20_000, 250);
    await page.reload();
    const card = page.locator(`[data-column="new"] li[data-ticket="${ticket.number}"]`);
    await card.waitFor();
    expect(await card.locator('.sla').count()).toBe(1);
    await check('tickets');
    await card.getByLabel(`Move ${ticket.number} to`).selectOption('assigned');
    await card.getByRole('button', { name: 'Move' }).click();
    await page.locator(`[data-column="assigned"] li[data-ticket="${ticket.number}"]`).waitFor();
    const api = await hub.api<{ items: { number: string; state: string }[] }>('GET', '/api/tickets');
    expect(api.body.items.find((t) => t.number === ticket.number)?.state).toBe('assigned');
  });

  it('runs an inspection from the UI and downloads its report as a PDF', async () => {
    await page.goto(url('reports'));
    await page.locator('h1', { hasText: 'Inspections and reports' }).waitFor();
    await page.locator('h2#h-reports ~ .empty').waitFor();
    await check('reports-empty');
    await page.getByLabel('Site to inspect').selectOption(siteA);
    await page.getByRole('button', { name: 'Run inspection now' }).click();
    await page.getByRole('status').filter({ hasText: 'Inspection of Site of ui-site started.' }).waitFor();
    // The page follows the run (collecting, checking) until its report is listed.
    const row = page.locator('tr[data-report]');
    await row.waitFor({ timeout: 120_000 });
    const report = (await hub.api<{ items: { id: string; siteId: string }[] }>('GET', '/api/reports')).body.items[0];
    expect(report?.siteId).toBe(siteA);
    expect(await row.getAttribute('data-report')).toBe(report?.id);
    await page.locator('tr[data-inspection][data-state="done"]').waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /Download PDF/ }).click()]);
    const path = join(work.dir, 'report.pdf');
    await dl.saveAs(path);
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    await check('reports');
  });

  it('shows an empty releases page before any release is uploaded', async () => {
    await page.goto(url('releases'));
    await page.locator('h2', { hasText: 'Rollouts' }).waitFor();
    await expect.poll(() => page.locator('.empty').allTextContents()).toEqual([expect.stringMatching(/^No releases uploaded yet/), 'No rollouts yet.']);
    await check('releases-empty');
  });

  it('shows a release and its rollout per wave and per agent stage; pause, resume and cancel reach the API', async () => {
    // A signed release of a small dummy artifact, rolled out to two agents that are not
    // running: the canary's upgrade command waits for it, and the test reports its stages
    // over the agents' HTTP channel, as the agent's updater would.
    const key = generateReleaseKeyPair();
    expect((await hub.api('POST', '/api/keys', { publicKey: key.publicKey })).status).toBe(201);
    const artifact = Buffer.from('not a real agent, never installed\n');
    const manifest: ReleaseManifest = {
      schema: 1, kind: 'agent', name: 'ledwatch-agent', version: '9.1.0',
      artifact: { sha256: createHash('sha256').update(artifact).digest('hex'), size: artifact.length },
      compatibility: { os: ['linux'] }, install: [{ type: 'extract' }, { type: 'restart-agent' }], healthCheck: { windowS: 60 }, createdAt: Date.now(),
    };
    const created = await hub.api<{ id: string }>('POST', '/api/releases', { signed: signManifest(manifest, key.privateKeyPem) });
    expect(created.status).toBe(201);
    const releaseId = created.body.id;
    const put = await fetch(`${hub.url}/api/releases/${releaseId}/artifact`, { method: 'PUT', headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/octet-stream' }, body: artifact });
    expect(put.status).toBe(200);
    const a = await provisionAgent(hub, 'ro-a');
    const b = await hub.api<{ agentId: string; secret: string }>('POST', '/api/agents', { name: 'ro-b', siteId: a.siteId });
    const secrets = new Map([[a.agentId, a.secret], [b.body.agentId, b.body.secret]]);
    type Rollout = { id: string; state: string; targets: { agentId: string; wave: number; state: string; stage: string | null; commandId: string | null }[] };
    const ro = await hub.api<Rollout>('POST', '/api/rollouts', { releaseId, targets: { siteIds: [a.siteId] }, waves: [{ name: 'canary', count: 1 }, { name: 'rest', percent: 100 }] });
    expect(ro.status).toBe(201);
    const canary = ro.body.targets.find((t) => t.wave === 0);
    const rest = ro.body.targets.find((t) => t.wave === 1);
    expect(canary?.state).toBe('sent');
    const report = async (state: string, stage: string, error?: { code: string; message: string }): Promise<void> => {
      const basic = Buffer.from(`${canary?.agentId}:${secrets.get(canary?.agentId ?? '')}`).toString('base64');
      const res = await fetch(`${hub.url}/api/agent/cmd-results`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: canary?.commandId, type: 'upgrade', state, stage, at: Date.now(), ...(error ? { error } : {}) }),
      });
      expect(res.status).toBe(204);
    };
    await report('running', 'downloading');

    await page.goto(url('releases'));
    await page.reload(); // the empty page of the test before is still loaded
    await page.locator(`tr[data-release="${releaseId}"]`, { hasText: 'ledwatch-agent 9.1.0' }).waitFor();
    expect(await page.locator(`tr[data-release="${releaseId}"] .badge`).textContent()).toBe('ready');
    const card = page.locator(`article[data-rollout="${ro.body.id}"]`);
    await card.locator('h3', { hasText: 'Rollout of ledwatch-agent 9.1.0' }).waitFor();
    expect(await card.locator('li[data-wave="0"] .wave-counts').textContent()).toBe('0/1 succeeded · 1 in progress · 0 pending · 0 failed');
    expect(await card.locator('li[data-wave="1"] .wave-counts').textContent()).toBe('0/1 succeeded · 0 in progress · 1 pending · 0 failed');
    await card.locator(`tr[data-target="${canary?.agentId}"][data-state="sent"][data-stage="downloading"]`).waitFor();
    await card.locator(`tr[data-target="${rest?.agentId}"][data-state="pending"]`).waitFor();
    // A running rollout refreshes by itself: the next stage shows without a reload.
    await report('running', 'verifying');
    await card.locator(`tr[data-target="${canary?.agentId}"][data-stage="verifying"]`).waitFor({ timeout: 10_000 });
    await check('releases');

    const state = async (): Promise<string> => (await hub.api<Rollout>('GET', `/api/rollouts/${ro.body.id}`)).body.state;
    await card.getByRole('button', { name: 'Pause' }).click();
    await page.locator(`article[data-rollout="${ro.body.id}"][data-state="paused"]`).waitFor();
    expect(await state()).toBe('paused');
    expect(await card.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await card.getByRole('button', { name: 'Resume' }).click();
    await page.locator(`article[data-rollout="${ro.body.id}"][data-state="running"]`).waitFor();
    expect(await state()).toBe('running');

    // The canary fails its health check and rolls back: the rollout aborts at the first failure.
    await report('failed', 'rolled-back', { code: 'health-check-failed', message: 'ledwatch-agent did not come back healthy' });
    await page.locator(`article[data-rollout="${ro.body.id}"][data-state="aborted"]`).waitFor({ timeout: 10_000 });
    const failed = card.locator(`tr[data-target="${canary?.agentId}"][data-state="failed"][data-stage="rolled-back"]`);
    await failed.waitFor();
    expect(await failed.locator('code').textContent()).toBe('health-check-failed');
    expect(await card.locator('li[data-wave="0"] .wave-counts').textContent()).toBe('0/1 succeeded · 0 in progress · 0 pending · 1 failed');
    expect(await card.getByRole('button').count()).toBe(0);
    await check('rollout-aborted');

    // Cancelling asks once more, then withdraws what has not been sent.
    const again = await hub.api<Rollout>('POST', '/api/rollouts', { releaseId, targets: { siteIds: [a.siteId] }, waves: [{ name: 'canary', count: 1 }, { name: 'rest', percent: 100 }] });
    expect(again.status).toBe(201);
    await page.reload();
    const second = page.locator(`article[data-rollout="${again.body.id}"][data-state="running"]`);
    await second.getByRole('button', { name: 'Cancel rollout…' }).click();
    await second.getByRole('button', { name: 'Yes, cancel the rollout' }).click();
    await page.locator(`article[data-rollout="${again.body.id}"][data-state="cancelled"]`).waitFor();
    const cancelled = (await hub.api<Rollout>('GET', `/api/rollouts/${again.body.id}`)).body;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.targets.find((t) => t.wave === 1)?.state).toBe('cancelled');
  });

  it('provisions an agent with a copy-paste install command', async () => {
    await page.goto(url('agents'));
    await page.locator('tr[data-agent]').first().waitFor();
    await page.getByLabel('Name').fill('second-pc');
    await page.getByLabel('Site').selectOption(siteA);
    await page.getByRole('button', { name: 'Provision' }).click();
    const cmd = await page.locator('pre.command').textContent();
    expect(cmd).toMatch(/agentId: second-pc-[0-9a-f]{8}\nsecret: \S{20,}\nhub:\n {2}url: mqtt:\/\//);
    expect(cmd).toContain('ledwatch-agent run --config /etc/ledwatch/agent.yaml');
    await check('agents');
  });

  it('works from the keyboard: skip link first, then the navigation', async () => {
    await page.goto(url('fleet'));
    await page.reload();
    await page.locator('#fleet-table').waitFor();
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await inPage(page, 'document.activeElement?.id')).toBe('main');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const saved = await inPage<string>(page, "localStorage.getItem('ledwatch.session')");
    await phone.addInitScript(`localStorage.setItem('ledwatch.session', ${JSON.stringify(saved)})`);
    const p = await phone.newPage();
    const phoneErrors = watchConsole(p);
    for (const [hash, name] of [['fleet', 'phone-fleet'], [`sites/${siteA}`, 'phone-site']] as const) {
      await p.goto(url(hash));
      await p.locator(name === 'phone-fleet' ? '#fleet-table' : 'td.cell[data-device]').first().waitFor({ timeout: 15_000 });
      const overflow = await inPage<number>(p, 'document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(p, name);
    }
    await phone.close();
    expect(phoneErrors).toEqual([]);
  });

  it('logged no console errors on any page', () => {
    expect(errors).toEqual([]);
  });

  it("keeps a customer to its own sites: another customer's site is unreachable", async () => {
    const other = await browser.newContext();
    const p = await other.newPage();
    const customerErrors = watchConsole(p);
    await p.goto(hub.url);
    await p.getByLabel('Email').fill('viewer@other.test');
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator(`tr[data-site="${siteB}"]`).waitFor();
    expect(await p.locator('#fleet-table tbody tr').count()).toBe(1);
    expect(await p.getByRole('link', { name: 'Agents' }).count()).toBe(0);
    await screenshot(p, 'customer-fleet');
    await p.goto(url(`sites/${siteA}`));
    await p.locator('[role="alert"]').waitFor();
    expect(await p.locator('[role="alert"]').textContent()).toMatch(/Not found/);
    expect(await p.locator('td.cell').count()).toBe(0);
    const status = await inPage<unknown[]>(
      p,
      `(async () => {
        const h = { authorization: 'Bearer ' + JSON.parse(localStorage.getItem('ledwatch.session')).token };
        const site = await fetch('/api/sites/${siteA}', { headers: h });
        const devices = await (await fetch('/api/devices?siteId=${siteA}', { headers: h })).json();
        const live = await fetch('/api/live?siteId=${siteA}', { headers: h });
        return [site.status, devices.items.length, live.status];
      })()`,
    );
    expect(status).toEqual([404, 0, 404]);
    await screenshot(p, 'customer-denied');
    // Reports of other customers stay out of sight, and a customer has nothing to run or send.
    await p.goto(url('reports'));
    await p.locator('h2#h-reports ~ .empty').waitFor();
    expect(await p.locator('tr[data-report], tr[data-inspection]').count()).toBe(0);
    expect(await p.getByRole('button', { name: /Run inspection|Send again/ }).count()).toBe(0);
    // The only console lines are the browser's own notes on the refused requests above.
    expect(customerErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await other.close();
  });
});
