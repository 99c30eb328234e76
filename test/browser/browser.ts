/**
 * Shared set-up for the browser tests: Debian's chromium driven by playwright-core, a built console,
 * and a folder for screenshots (test-output/console, gitignored).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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

const fresh = () => existsSync(CONSOLE_INDEX) && statSync(CONSOLE_INDEX).mtimeMs >= newest(join(ROOT, 'web'));
const BUILD_LOCK = join(ROOT, 'test-output', '.console-build.lock');

/**
 * The console as `npm install` builds it; (re)built here when missing or older than its sources. Test
 * files run in parallel, so one builds while the others wait (Vite empties the output folder first).
 */
export function ensureConsoleBuilt(): void {
  if (fresh()) return;
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // A lock left by a killed run is stale after the build's own time limit.
    const held = statSync(BUILD_LOCK, { throwIfNoEntry: false });
    if (held && Date.now() - held.mtimeMs > 150_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build the console');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  try {
    if (fresh()) return;
    const res = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
    if (res.status !== 0 || !existsSync(CONSOLE_INDEX)) throw new Error('building the web console failed');
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/**
 * Delete a test file's earlier screenshots (the ones `mine` claims by name), leaving other files'
 * pictures: test files run in parallel and share the folder.
 */
export function clearShots(mine: (name: string) => boolean): void {
  if (!existsSync(SHOTS)) return;
  for (const name of readdirSync(SHOTS)) if (mine(name.replace(/^failed-/, ''))) rmSync(join(SHOTS, name), { force: true });
}

/** Screenshots of console-admin.test.ts start with this. */
export const ADMIN_SHOTS = 'admin-';

/** Screenshots of console-javascript.test.ts start with this. */
export const JS_SHOTS = 'javascript-';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The admin account the browser suites create with /auth/setup. */
export const ADMIN = { username: 'admin', password: 'correct horse battery' };

/**
 * A 1280×800 page signed in to the console at `url` as ADMIN, with its uncaught errors collected
 * (the suites' common opening).
 */
export async function signedInPage(browser: Browser, url: string, timeoutMs: number): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  return { page, errors };
}

/** A REST call with the admin's token: status and parsed JSON body. */
export type Rest = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Create ADMIN on a fresh gateway with /auth/setup; returns a REST caller signed in as that admin. */
export async function setUpAdmin(url: string): Promise<Rest> {
  const setup = await fetch(`${url}/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (setup.status !== 201) throw new Error(`/auth/setup answered ${setup.status}: ${await setup.text()}`);
  const token = ((await setup.json()) as { access_token: string }).access_token;
  return async (method, path, body) => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** afterEach of the suites: a failed test leaves a screenshot named after it, and no dialog open for the next one. */
export async function recordFailure(page: Page | undefined, t: unknown, prefix: string): Promise<void> {
  const test = t as { passed?: boolean; name: string };
  if (test.passed || !page) return;
  await shot(page, `failed-${prefix}${test.name.replace(/\W+/g, '-').slice(0, 60)}`);
  await page.keyboard.press('Escape');
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
