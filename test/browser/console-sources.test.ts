/**
 * External MCP sources of hosted servers in the console, in a real browser against a real gateway and
 * a real server-everything over Streamable HTTP on loopback: a blocked host and a literal credential
 * are refused with the API's error and nothing saved; add the source, discover its tools, import echo
 * (pending review), see the imported tool's target instead of a code editor, refuse to delete a source
 * in use, approve on the Approvals page, start the server and call the tool through /mcp. Also the
 * profiles pages following `profiles.changed` on the event stream. Screenshots: test-output/console
 * (sources-*.png).
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { config, connectClient, startGateway, startHttpEverything, textOf, type Gateway } from '../e2e/harness.js';
import { browserUnavailable, clearShots, ensureConsoleBuilt, launch, recordFailure, type Rest, setUpAdmin, shot, signedInPage } from './browser.js';

const skip = browserUnavailable();
const SHOTS = 'sources-';
const SECRET_VALUE = 'never-shown-7c1d';

describe('web console in chromium: external MCP sources of a hosted server', { skip, timeout: 240_000 }, () => {
  let gw: Gateway;
  let upstream: Awaited<ReturnType<typeof startHttpEverything>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let key = '';
  let port = '';

  let rest: Rest;

  before(async () => {
    ensureConsoleBuilt();
    clearShots((name) => name.startsWith(SHOTS));
    upstream = await startHttpEverything('streamableHttp');
    port = new URL(upstream.url).port;
    gw = await startGateway(config([], { allowUnauthenticatedLoopback: false }));
    rest = await setUpAdmin(gw.url);
    const created = await rest('POST', '/api/keys', { name: 'sources-tests', scopes: ['read', 'write', 'execute', 'admin'] });
    assert.equal(created.status, 201);
    key = created.body.secret;
    // Loopback is reachable only through an allowed-hosts entry naming that exact host and port.
    const hosted = await rest('POST', '/api/hosted-servers', { name: 'relay', allowed_hosts: [`127.0.0.1:${port}`] });
    assert.equal(hosted.status, 201, JSON.stringify(hosted.body));
    const secret = await rest('PUT', '/api/servers/relay/secrets/TOKEN', { value: SECRET_VALUE });
    assert.ok(secret.status === 200 || secret.status === 201, JSON.stringify(secret.body));

    browser = await launch();
    ({ page, errors } = await signedInPage(browser, gw.url, 15_000));
  });

  afterEach((t) => recordFailure(page, t, SHOTS));

  after(async () => {
    await browser?.close();
    await gw?.stop();
    upstream?.stop();
  });

  test('bad input: a blocked host and a literal credential are refused with the API error; nothing is created', async () => {
    await page.goto(`${gw.url}/hosted/relay`);
    await page.getByRole('tab', { name: 'Sources' }).click();
    await page.getByText('No external sources').waitFor();
    await page.getByRole('button', { name: 'Add source' }).first().click();
    const form = page.getByRole('form', { name: 'New external source' });
    await form.getByLabel('Name').fill('everything');
    // The upstream's host on another port: not on the allowed hosts.
    await form.getByLabel('URL').fill('http://127.0.0.1:1/mcp');
    await form.getByRole('button', { name: 'Add source' }).click();
    const alert = form.getByRole('alert');
    await alert.getByText('SWB_EXTERNAL_HOST_BLOCKED').waitFor();
    await form.getByRole('link', { name: 'Network tab' }).waitFor();
    await shot(page, `${SHOTS}blocked-host`);
    assert.deepEqual((await rest('GET', '/api/hosted-servers/relay/external-sources')).body.items, [], 'a blocked host saves nothing');

    await form.getByLabel('URL').fill(upstream.url);
    await form.getByRole('button', { name: 'Add a header' }).click();
    await form.getByLabel('Header 1: name').fill('Authorization');
    await form.getByLabel('Header 1: value').fill('Bearer literal-credential-123');
    await form.getByRole('button', { name: 'Add source' }).click();
    await alert.getByText('SWB_VALIDATION_FAILED').waitFor();
    await alert.getByText(/must be a \$\{secret:NAME\} reference/).first().waitFor();
    await shot(page, `${SHOTS}literal-credential`);
    assert.deepEqual((await rest('GET', '/api/hosted-servers/relay/external-sources')).body.items, [], 'a literal credential saves nothing');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  });

  test('add a source, discover, import echo, approve it, start the server and call it through /mcp', async () => {
    await page.goto(`${gw.url}/hosted/relay?tab=sources`);
    await page.getByRole('button', { name: 'Add source' }).first().click();
    const form = page.getByRole('form', { name: 'New external source' });
    await form.getByText('TOKEN', { exact: true }).waitFor(); // the server's secrets, as a hint
    await form.getByLabel('Name').fill('everything');
    await form.getByLabel('URL').fill(upstream.url);
    await form.getByLabel('Transport').selectOption('streamable-http');
    await form.getByLabel('Description').fill('server-everything on loopback');
    await form.getByRole('button', { name: 'Add a header' }).click();
    await form.getByLabel('Header 1: name').fill('Authorization');
    await form.getByLabel('Header 1: value').fill('Bearer ${secret:TOKEN}');
    await form.getByRole('button', { name: 'Add source' }).click();
    const item = page.getByRole('listitem', { name: 'Source everything' });
    await item.getByText(upstream.url).waitFor();
    await item.getByText('Streamable HTTP').waitFor();
    await item.getByText('Authorization: Bearer ${secret:TOKEN}').waitFor();
    await item.getByText(/^0 imported tools/).waitFor();
    assert.ok(!(await page.content()).includes(SECRET_VALUE), 'only the reference is shown');
    const sources = (await rest('GET', '/api/hosted-servers/relay/external-sources')).body.items;
    assert.equal(sources.length, 1);
    assert.deepEqual([sources[0].url, sources[0].transport, sources[0].headers], [upstream.url, 'streamable-http', { Authorization: 'Bearer ${secret:TOKEN}' }]);
    await page.locator('.toast').first().waitFor({ state: 'detached' });
    await shot(page, `${SHOTS}list`);

    // Discover: the source's tools with checkboxes; import echo.
    await item.getByRole('button', { name: 'Discover tools of everything' }).click();
    const drawer = page.getByRole('dialog', { name: 'Tools of everything' });
    const tools = drawer.getByRole('list', { name: 'Tools on the source' });
    await tools.getByText('echo', { exact: true }).waitFor({ timeout: 30_000 });
    await tools.getByText('get-sum', { exact: true }).waitFor();
    assert.equal(await drawer.getByRole('button', { name: 'Import selected (0)' }).isDisabled(), true, 'nothing picked, nothing to import');
    await drawer.getByLabel('Import echo').check();
    await shot(page, `${SHOTS}discover`);
    await drawer.getByRole('button', { name: 'Import selected (1)' }).click();
    const outcome = drawer.getByRole('region', { name: 'Imported' });
    await outcome.getByRole('link', { name: 'echo' }).waitFor();
    await outcome.getByText(/from echo · created · v1/).waitFor();
    await outcome.getByText('pending review').waitFor();
    // Discovered again: echo is now marked imported.
    await tools.getByRole('listitem').filter({ hasText: /^echo/ }).getByText('imported', { exact: true }).waitFor();
    await shot(page, `${SHOTS}imported`);
    const listed = (await rest('GET', '/api/hosted-servers/relay/tools')).body.items;
    assert.deepEqual(
      listed.map((t: any) => [t.name, t.kind, t.status, t.external?.tool]),
      [['echo', 'external', 'pending_review', 'echo']],
    );
    const toolId = listed[0].id as string;
    await drawer.getByRole('button', { name: 'Close' }).click();

    // Deleting a source in use is refused, with the gateway's reason.
    await item.getByText(/^1 imported tool/).waitFor();
    await item.getByRole('button', { name: 'Delete everything' }).click();
    await page.getByRole('dialog', { name: 'Delete everything?' }).getByRole('button', { name: 'Delete' }).click();
    await item.getByRole('alert').getByText('SWB_STATE_CONFLICT').waitFor();
    await item.getByRole('alert').getByText(/still forward to external source 'everything': echo/).waitFor();
    await shot(page, `${SHOTS}delete-refused`);
    assert.equal((await rest('GET', '/api/hosted-servers/relay/external-sources')).body.items.length, 1, 'the source stays');

    // Editing to a blocked URL is refused and changes nothing.
    await item.getByRole('button', { name: 'Edit everything' }).click();
    const edit = page.getByRole('form', { name: 'Edit external source' });
    await edit.getByText(/gives its 1 imported tool\(s\) a new version/).waitFor();
    await edit.getByLabel('URL').fill('http://169.254.169.254/latest');
    await edit.getByRole('button', { name: 'Save source' }).click();
    await edit.getByRole('alert').getByText('SWB_EXTERNAL_HOST_BLOCKED').waitFor();
    assert.equal((await rest('GET', '/api/hosted-servers/relay/external-sources')).body.items[0].url, upstream.url);
    await edit.getByLabel('URL').fill(upstream.url);
    await edit.getByLabel('Description').fill('server-everything, edited');
    await edit.getByRole('button', { name: 'Save source' }).click();
    await item.getByText('server-everything, edited').waitFor();
    assert.equal((await rest('GET', `/api/tools/${toolId}`)).body.version, 1, 'a description change is not a new target');

    // The imported tool's page: its target, no Python editor or validation.
    await page.getByRole('tab', { name: 'Tools' }).click();
    await page.getByText('imported from everything').waitFor();
    await page.getByRole('link', { name: 'echo' }).click();
    await page.getByRole('heading', { name: 'Imported from an external source' }).waitFor();
    await page.getByRole('link', { name: 'everything', exact: true }).waitFor();
    await page.getByText('relay__echo').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Validate' }).count(), 0, 'no validate for an imported tool');
    assert.equal(await page.getByRole('button', { name: 'Save version' }).count(), 0, 'no code to save');
    assert.equal(await page.getByLabel('Python code of echo').count(), 0, 'no code editor');
    await shot(page, `${SHOTS}tool`);

    // Approve on the Approvals page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals', exact: true }).click();
    await page.getByRole('link', { name: 'relay/echo' }).waitFor();
    await page.getByRole('button', { name: 'Approve relay/echo' }).click();
    await page.getByText('No tools in review').waitFor();
    assert.equal((await rest('GET', `/api/tools/${toolId}`)).body.status, 'approved');

    // Start the server; the tool is listed and callable on /mcp, forwarded to server-everything.
    await page.goto(`${gw.url}/hosted/relay`);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { name: /relay/ }).getByText('running').waitFor();
    const client = await connectClient(gw.url, { headers: { authorization: `Bearer ${key}` } });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('relay__echo'), names.join(', '));
      assert.equal(textOf(await client.callTool({ name: 'relay__echo', arguments: { message: 'through the console' } })), 'Echo: through the console');
    } finally {
      await client.close();
    }

    // A test run and the execution log work for an imported tool too.
    await page.getByRole('link', { name: 'echo' }).click();
    await page.getByLabel('message', { exact: true }).fill('test run');
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByRole('region', { name: 'Test result' }).getByText('Echo: test run').waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByText('Only one version so far').waitFor();
    await page.getByRole('tab', { name: 'Executions' }).click();
    await page.getByRole('list', { name: 'Executions, newest first' }).getByText('test', { exact: true }).first().waitFor();
    await shot(page, `${SHOTS}tool-executions`);
  });

  test('profiles pages follow profiles.changed: a new profile appears, an edit loads, unsaved edits are kept', async () => {
    await page.goto(`${gw.url}/profiles`);
    await page.getByText('No profiles yet').waitFor();
    assert.equal((await rest('POST', '/api/profiles', { name: 'elsewhere', description: 'made through REST', tools: [{ match: 'relay__*' }] })).status, 201);
    await page.getByRole('row').filter({ hasText: 'elsewhere' }).getByText('made through REST').waitFor();

    await page.getByRole('link', { name: 'elsewhere' }).click();
    await page.getByRole('heading', { name: 'elsewhere', exact: true }).waitFor();
    assert.equal((await rest('PUT', '/api/profiles/elsewhere', { description: 'changed through REST', tools: [{ match: 'relay__*' }] })).status, 200);
    await page.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === 'changed through REST');

    // With unsaved edits the form stays and a notice offers the new version.
    await page.getByLabel('Description', { exact: true }).fill('my unsaved words');
    assert.equal((await rest('PUT', '/api/profiles/elsewhere', { description: 'changed again', tools: [{ match: 'relay__*' }] })).status, 200);
    await page.getByText('This profile was changed elsewhere since you started editing.').waitFor();
    assert.equal(await page.getByLabel('Description', { exact: true }).inputValue(), 'my unsaved words');
    await shot(page, `${SHOTS}profile-changed`);
    await page.getByRole('button', { name: 'Load the new version (discard my edits)' }).click();
    await page.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === 'changed again');

    assert.equal((await rest('DELETE', '/api/profiles/elsewhere')).status, 204);
    await page.getByRole('alert').getByText('SWB_PROFILE_NOT_FOUND').waitFor();
    await page.goto(`${gw.url}/profiles`);
    await page.getByText('No profiles yet').waitFor();
  });

  test('the Sources tab and the discovery drawer at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${gw.url}/hosted/relay?tab=sources`);
      const item = page.getByRole('listitem', { name: 'Source everything' });
      await item.getByText(/^1 imported tool/).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no horizontal scrolling at 390 px (overflow ${overflow}px)`);
      await shot(page, `${SHOTS}narrow`);
      await item.getByRole('button', { name: 'Discover tools of everything' }).click();
      const drawer = page.getByRole('dialog', { name: 'Tools of everything' });
      await drawer.getByRole('list', { name: 'Tools on the source' }).getByText('approved', { exact: true }).waitFor({ timeout: 30_000 });
      await shot(page, `${SHOTS}discover-narrow`);
      await drawer.getByRole('button', { name: 'Close' }).click();
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(errors, []);
  });
});
