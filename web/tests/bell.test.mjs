// The bell and live alerts in the browser: notices and new mail arrive live, open their link,
// are marked read and deleted; an alert shows as a toast; the browser registers for Web Push.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiAs,
  browser,
  directory,
  expectNoPageErrors,
  loggedInPage,
  screenshot,
  server,
  startServerAndBrowser,
} from './support.mjs';

startServerAndBrowser();

test('bell items arrive live, open their link, are marked read and deleted', async () => {
  const bob = await loggedInPage(browser, server, 'bob');
  await bob.getByTestId('nav-bell').click();
  await bob.getByText('No notifications.').waitFor();

  const admin = await apiAs(server, 'admin');
  await admin.post('/notices', {
    to: [`user:${directory.user.bob.id}`],
    push: { text: 'The library opens late', url: 'https://library.example.org/hours' },
  });
  const alice = await apiAs(server, 'alice');
  await alice.post('/messages', { to: [`user:${directory.user.bob.id}`], subject: 'Chess at noon', body: 'Board 3.' });

  const badge = bob.getByTestId('nav-bell').locator('.badge');
  await bob.waitForFunction(() => document.querySelector('[data-testid=nav-bell] .badge')?.textContent === '2');
  const notice = bob.locator('.bell-item', { hasText: 'The library opens late' });
  const mail = bob.locator('.bell-item', { hasText: 'Chess at noon' });
  await notice.waitFor();
  await mail.waitFor();
  assert.match(await notice.getAttribute('class'), /unread/);
  await screenshot(bob, 'bell');

  // A notice's URL opens in a new tab (answered here: this machine has no outside network);
  // opening marks the item read.
  await bob.context().route('https://library.example.org/**', (route) =>
    route.fulfill({ contentType: 'text/plain', body: 'Opening hours' }),
  );
  const [tab] = await Promise.all([
    bob.context().waitForEvent('page'),
    notice.getByRole('button', { name: 'Open' }).click(),
  ]);
  await tab.waitForLoadState();
  assert.equal(tab.url(), 'https://library.example.org/hours');
  assert.equal(await tab.evaluate(() => window.opener), null);
  await tab.close();
  await bob.waitForFunction(() => document.querySelector('[data-testid=nav-bell] .badge')?.textContent === '1');
  assert.doesNotMatch(await notice.getAttribute('class'), /unread/);

  // New mail's item opens the message in the app.
  await mail.getByRole('button', { name: 'Open' }).click();
  await bob.getByRole('heading', { name: 'Chess at noon' }).waitFor();
  assert.equal(await badge.count(), 0);

  await bob.getByTestId('nav-bell').click();
  await notice.getByRole('button', { name: /Delete/ }).click();
  await notice.waitFor({ state: 'detached' });
  const left = await (await apiAs(server, 'bob')).get('/notifications');
  assert.deepEqual(
    left.items.map((item) => item.title),
    ['New mail from Alice Martin'],
  );
  expectNoPageErrors(bob);
  await bob.context().close();
});

test('an alert to the session shows as a toast', async () => {
  const carol = await loggedInPage(browser, server, 'carol');
  await carol.waitForFunction(() => !document.querySelector('.offline'));
  const admin = await apiAs(server, 'admin');
  const sessions = await admin.get('/sessions?user=carol');
  assert.equal(sessions.items.length, 1);
  assert.equal(sessions.items[0].client, 'herald-web');
  const reply = await admin.post('/sessions/alert', { text: 'Fire drill at three', session: sessions.items[0].id });
  assert.equal(reply.delivered, 1);
  const toast = carol.locator('.toast-alert', { hasText: 'Fire drill at three' });
  await toast.waitFor();
  await toast.getByText('Alert from admin').waitFor();
  await screenshot(carol, 'alert');
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await toast.waitFor({ state: 'detached' });
  expectNoPageErrors(carol);
  await carol.context().close();
});

test('the browser registers for Web Push with a service worker when the user allows it', async () => {
  const dave = await loggedInPage(browser, server, 'dave');
  await dave.context().grantPermissions(['notifications'], { origin: server.url });
  // This machine cannot reach a browser vendor's push service, so the subscription itself is
  // the one thing made up here: the permission, the service worker, the server's VAPID key and
  // the device registration are real.
  await dave.evaluate(() => {
    const json = {
      endpoint: 'https://push.example.net/send/browser-test',
      expirationTime: null,
      keys: {
        p256dh: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
        auth: 'BTBZMqHH6r4Tts7J_aSIgg',
      },
    };
    PushManager.prototype.getSubscription = async () => null;
    PushManager.prototype.subscribe = async function (options) {
      window.__subscribedWith = options.applicationServerKey.byteLength;
      return { endpoint: json.endpoint, toJSON: () => json };
    };
  });
  await dave.getByTestId('nav-bell').click();
  await dave.getByRole('button', { name: 'Get push notifications on this browser' }).click();
  await dave.locator('.toolbar').getByText('Push notifications are on for this browser').waitFor();
  assert.equal(await dave.evaluate(() => window.__subscribedWith), 65); // the VAPID public key
  const scope = await dave.evaluate(async () => (await navigator.serviceWorker.getRegistration('/'))?.scope);
  assert.equal(scope, server.url + '/');
  const devices = await (await apiAs(server, 'dave')).get('/devices');
  assert.equal(devices.items.length, 1);
  assert.equal(devices.items[0].platform, 'webpush');
  assert.equal(devices.items[0].endpoint, 'https://push.example.net/send/browser-test');
  assert.match(devices.items[0].name, /Chrome on Linux/);
  expectNoPageErrors(dave);
  await dave.context().close();
});
