/**
 * Found by following the README as a new user: with the demo config (allowUnauthenticatedLoopback) the
 * README says the console lets you "continue as the local operator", but on a fresh data directory the
 * first visit showed only "create the first admin". The first-run page now offers the local operator
 * too, and taking it opens the console with no account created. Runs chromium like test/browser/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { config, everything, startGateway, type Gateway } from './harness.js';
import { browserUnavailable, ensureConsoleBuilt, launch, shot, watchErrors } from '../browser/browser.js';

const skip = browserUnavailable();

describe('new user: the console on a fresh demo-style gateway', { skip }, () => {
  let gw: Gateway;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    ensureConsoleBuilt();
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: true }));
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(10_000);
    errors = watchErrors(page);
  });

  after(async () => {
    await browser?.close();
    await gw?.stop();
  });

  test('first run offers "Continue as the local operator" next to creating the first admin', async () => {
    assert.equal(((await (await fetch(`${gw.url}/auth/status`)).json()) as any).setup_required, true);
    await page.goto(gw.url);
    await page.getByRole('heading', { name: /create the first admin/i }).waitFor();
    await page.getByRole('button', { name: 'Continue as the local operator' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('local operator').first().waitFor();
    await shot(page, 'new-user-local-operator');
    // No account was made on the way in.
    assert.equal(((await (await fetch(`${gw.url}/auth/status`)).json()) as any).setup_required, true);
  });

  test('the choice survives a reload; other pages work', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('nav a[href="/servers"]').click();
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    await page.getByText('everything').first().waitFor();
  });

  test('writes from the console\'s own origin are the local operator\'s (the browser sends Origin)', async () => {
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/hosted-servers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from-console' }) });
      return res.status;
    });
    assert.equal(status, 201);
  });

  test('without allowUnauthenticatedLoopback the first-run page has no local-operator button', async () => {
    const closed = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }));
    try {
      const p = await browser.newPage();
      await p.goto(closed.url);
      await p.getByRole('heading', { name: /create the first admin/i }).waitFor();
      assert.equal(await p.getByRole('button', { name: 'Continue as the local operator' }).count(), 0);
      await p.close();
    } finally {
      await closed.stop();
    }
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(errors, []);
  });
});
