/**
 * JavaScript hosted tools in the console, in a real browser against a real gateway and sandbox: the
 * new-tool form offers the language (Python by default) and starts a JavaScript tool from the JS
 * starter; the editor highlights JavaScript; Validate sends the language, so a syntax error shows the
 * API's own message; a test run with arguments shows the result; publication is requested; the tool
 * page and the server's tool list show the language. Screenshots land in test-output/console
 * (javascript-*.png).
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { config, startGateway, type Gateway } from '../e2e/harness.js';
import { browserUnavailable, clearShots, ensureConsoleBuilt, JS_SHOTS, launch, recordFailure, type Rest, setUpAdmin, shot, signedInPage } from './browser.js';

const skip = browserUnavailable();

const BROKEN = 'export default async function main( {';
const TOOL = [
  '/**',
  ' * Greet someone by name, in JavaScript.',
  ' * @param {object} args',
  ' * @param {string} args.name - Who to greet.',
  ' * @param {boolean} [args.excited=false] - End with an exclamation mark.',
  ' */',
  'export default async function main({ name, excited = false }) {',
  '  console.log("greeting", name);',
  '  return { greeting: `Hello, ${name}` + (excited ? "!" : "."), length: name.length };',
  '}',
  '',
].join('\n');

describe('web console in chromium: JavaScript hosted tools', { skip, timeout: 240_000 }, () => {
  let gw: Gateway;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  let rest: Rest;

  before(async () => {
    ensureConsoleBuilt();
    clearShots((name) => name.startsWith(JS_SHOTS));
    gw = await startGateway(config([], { allowUnauthenticatedLoopback: false }));
    rest = await setUpAdmin(gw.url);
    browser = await launch();
    ({ page, errors } = await signedInPage(browser, gw.url, 10_000));
  });

  afterEach((t) => recordFailure(page, t, JS_SHOTS));

  after(async () => {
    await browser?.close();
    await gw?.stop();
  });

  test('create a JavaScript tool: Python is the default, the JS starter opens with JavaScript highlighting', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosted tools', exact: true }).click();
    await page.getByRole('button', { name: 'New hosted server' }).click();
    const serverForm = page.getByRole('dialog', { name: 'New hosted server' });
    await serverForm.getByLabel('Name').fill('jsgreeter');
    await serverForm.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: /jsgreeter/ }).waitFor();

    await page.getByRole('button', { name: 'New tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tool on jsgreeter' });
    const language = dialog.getByLabel('Language');
    assert.equal(await language.inputValue(), 'python', 'Python is the default language');
    await dialog.getByLabel('Tool name').fill('hello');
    await language.selectOption('javascript');
    await dialog.getByText(/JSDoc @param tags give the input schema/).waitFor();
    await shot(page, `${JS_SHOTS}new-tool`);
    await dialog.getByRole('button', { name: 'Create and open the editor' }).click();

    const editor = page.getByRole('textbox', { name: 'JavaScript code of hello' });
    // The first JavaScript call loads QuickJS in a fresh sandbox process.
    await editor.waitFor({ timeout: 60_000 });
    await editor.getByText('export default async function main', { exact: false }).waitFor();
    assert.equal(await page.getByTestId('code-editor').getAttribute('data-language'), 'javascript');
    // JavaScript highlighting: `export` and `function` are keywords (Python's grammar has neither).
    const keywordColour = (word: string) => editor.locator('span', { hasText: new RegExp(`^${word}$`) }).first().evaluate((el) => getComputedStyle(el).color);
    const plain = await editor.evaluate((el) => getComputedStyle(el).color);
    for (const word of ['export', 'function']) assert.notEqual(await keywordColour(word), plain, `${word} is highlighted as a keyword`);
    await page.getByTestId('tool-language').getByText('JavaScript', { exact: true }).waitFor();

    const stored = await rest('GET', '/api/hosted-servers/jsgreeter/tools');
    assert.equal(stored.status, 200);
    assert.equal(stored.body.items.length, 1);
    assert.equal(stored.body.items[0].language, 'javascript', 'the tool was created as JavaScript');
    assert.deepEqual(Object.keys(stored.body.items[0].input_schema.properties ?? {}), ['name'], 'the starter JSDoc gives the schema');
  });

  test('validate: a syntax error shows the API message; valid code derives the schema from JSDoc', async () => {
    const expected = await rest('POST', '/api/tools/validate-code', { code: BROKEN, language: 'javascript' });
    assert.equal(expected.status, 200);
    assert.equal(expected.body.valid, false);
    const message: string = expected.body.errors[0].message;
    assert.ok(message.length > 0);

    const editor = page.getByRole('textbox', { name: 'JavaScript code of hello' });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(BROKEN);
    await page.getByRole('button', { name: 'Validate' }).click();
    const check = page.getByRole('status', { name: 'Validation' });
    await check.getByText('Not valid', { exact: true }).waitFor({ timeout: 30_000 });
    await check.getByText(message, { exact: false }).waitFor();
    await check.getByText('(syntax)').waitFor();
    await shot(page, `${JS_SHOTS}syntax-error`);

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(TOOL);
    await page.getByRole('button', { name: 'Validate' }).click();
    await check.getByText('Valid', { exact: true }).waitFor({ timeout: 30_000 });
    await check.getByText('Derived input schema').click();
    await check.getByLabel('Derived input schema').getByText(/excited/).waitFor();
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText('version 2', { exact: true }).waitFor({ timeout: 30_000 });
  });

  test('test run with arguments shows the result and console output; request publish; the page shows JavaScript', async () => {
    const form = page.getByRole('form', { name: 'Test run' });
    await form.getByLabel('name', { exact: true }).fill('Ada');
    await form.getByLabel('excited', { exact: true }).check();
    await form.getByRole('button', { name: 'Run test' }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await result.getByText('Returned', { exact: true }).waitFor({ timeout: 60_000 });
    await result.getByText(/Hello, Ada!/).first().waitFor();
    await result.getByText('greeting Ada').waitFor();
    await shot(page, `${JS_SHOTS}test-run`);

    await page.getByRole('button', { name: 'Request publish' }).click();
    const publish = page.getByRole('dialog', { name: 'Request publication of hello' });
    await publish.getByLabel('Note for the reviewer').fill('greets in JavaScript');
    await publish.getByRole('button', { name: 'Request publish' }).click();
    await page.getByText('pending review', { exact: true }).first().waitFor();
    await page.getByTestId('tool-language').getByText('JavaScript', { exact: true }).waitFor();

    const id = (await rest('GET', '/api/hosted-servers/jsgreeter/tools')).body.items[0].id as string;
    const tool = await rest('GET', `/api/tools/${encodeURIComponent(id)}`);
    assert.equal(tool.body.status, 'pending_review');
    assert.equal(tool.body.language, 'javascript');
    assert.equal(tool.body.version, 2);

    // A reload keeps the language and the JavaScript editor; the server's list marks the tool too.
    await page.reload();
    await page.getByRole('textbox', { name: 'JavaScript code of hello' }).waitFor();
    await page.getByTestId('tool-language').getByText('JavaScript', { exact: true }).waitFor();
    await shot(page, `${JS_SHOTS}tool-page`);
    await page.getByRole('link', { name: 'jsgreeter' }).click();
    const row = page.locator('li.tool', { hasText: 'hello' });
    await row.getByText('JavaScript', { exact: true }).waitFor();
    await row.getByText('pending review', { exact: true }).waitFor();

    // Bad input through the form's API: a Python tool body declared as JavaScript is refused, nothing made.
    const refused = await rest('POST', '/api/hosted-servers/jsgreeter/tools', { name: 'bad', code: 'async def main():\n    return 1\n', language: 'javascript' });
    assert.equal(refused.status, 422);
    assert.equal((await rest('GET', '/api/hosted-servers/jsgreeter/tools')).body.items.length, 1);
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
  });
});
