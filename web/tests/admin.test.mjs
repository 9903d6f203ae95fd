// The admin console in the browser: users and devices with search, multi-select and
// Actions > Send message with each recipient's outcome; groups and members; communication
// rules; live sessions filtered by name, alerted and dropped; deliveries of a message.
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

test('users are searched, selected and sent a message, and told who could not get it', async () => {
  const admin = await loggedInPage(browser, server, 'admin');
  await admin.getByRole('link', { name: 'Admin' }).click();
  const table = admin.getByTestId('users-table');
  await table.getByRole('cell', { name: 'alice', exact: true }).waitFor();
  await admin.getByPlaceholder('Search users').fill('ali');
  await admin.waitForFunction(() => document.querySelectorAll('[data-testid=users-table] tbody tr').length === 1);
  await admin.getByRole('checkbox', { name: 'Select Alice Martin' }).check();
  await admin.getByPlaceholder('Search users').fill('');
  await admin.getByRole('checkbox', { name: 'Select Bob Dupont' }).check();
  await admin.getByText('2 selected').waitFor();
  await screenshot(admin, 'admin-users');

  await admin.getByText('Actions', { exact: true }).click();
  await admin.getByRole('menuitem', { name: 'Send message' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Send message' });
  await dialog.getByLabel('Subject').fill('Server maintenance');
  await dialog.getByLabel('Message', { exact: true }).fill('Tonight from 22:00.');
  await dialog.getByLabel('Send a push notification').check();
  await dialog.getByLabel('Notification text').fill('Maintenance tonight');
  await dialog.getByLabel('Link (optional)').fill('https://status.example.org');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  const outcome = dialog.getByTestId('notice-outcome');
  await outcome.getByText('Sent to 2 recipient(s).').waitFor();
  // No demo user has a device, and this server has no SMTP relay: both are said, per person.
  const aliceRow = outcome.locator('tr', { hasText: 'alice' });
  await aliceRow.getByText(/No device — no registered device/).waitFor();
  await aliceRow.getByText(/Failed — email is not configured/).waitFor();
  await screenshot(admin, 'admin-send-message');
  await dialog.getByRole('button', { name: 'Close' }).first().click();

  const bell = await (await apiAs(server, 'bob')).get('/notifications');
  assert.equal(bell.items[0].text, 'Maintenance tonight');
  expectNoPageErrors(admin);
  await admin.context().close();
});

test('a device is found by its owner and sent a push from its own page', async () => {
  const carol = await apiAs(server, 'carol');
  await carol.post('/devices', { platform: 'fcm', name: 'Carol phone', token: 'fcm-token-carol' });
  const admin = await loggedInPage(browser, server, 'admin');
  await admin.goto(server.url + '/admin/devices');
  await admin.getByPlaceholder('Search devices or users').fill('carol');
  await admin.getByRole('link', { name: 'Carol phone' }).click();
  await admin.getByRole('heading', { name: 'Carol phone' }).waitFor();
  await admin.getByText('fcm-token-carol').waitFor();
  await admin.getByRole('button', { name: 'Send message' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Send message' });
  await dialog.getByLabel('Send an email').uncheck();
  await dialog.getByLabel('Send a push notification').check();
  await dialog.getByLabel('Notification text').fill('Your phone: please update');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  const row = dialog.getByTestId('notice-outcome').locator('tr', { hasText: 'carol' });
  await row.waitFor();
  // FCM has no key on this server: the push is refused with its reason, not silently dropped.
  await row.getByText(/Failed — FCM is not configured/).waitFor();
  expectNoPageErrors(admin);
  await admin.context().close();
});

test('groups get members, and rules say who may write to whom', async () => {
  const admin = await loggedInPage(browser, server, 'admin');
  await admin.goto(server.url + '/admin/groups');
  await admin.getByRole('textbox', { name: 'Name' }).fill('Chess club');
  await admin.getByRole('button', { name: 'Add', exact: true }).click();
  await admin.getByRole('link', { name: 'Chess club' }).click();
  await admin.getByRole('heading', { name: '0 member(s)' }).waitFor();
  await admin.getByPlaceholder('Search users').fill('dave');
  await admin.getByRole('button', { name: /Add Dave/ }).click();
  await admin.getByTestId('group-members').getByText('Dave').waitFor();
  await admin.getByRole('heading', { name: '1 member(s)' }).waitFor();

  await admin.getByRole('link', { name: 'Rules' }).click();
  await admin.getByText('No rules: everyone may write to everyone.').waitFor();
  await admin.getByLabel('Members of').selectOption({ label: 'Chess club' });
  await admin.getByLabel('may write to').selectOption({ label: 'Staff' });
  await admin.getByRole('button', { name: 'Add', exact: true }).click();
  await admin.getByTestId('rules').getByText('Members of Chess club may write to Staff').waitFor();

  // The rule is enforced: Dave may address Staff, and no longer Class 5A.
  const dave = await apiAs(server, 'dave');
  const staff = directory.group['Staff'].id;
  const reply = await dave.post('/messages', { to: [`group:${staff}`], subject: 'Hello staff', body: 'x' });
  assert.ok(reply.recipient_count > 0);
  await assert.rejects(
    dave.post('/messages', { to: [`group:${directory.group['Class 5A'].id}`], subject: 'x', body: 'x' }),
    /403/,
  );
  await admin.getByRole('button', { name: 'Remove' }).click();
  await admin.getByText('No rules: everyone may write to everyone.').waitFor();
  expectNoPageErrors(admin);
  await admin.context().close();
});

test('sessions are listed by name, alerted one by one, and dropped', async () => {
  const bob = await loggedInPage(browser, server, 'bob');
  await bob.waitForFunction(() => !document.querySelector('.offline'));
  const admin = await loggedInPage(browser, server, 'admin');
  await admin.goto(server.url + '/admin/sessions');
  const table = admin.getByTestId('sessions-table');
  await table.locator('tr', { hasText: 'admin' }).first().waitFor();
  await admin.getByPlaceholder('Filter by user name').fill('bob');
  await admin.waitForFunction(
    () => [...document.querySelectorAll('[data-testid=sessions-table] tbody tr')].every((row) => row.textContent.includes('bob')),
  );
  const row = table.locator('tr', { hasText: 'bob' });
  await row.waitFor();
  await screenshot(admin, 'admin-sessions');

  await row.getByRole('button', { name: 'Alert' }).click();
  await admin.getByLabel('Alert text').fill('Please save your work');
  await admin.getByRole('button', { name: 'Send an alert' }).click();
  await admin.getByText('Alert shown in 1 session(s)').waitFor();
  await bob.locator('.toast-alert', { hasText: 'Please save your work' }).waitFor();

  await row.getByRole('button', { name: 'Drop' }).click();
  await bob.getByText('An administrator ended this live session.').waitFor();
  await bob.locator('.offline').waitFor();
  await admin.getByText('No open sessions.').waitFor();
  expectNoPageErrors(admin, bob);
  await admin.context().close();
  await bob.context().close();
});

test("a notice's deliveries are listed for its author", async () => {
  const admin = await apiAs(server, 'admin');
  const notice = await admin.post('/notices', {
    to: [`user:${directory.user.alice.id}`],
    email: { subject: 'Reminder', body: 'Forms are due.' },
  });
  const page = await loggedInPage(browser, server, 'admin');
  await page.goto(`${server.url}/admin/deliveries/${notice.id}`);
  await page.getByRole('heading', { name: `Deliveries of message ${notice.id}` }).waitFor();
  const row = page.getByTestId('deliveries-table').locator('tr', { hasText: 'alice' });
  await row.getByRole('cell', { name: 'email', exact: true }).waitFor();
  expectNoPageErrors(page);
  await page.context().close();
});
