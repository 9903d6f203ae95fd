// Mail in the browser: two people write, receive live, reply, reply all, forward with
// attachments, keep drafts, and clear their inbox with the checkboxes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiAs,
  browser,
  directory,
  entrySeenAt,
  expectNoPageErrors,
  fetchCompletedAt,
  loggedInPage,
  pickRecipient,
  report,
  screenshot,
  server,
  startServerAndBrowser,
  watchForEntry,
} from './support.mjs';

startServerAndBrowser();

// A 2x2 PNG, red.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('a mail sent in one browser shows live in the other, is read, and answered', async () => {
  const alice = await loggedInPage(browser, server, 'alice');
  const bob = await loggedInPage(browser, server, 'bob');
  await watchForEntry(bob, 'Lunch on Friday');

  await alice.getByRole('link', { name: 'Write' }).click();
  await pickRecipient(alice, 'field-to', 'bob', /Bob/);
  await alice.getByLabel('Subject').fill('Lunch on Friday');
  await alice.getByLabel('Message', { exact: true }).fill('**Bring** a map: <https://example.org/map>');
  await alice.getByRole('tab', { name: 'Preview' }).click();
  await alice.getByTestId('preview').locator('strong', { hasText: 'Bring' }).waitFor();
  await alice.getByRole('button', { name: 'Send', exact: true }).click();
  await alice.getByText('Sent to 1 recipient(s)').waitFor();

  // Bob's open inbox gets it from the live session, unread, in bold.
  const entry = bob.locator('.entry', { hasText: 'Lunch on Friday' });
  await entry.waitFor();
  const sentAt = await fetchCompletedAt(alice, '/api/v1/messages');
  const seenAt = await entrySeenAt(bob, 'Lunch on Friday');
  assert.ok(sentAt && seenAt, 'both times recorded');
  await report('live_mail_ms', (seenAt - sentAt).toFixed(1));
  assert.match(await entry.getAttribute('class'), /unread/);
  assert.equal(await entry.locator('.subject-text').evaluate((e) => getComputedStyle(e).fontWeight), '700');
  await bob.getByTestId('nav-mail').getByText('1').waitFor();
  await bob.waitForFunction(() => document.title === '(1) herald');
  await screenshot(bob, 'inbox');

  // Reading it marks it read; the link opens in a new tab without an opener.
  await entry.getByRole('link').click();
  await bob.getByRole('heading', { name: 'Lunch on Friday' }).waitFor();
  const link = bob.locator('.message-body a');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.match(await link.getAttribute('rel'), /noopener/);
  await bob.locator('.message-body strong', { hasText: 'Bring' }).waitFor();
  await screenshot(bob, 'message');
  await bob.getByRole('link', { name: 'Reply', exact: true }).click();
  await bob.getByTestId('field-to').getByText('Alice Martin').waitFor();
  assert.equal(await bob.getByLabel('Subject').inputValue(), 'Re: Lunch on Friday');
  await bob.getByLabel('Message', { exact: true }).fill('See you there.');
  await bob.getByRole('button', { name: 'Send', exact: true }).click();
  await bob.getByRole('heading', { name: 'Inbox' }).waitFor();
  assert.equal(await bob.locator('.entry.unread', { hasText: 'Lunch on Friday' }).count(), 0);

  // Alice gets the reply live and sees the thread.
  await alice.getByTestId('folder-inbox').click();
  await alice.locator('.entry', { hasText: 'Re: Lunch on Friday' }).getByRole('link').click();
  const thread = alice.getByRole('region', { name: 'Thread' });
  await thread.getByRole('listitem').nth(1).waitFor();
  assert.equal(await thread.getByRole('listitem').count(), 2);
  expectNoPageErrors(alice, bob);
  await alice.context().close();
  await bob.context().close();
});

