// What holds for every screen: the first inbox screen's time (reported), the JavaScript's
// size, the Content Security Policy, French and English, phone width, and the keyboard.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import {
  browser,
  demoPassword,
  expectNoPageErrors,
  loggedInPage,
  report,
  screenshot,
  server,
  startServerAndBrowser,
} from './support.mjs';

startServerAndBrowser();

test('the first inbox screen is usable soon after navigation (reported)', async () => {
  const page = await loggedInPage(browser, server, 'alice');
  const times = [];
  for (let run = 0; run < 5; run++) {
    await page.goto(server.url + '/mail/inbox');
    await page.waitForFunction(() => performance.getEntriesByName('herald:inbox-ready').length === 1);
    times.push(await page.evaluate(() => performance.getEntriesByName('herald:inbox-ready')[0].startTime));
  }
  times.sort((a, b) => a - b);
  await report('first_inbox_screen_ms_median', times[2].toFixed(1));
  await report('first_inbox_screen_ms_max', times[4].toFixed(1));
  expectNoPageErrors(page);
  await page.context().close();
});

test('the JavaScript shipped is under 150 KiB gzipped, and every file is gzipped', async () => {
  const html = await (await fetch(server.url + '/')).text();
  const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((found) => found[1]);
  assert.ok(scripts.length > 0);
  let total = 0;
  for (const src of scripts) {
    const raw = await fetch(server.url + src, { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(raw.status, 200);
    total += (await raw.arrayBuffer()).byteLength;
  }
  // What goes over the wire: the gzipped bytes, read without decoding.
  let gzipped = 0;
  for (const src of scripts) {
    const bytes = await new Promise((resolve, reject) => {
      request(server.url + src, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
        assert.equal(response.headers['content-encoding'], 'gzip');
        assert.match(response.headers['cache-control'], /immutable/);
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    gunzipSync(bytes); // it is real gzip
    gzipped += bytes.length;
  }
  await report('javascript_bytes', total);
  await report('javascript_gzip_bytes', gzipped);
  assert.ok(gzipped < 150 * 1024, `${gzipped} bytes of gzipped JavaScript`);
});

test('pages carry a Content Security Policy that allows no inline script, and have none', async () => {
  for (const path of ['/', '/mail/inbox', '/messages/1', '/admin/users']) {
    const response = await fetch(server.url + path);
    assert.equal(response.status, 200);
    const policy = response.headers.get('content-security-policy');
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.match(policy, /frame-ancestors 'none'/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
  }
  assert.equal((await fetch(server.url + '/assets/missing.js')).status, 404);
  assert.equal((await fetch(server.url + '/api/v1/nothing')).status, 404);

  // Chromium enforces it: an inline script added to the page does not run.
  const page = await loggedInPage(browser, server, 'bob');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
  });
  assert.equal(await page.evaluate(() => window.__inline), undefined);
  await page.context().close();
});

test('the language follows the browser and can be switched', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  await page.getByLabel("Nom d’utilisateur").fill('carol');
  await page.getByLabel('Mot de passe').fill(demoPassword);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Boîte de réception' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await screenshot(page, 'inbox-fr');
  await page.getByRole('combobox', { name: 'Langue' }).first().selectOption('en');
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor(); // the choice is kept
  await context.close();
});

test('at phone width nothing overflows and the mail is usable', async () => {
  const page = await loggedInPage(browser, server, 'alice', {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide`);
  await page.getByRole('link', { name: 'Write' }).click();
  await page.getByTestId('field-to').waitFor();
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
  await screenshot(page, 'phone-compose');
  await page.getByTestId('folder-inbox').click();
  await screenshot(page, 'phone-inbox');
  expectNoPageErrors(page);
  await page.context().close();
});

test('the keyboard alone logs in, picks a recipient and sends', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await page.getByLabel('Username').focus();
  await page.keyboard.type('dave');
  await page.keyboard.press('Tab');
  await page.keyboard.type(demoPassword);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();

  await page.keyboard.press('Tab'); // the skip link comes first
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.goto(server.url + '/compose');
  await page.getByTestId('field-to').getByRole('combobox').focus();
  await page.keyboard.type('car');
  await page.getByRole('option', { name: /Carol/ }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.getByTestId('field-to').getByText(/Carol/).waitFor();
  await page.getByLabel('Subject').focus();
  await page.keyboard.type('Typed without a mouse');
  await page.getByLabel('Message', { exact: true }).focus();
  await page.keyboard.type('Hello.');
  await page.getByRole('button', { name: 'Send', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Sent to 1 recipient(s)').waitFor();
  await context.close();
});
