/**
 * The web console in a real browser against a real gateway with real upstream servers: first-run
 * setup and sign-in, adding a server and seeing its tools, invoking tools, creating an API key and
 * seeing its calls arrive in the activity log live, and the import dry run. Screenshots of the main
 * pages land in test-output/console.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, config, connectClient, everything, startGateway, tempDir, textOf, type Gateway } from '../e2e/harness.js';
import { ADMIN, ADMIN_SHOTS, JS_SHOTS, browserUnavailable, clearShots, ensureConsoleBuilt, launch, recordFailure, shot, watchErrors } from './browser.js';

const skip = browserUnavailable();

describe('web console in chromium', { skip }, () => {
  let gw: Gateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let keySecret = '';

  before(async () => {
    ensureConsoleBuilt();
    clearShots((name) => !name.startsWith(ADMIN_SHOTS) && !name.startsWith(JS_SHOTS));
    // Credentials required even on loopback: the console must work through its own sign-in.
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }));
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors = watchErrors(page);
  });

  // A failing step leaves a picture of what the browser showed.
  afterEach((t) => recordFailure(page, t, ''));

  after(async () => {
    await browser?.close();
    await gw?.stop();
  });

  test('first-run setup creates the admin and signs in; sign out and back in', async () => {
    await page.goto(gw.url);
    await page.getByRole('heading', { name: /create the first admin/i }).waitFor();
    await shot(page, 'setup');
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Password').fill('wrong password');
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'SWB_AUTH' }).waitFor();
    await shot(page, 'login');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'everything' }).first().waitFor();
    await shot(page, 'dashboard');
  });

  test('a deep link survives a reload (SPA fallback) and the session persists', async () => {
    await page.goto(`${gw.url}/servers/everything?tab=logs`);
    await page.getByRole('heading', { name: /everything/ }).waitFor();
    await page.getByRole('tab', { name: 'Logs', selected: true }).waitFor();
  });

  test('add a stdio server and see its tools', async () => {
    const memoryFile = join(tempDir('sb-browser-mem-'), 'memory.jsonl');
    await nav(page, 'Servers').click();
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    await page.getByRole('link', { name: 'Add server' }).click();
    const form = page.getByRole('form', { name: 'Add server' });
    await form.getByRole('button', { name: 'Add server' }).click();
    await form.getByText('Up to 64 letters, digits, - and _').waitFor();
    await form.getByLabel('Name').fill('memory');
    await form.getByLabel('Command').fill(process.execPath);
    await form.getByLabel('Arguments').fill(join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js'));
    await form.getByLabel('Environment').fill(`MEMORY_FILE_PATH=${memoryFile}`);
    await shot(page, 'server-add');
    await form.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('tab', { name: 'Tools', selected: true }).waitFor();
    await page.getByText('create_entities', { exact: true }).waitFor({ timeout: 30_000 });
    await nav(page, 'Servers').click();
    await page.getByRole('row').filter({ hasText: 'memory' }).getByText('healthy').waitFor({ timeout: 30_000 });
    await shot(page, 'servers');
  });

  test('invoke tools from generated forms: text, an image, and a validation message', async () => {
    await page.goto(`${gw.url}/servers/everything?tab=tools`);
    await page.getByRole('button', { name: 'Invoke echo' }).click();
    const drawer = page.getByRole('dialog', { name: 'Invoke echo' });
    await drawer.getByRole('button', { name: 'Run echo' }).click();
    await drawer.getByText('Required').waitFor();
    await drawer.getByLabel('message').fill('hello from the browser');
    await drawer.getByRole('button', { name: 'Run echo' }).click();
    await drawer.getByText('Echo: hello from the browser').waitFor();
    assert.match(await drawer.getByRole('region', { name: 'Result' }).innerText(), /in \d+(\.\d+)? m?s/);
    await shot(page, 'invoke');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Invoke get-tiny-image' }).click();
    const img = page.getByRole('dialog', { name: 'Invoke get-tiny-image' });
    await img.getByRole('button', { name: 'Run get-tiny-image' }).click();
    await img.getByRole('img', { name: /Image result/ }).waitFor();
    await page.keyboard.press('Escape');

    // A click, not uncheck(): the switch flips on the next render (optimistic update), which a busy machine may delay past uncheck()'s own check.
    await page.getByRole('switch', { name: 'get-sum enabled' }).click();
    await page.getByRole('switch', { name: 'get-sum enabled', checked: false }).waitFor();
    const listed = await (await fetch(`${gw.url}/api/servers/everything/tools`, { headers: { authorization: `Bearer ${await accessToken(page)}` } })).json();
    assert.deepEqual(listed.disabled_tools, ['get-sum']);
  });

  test('search across tools', async () => {
    await nav(page, 'Tools').click();
    await page.getByLabel('Search tools').fill('entities');
    await page.getByText('create_entities').waitFor();
    assert.equal(await page.getByText('echo', { exact: true }).count(), 0);
    await shot(page, 'tools-search');
  });

  test('create an API key, then see its calls arrive in the activity log without a reload', async () => {
    await nav(page, 'API keys').click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Name').fill('browser-key');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secretBox = page.getByTestId('new-key-secret');
    await secretBox.waitFor();
    keySecret = await secretBox.inputValue();
    assert.ok(keySecret.length > 20, 'the secret is shown once');
    await shot(page, 'key-created');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('row').filter({ hasText: 'browser-key' }).getByText('active').waitFor();
    await shot(page, 'keys');

    await nav(page, 'Activity').click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const rowsBefore = await page.getByRole('row').filter({ hasText: 'browser-key' }).count();
    assert.equal(rowsBefore, 0);
    const res = await fetch(`${gw.url}/mcp/tools/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keySecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'everything__echo', arguments: { message: 'sent with the new key' } }),
    });
    assert.equal(res.status, 200);
    const row = page.getByRole('row').filter({ hasText: 'browser-key' });
    await row.waitFor({ timeout: 10_000 });
    await shot(page, 'activity');
    await row.getByRole('button').click();
    const drawer = page.getByRole('dialog', { name: 'Activity record' });
    await drawer.getByLabel('Arguments').getByText('sent with the new key').waitFor();
    await shot(page, 'activity-detail');
    await page.keyboard.press('Escape');
  });

  test('hosted tool: write → validate → test → request publish → approve in the queue → call it through /mcp', async () => {
    await nav(page, 'Hosted tools').click();
    await page.getByRole('button', { name: 'New hosted server' }).click();
    await page.getByRole('dialog', { name: 'New hosted server' }).getByLabel('Name').fill('greeter');
    await page.getByRole('dialog', { name: 'New hosted server' }).getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: /greeter/ }).waitFor();
    await page.getByRole('button', { name: 'New tool' }).click();
    await page.getByRole('dialog', { name: 'New tool on greeter' }).getByLabel('Tool name').fill('hello');
    await page.getByRole('button', { name: 'Create and open the editor' }).click();
    const editor = page.getByRole('textbox', { name: 'Python code of hello' });
    // The first hosted-tool operation starts the sandbox (Pyodide), which takes a few seconds.
    await editor.waitFor({ timeout: 60_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(['async def main(name: str, excited: bool = False) -> str:', '    """Greet someone by name."""', '    return f"Hello, {name}" + ("!" if excited else ".")', ''].join('\n'));
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('status', { name: 'Validation' }).getByText('Valid', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText('version 2', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByLabel('name', { exact: true }).fill('Ada');
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByRole('region', { name: 'Test result' }).getByText('Hello, Ada.').waitFor({ timeout: 60_000 });
    await shot(page, 'hosted-editor');
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByLabel('Differences').getByText('Greet someone by name').waitFor();
    await page.getByRole('button', { name: 'Request publish' }).click();
    await page.getByLabel('Note for the reviewer').fill('says hello');
    await page.getByRole('dialog').getByRole('button', { name: 'Request publish' }).click();
    await page.getByText('pending review', { exact: true }).waitFor();

    await nav(page, 'Approvals').click();
    await page.getByText('“says hello”').waitFor();
    await shot(page, 'approvals');
    await page.getByRole('button', { name: 'Approve greeter/hello' }).click();
    await page.getByText('No tools in review').waitFor();
    await nav(page, 'Hosted tools').click();
    await page.getByRole('link', { name: 'greeter' }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('listed', { exact: true }).waitFor();

    const client = await connectClient(gw.url, { headers: { authorization: `Bearer ${keySecret}` } });
    try {
      const listed = await client.listTools();
      assert.ok(listed.tools.some((t) => t.name === 'greeter__hello'), 'the published tool is listed on /mcp');
      const result = await client.callTool({ name: 'greeter__hello', arguments: { name: 'MCP', excited: true } });
      assert.equal(textOf(result), 'Hello, MCP!');
    } finally {
      await client.close();
    }
  });

  test('import shows the dry-run plan before applying', async () => {
    await nav(page, 'Import / export').click();
    await page.getByLabel('Or paste JSON').fill(JSON.stringify({ mcpServers: { imported: { command: process.execPath, args: ['--version'] }, everything: { command: 'npx', args: ['x'] } } }));
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByText('Plan (nothing changed yet)').waitFor();
    const plan = page.getByRole('table');
    await plan.getByRole('row').filter({ hasText: 'imported' }).getByText('add').waitFor();
    const before = await (await fetch(`${gw.url}/api/servers/imported`, { headers: { authorization: `Bearer ${keySecret}` } })).status;
    assert.equal(before, 404, 'a dry run changes nothing');
    await plan.getByRole('row').filter({ hasText: 'everything' }).getByText('conflict').waitFor();
    await shot(page, 'import-plan');
    assert.equal(await page.getByRole('button', { name: 'Apply import' }).isDisabled(), true, 'a plan with conflicts cannot be applied');
    await page.getByLabel('Or paste JSON').fill(JSON.stringify({ mcpServers: { imported: { command: process.execPath, args: ['--version'] } } }));
    assert.equal(await page.getByRole('button', { name: 'Apply import' }).isDisabled(), true, 'an edited document needs a new preview');
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByText(/1 to add, 0 to update, 0 unchanged, 0 conflicts/).waitFor();
    await page.getByRole('button', { name: 'Apply import' }).click();
    await page.getByText(/^Applied/).waitFor();
    await nav(page, 'Approvals').click();
    await page.getByRole('button', { name: 'Approve imported' }).waitFor();
  });

  test('settings, dark theme and a narrow screen', async () => {
    await nav(page, 'Settings').click();
    await page.getByRole('heading', { name: 'Security policy and settings' }).waitFor();
    await page.getByLabel('Keep activity (days)').fill('14');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    await shot(page, 'settings');

    await nav(page, 'Dashboard').click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('.toast').first().waitFor({ state: 'detached' });
    await shot(page, 'dashboard-busy');

    await page.getByRole('button', { name: /^Theme: system/ }).click();
    await page.getByRole('button', { name: /^Theme: light/ }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset['theme']), 'dark');
    await nav(page, 'Dashboard').click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await shot(page, 'dashboard-dark');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav(page, 'Servers').click();
    await page.getByRole('row').filter({ hasText: 'memory' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling at 390 px (overflow ${overflow}px)`);
    await shot(page, 'servers-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(errors, []);
  });
});

/** A link of the main navigation (page bodies link to the same places). */
function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

async function accessToken(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('switchboard.session') ?? '{}') as { accessToken?: string }).accessToken ?? '');
}