test('markup in a subject or a body shows as text and never runs', async () => {
  const attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  const alice = await apiAs(server, 'alice');
  await alice.post('/messages', { to: [`user:${directory.user.bob.id}`], subject: attack, body: attack });
  const bob = await loggedInPage(browser, server, 'bob');
  const entry = bob.locator('.entry', { hasText: '<img src=x' });
  await entry.waitFor();
  assert.equal(await entry.locator('.subject-text').textContent(), attack);
  await entry.getByRole('link').click();
  await bob.getByRole('heading', { name: '<img src=x' }).waitFor();
  assert.equal(await bob.locator('.message-body img, .message-body script, .message-head img').count(), 0);
  await bob.getByTestId('nav-bell').click();
  await bob.locator('.bell-item', { hasText: '<img src=x' }).waitFor();
  assert.equal(await bob.locator('.bell-items img').count(), 0);
  assert.equal(await bob.evaluate(() => window.__xss), undefined);
  expectNoPageErrors(bob);
  await bob.context().close();
});

test('attachments upload with progress, images show inline, and a forward carries them', async () => {
  const alice = await loggedInPage(browser, server, 'alice');
  await alice.getByRole('link', { name: 'Write' }).click();
  await pickRecipient(alice, 'field-to', 'bob', /Bob/);
  await alice.getByLabel('Subject').fill('Photos of the trip');
  await alice.getByLabel('Message', { exact: true }).fill('Two files.');
  await alice.getByTestId('file-input').setInputFiles([
    { name: 'red.png', mimeType: 'image/png', buffer: png },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('trip notes\n') },
  ]);
  await alice.locator('.uploads li', { hasText: 'red.png' }).waitFor();
  await alice.waitForFunction(() => document.querySelectorAll('.uploads progress').length === 0);
  await screenshot(alice, 'compose');
  await alice.getByRole('button', { name: 'Send', exact: true }).click();
  await alice.getByText('Sent to 1 recipient(s)').waitFor();

  const bob = await loggedInPage(browser, server, 'bob');
  const entry = bob.locator('.entry', { hasText: 'Photos of the trip' });
  await entry.getByLabel('Has attachments').waitFor();
  await entry.getByRole('link').click();
  const image = bob.locator('.attachment img');
  await image.waitFor();
  await bob.waitForFunction(() => document.querySelector('.attachment img')?.naturalWidth === 2);
  const download = bob.getByRole('link', { name: 'notes.txt' });
  assert.equal(await download.getAttribute('download'), 'notes.txt');

  await bob.getByRole('link', { name: 'Forward' }).click();
  await bob.getByText('The 2 attachment(s) of the original go with it.').waitFor();
  assert.equal(await bob.getByLabel('Subject').inputValue(), 'Fwd: Photos of the trip');
  await pickRecipient(bob, 'field-to', 'carol', /Carol/);
  await bob.getByRole('button', { name: 'Send', exact: true }).click();
  await bob.getByText('Sent to 1 recipient(s)').waitFor();

  const carol = await apiAs(server, 'carol');
  const inbox = await carol.get('/folders/inbox/messages');
  const forwarded = inbox.items.find((item) => item.subject === 'Fwd: Photos of the trip');
  assert.ok(forwarded?.has_attachments, 'the forward reached carol with its attachments');
  expectNoPageErrors(alice, bob);
  await alice.context().close();
  await bob.context().close();
});

