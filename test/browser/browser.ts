/**
 * Shared set-up for the browser tests: Debian's chromium driven by playwright-core, a built console,
 * and a folder for screenshots (test-output/console, gitignored).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../e2e/harness.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-output', 'console');
const CONSOLE_INDEX = join(ROOT, 'dist', 'web', 'index.html');

/**
 * Why the browser tests cannot run here, or undefined when they can. CI (`.ci/run`) installs chromium
 * and sets SWITCHBOARD_BROWSER_TESTS=required, so a missing browser fails there instead of skipping.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env['SWITCHBOARD_BROWSER_TESTS'] === 'required') throw new Error(why);
  return why;
}

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** The console as `npm install` builds it; (re)built here when missing or older than its sources. */
export function ensureConsoleBuilt(): void {
  if (existsSync(CONSOLE_INDEX) && statSync(CONSOLE_INDEX).mtimeMs >= newest(join(ROOT, 'web'))) return;
  const res = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  if (res.status !== 0 || !existsSync(CONSOLE_INDEX)) throw new Error('building the web console failed');
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collect page errors so a test can assert the console ran without uncaught exceptions. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // Let transitions, charts and live updates settle so the picture shows the finished page.
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
