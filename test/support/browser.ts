/**
 * A real headless Chromium (Debian `chromium`) driven by playwright-core, for the web UI
 * tests and bench: launching it, collecting console errors, axe-core scans, screenshots,
 * and building the UI the hub serves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './processes.js';
import { findCommand, serviceAvailable } from './services.js';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'ui');

/** True when Chromium is installed (in CI a missing one throws; see services.ts). */
export const chromiumAvailable = (): boolean => serviceAvailable('chromium', 'chromium');

export async function launchChromium(): Promise<Browser> {
  const executablePath = findCommand('chromium');
  if (executablePath === undefined) throw new Error('chromium is not installed (apt-get install chromium)');
  // Root in containers has no user namespace for Chromium's sandbox.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** Newest modification time under a folder (ms). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/**
 * Builds dashboards/dist (what the hub serves) with Vite unless it is newer than every
 * source (`npm test` has built it already); throws with Vite's output on failure.
 */
export function buildDashboards(): void {
  const dir = join(REPO_ROOT, 'dashboards');
  const built = join(dir, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.mjs', 'package.json'].map((f) => newest(join(dir, f)));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources)) return;
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: join(REPO_ROOT, 'dashboards'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** Console errors and uncaught exceptions of a page, as text lines. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
       id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) })))`,
  );
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Evaluates a JavaScript expression in the page (a string, since the test code is compiled
 * without the DOM library).
 */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