test('a file dropped on the compose form is uploaded and sent with the mail', async () => {
  const alice = await loggedInPage(browser, server, 'alice');
  await alice.getByRole('link', { name: 'Write' }).click();
  await pickRecipient(alice, 'field-to', 'dave', /Dave/);
  await alice.getByLabel('Subject').fill('Dropped file');
  const dataTransfer = await alice.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['minutes of the meeting\n'], 'minutes.txt', { type: 'text/plain' }));
    return transfer;
  });
  await alice.dispatchEvent('form.compose', 'dragover', { dataTransfer });
  await alice.dispatchEvent('form.compose', 'drop', { dataTransfer });
  await alice.locator('.uploads li', { hasText: 'minutes.txt' }).waitFor();
  await alice.waitForFunction(() => document.querySelectorAll('.uploads progress').length === 0);
  await alice.getByRole('button', { name: 'Send', exact: true }).click();
  await alice.getByText('Sent to 1 recipient(s)').waitFor();

  const dave = await apiAs(server, 'dave');
  const entry = (await dave.get('/folders/inbox/messages')).items.find((item) => item.subject === 'Dropped file');
  const message = await dave.get(`/messages/${entry.id}`);
  assert.deepEqual(
    message.attachments.map((attachment) => attachment.name),
    ['minutes.txt'],
  );
  expectNoPageErrors(alice);
  await alice.context().close();
});

test('reply all addresses the original To and Cc less the replier', async () => {
  const alice = await apiAs(server, 'alice');
  await alice.post('/messages', {
    to: [`user:${directory.user.bob.id}`],
    cc: [`user:${directory.user.carol.id}`],
    subject: 'Staff meeting',
    body: 'Room 12.',
  });
  const bob = await loggedInPage(browser, server, 'bob');
  await bob.locator('.entry', { hasText: 'Staff meeting' }).getByRole('link').click();
  await bob.getByRole('link', { name: 'Reply all' }).click();
  const to = bob.getByTestId('field-to');
  await to.getByText('Alice Martin').waitFor();
  await to.getByText(/Carol/).waitFor();
  assert.equal(await to.getByText(/Bob/).count(), 0);
  await bob.getByLabel('Message', { exact: true }).fill('Fine by me.');
  await bob.getByRole('button', { name: 'Send', exact: true }).click();
  await bob.getByText('Sent to 2 recipient(s)').waitFor();
  expectNoPageErrors(bob);
  await bob.context().close();
});

test('a draft is saved, found in Drafts, edited and sent', async () => {
  const dave = await loggedInPage(browser, server, 'dave');
  await dave.getByRole('link', { name: 'Write' }).click();
  await pickRecipient(dave, 'field-to', 'Class', /Class 5A/);
  await dave.getByLabel('Subject').fill('Homework (draft)');
  await dave.getByLabel('Message', { exact: true }).fill('Page 12.');
  await dave.getByRole('button', { name: 'Save draft' }).click();
  await dave.getByText('Draft saved').waitFor();
  await dave.getByTestId('folder-drafts').click();
  await dave.locator('.entry', { hasText: 'Homework (draft)' }).getByRole('link').click();
  await dave.getByRole('heading', { name: 'Edit draft' }).waitFor();
  await dave.getByLabel('Subject').fill('Homework');
  await dave.getByRole('button', { name: 'Send', exact: true }).click();
  await dave.getByText(/Sent to \d+ recipient\(s\)/).waitFor();
  await dave.getByTestId('folder-drafts').click();
  await dave.getByText('Nothing here.').waitFor();
  await dave.getByTestId('folder-sent').click();
  await dave.locator('.entry', { hasText: 'Homework' }).getByText('To: Class 5A').waitFor();
  expectNoPageErrors(dave);
  await dave.context().close();
});

test('cancel leaves the compose form without sending, and entries are marked read and unread', async () => {
  const carol = await loggedInPage(browser, server, 'carol');
  carol.on('dialog', (dialog) => dialog.accept()); // "Discard this message?"
  await carol.getByRole('link', { name: 'Write' }).click();
  await pickRecipient(carol, 'field-to', 'dave', /Dave/);
  await carol.getByLabel('Subject').fill('Never sent');
  await carol.getByLabel('Message', { exact: true }).fill('Changed my mind.');
  await carol.getByRole('button', { name: 'Cancel' }).click();
  await carol.getByRole('heading', { name: 'Inbox' }).waitFor();
  const sent = await (await apiAs(server, 'carol')).get('/folders/sent/messages');
  assert.equal(sent.items.filter((item) => item.subject === 'Never sent').length, 0);
  const drafts = await (await apiAs(server, 'carol')).get('/folders/drafts/messages');
  assert.equal(drafts.items.filter((item) => item.subject === 'Never sent').length, 0);

  const alice = await apiAs(server, 'alice');
  await alice.post('/messages', { to: [`user:${directory.user.carol.id}`], subject: 'Read me later', body: 'x' });
  const entry = carol.locator('.entry', { hasText: 'Read me later' });
  await entry.waitFor();
  const checkbox = carol.getByRole('checkbox', { name: 'Select “Read me later”' });
  await checkbox.check();
  const isUnread = () =>
    carol.evaluate(() =>
      [...document.querySelectorAll('.entry')].some(
        (row) => row.textContent.includes('Read me later') && row.classList.contains('unread'),
      ),
    );
  await carol.getByRole('button', { name: 'Mark read' }).click();
  await carol.waitForFunction(
    () => ![...document.querySelectorAll('.entry.unread')].some((row) => row.textContent.includes('Read me later')),
  );
  await checkbox.check();
  await carol.getByRole('button', { name: 'Mark unread' }).click();
  await carol.locator('.entry.unread', { hasText: 'Read me later' }).waitFor();
  assert.equal(await isUnread(), true);

  // Opening it marks it read; "Mark unread" on the message sets it back.
  await entry.getByRole('link').click();
  await carol.getByRole('heading', { name: 'Read me later' }).waitFor();
  const carolApi = await apiAs(server, 'carol');
  const stillUnread = async () =>
    (await carolApi.get('/folders/inbox/messages?unread=true')).items.some((item) => item.subject === 'Read me later');
  for (let tries = 0; (await stillUnread()) && tries < 100; tries++) await carol.waitForTimeout(50);
  assert.equal(await stillUnread(), false, 'opening the message marked it read');
  await carol.getByRole('button', { name: 'Mark unread' }).click();
  await carol.locator('.entry.unread', { hasText: 'Read me later' }).waitFor();
  expectNoPageErrors(carol);
  await carol.context().close();
});

test('checked entries go to the trash, come back, and are deleted for good', async () => {
  const sam = await apiAs(server, 'sam');
  for (const subject of ['Old news 1', 'Old news 2']) {
    await sam.post('/messages', { to: [`user:${directory.user.carol.id}`], subject, body: 'x' });
  }
  const carol = await loggedInPage(browser, server, 'carol');
  carol.on('dialog', (dialog) => dialog.accept());
  for (const subject of ['Old news 1', 'Old news 2']) {
    await carol.getByRole('checkbox', { name: `Select “${subject}”` }).check();
  }
  await carol.getByRole('button', { name: 'Delete', exact: true }).click();
  await carol.getByText('2 message(s) moved to the trash').waitFor();
  assert.equal(await carol.locator('.entry', { hasText: 'Old news' }).count(), 0);

  await carol.getByTestId('folder-trash').click();
  await carol.locator('.entry', { hasText: 'Old news 2' }).waitFor();
  await screenshot(carol, 'trash');
  await carol.getByRole('checkbox', { name: 'Select “Old news 1”' }).check();
  await carol.getByRole('button', { name: 'Restore' }).click();
  await carol.getByText('1 message(s) restored').waitFor();
  await carol.getByRole('checkbox', { name: 'Select “Old news 2”' }).check();
  await carol.getByRole('button', { name: 'Delete for good' }).click();
  await carol.getByText('1 message(s) deleted for good').waitFor();
  await carol.getByText('Nothing here.').waitFor();

  await carol.getByTestId('folder-inbox').click();
  await carol.locator('.entry', { hasText: 'Old news 1' }).waitFor();
  assert.equal(await carol.locator('.entry', { hasText: 'Old news 2' }).count(), 0);
  expectNoPageErrors(carol);
  await carol.context().close();
});
