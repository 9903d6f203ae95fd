// Broadcasts in the browser: a sender writes one, recipients see it live with its mark, read it
// and reply in a 1:1 conversation; the sender sees who read and replied, and retracts it from
// an inbox that is open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  browser,
  expectNoPageErrors,
  loggedInPage,
  pickRecipient,
  screenshot,
  server,
  startServerAndBrowser,
} from './support.mjs';

startServerAndBrowser();

test('a broadcast is read and answered, counted for its author, and retracted live', async () => {
  const sam = await loggedInPage(browser, server, 'sam');
  const alice = await loggedInPage(browser, server, 'alice');
  const bob = await loggedInPage(browser, server, 'bob');
  sam.on('dialog', (dialog) => dialog.accept());

  await sam.getByRole('link', { name: 'Broadcasts' }).click();
  await pickRecipient(sam, 'broadcast-to', 'alice', /Alice/);
  await pickRecipient(sam, 'broadcast-to', 'bob', /Bob/);
  await sam.getByLabel('Subject').fill('Snow day');
  await sam.getByLabel('Message').fill('School is **closed** on Friday.');
  await sam.getByRole('button', { name: 'Send the broadcast' }).click();
  await sam.getByText('Broadcast sent to 2 recipient(s)').waitFor();
  const row = sam.getByTestId('broadcasts-table').locator('tr', { hasText: 'Snow day' });
  await row.waitFor();

  // Each recipient's open inbox shows it live, unread, with its mark.
  const aliceEntry = alice.locator('.entry', { hasText: 'Snow day' });
  await aliceEntry.locator('.tag', { hasText: 'Broadcast' }).waitFor();
  assert.match(await aliceEntry.getAttribute('class'), /unread/);
  const bobEntry = bob.locator('.entry', { hasText: 'Snow day' });
  await bobEntry.waitFor();

  // Alice reads it (opening marks it read) and replies: the reply goes to Sam alone.
  await aliceEntry.getByRole('link').click();
  await alice.locator('.message-body strong', { hasText: 'closed' }).waitFor();
  await alice.getByRole('link', { name: 'Reply', exact: true }).click();
  await alice.getByText('Your reply goes to the author of the broadcast alone.').waitFor();
  await alice.getByTestId('field-to').getByText(/Sam/).waitFor();
  assert.equal(await alice.getByTestId('field-cc').count(), 0);
  await alice.getByLabel('Message', { exact: true }).fill('Thanks for the warning.');
  await alice.getByRole('button', { name: 'Send', exact: true }).click();
  await alice.getByText('Sent to 1 recipient(s)').waitFor();

  // Sam's statistics: one read, one reply; the reply thread opens the conversation.
  await row.getByRole('link', { name: 'Snow day' }).click();
  await sam.getByTestId('read-count').getByText('1 read').waitFor();
  await sam.getByTestId('replied-count').getByText('1 replied').waitFor();
  const recipients = sam.getByTestId('broadcast-recipients');
  await recipients.locator('tr', { hasText: 'alice' }).getByRole('link').waitFor();
  assert.equal(await recipients.locator('tr', { hasText: 'bob' }).getByRole('link').count(), 0);
  await sam.getByRole('tab', { name: 'Replied' }).click();
  await sam.waitForFunction(() => document.querySelectorAll('[data-testid=broadcast-recipients] tbody tr').length === 1);
  await screenshot(sam, 'broadcast-statistics');
  await recipients.locator('tr', { hasText: 'alice' }).getByRole('link').click();
  await sam.locator('.message-body', { hasText: 'Thanks for the warning.' }).waitFor();

  // Retraction removes it from Bob's open inbox at once; Alice's reply stays with Sam.
  await sam.goBack();
  await sam.getByRole('button', { name: 'Retract' }).click();
  await sam.getByText('Broadcast retracted').waitFor();
  await bobEntry.waitFor({ state: 'detached' });
  await sam.getByRole('link', { name: 'Mail' }).click();
  await sam.locator('.entry', { hasText: 'Re: Snow day' }).waitFor();
  expectNoPageErrors(sam, alice, bob);
  for (const page of [sam, alice, bob]) await page.context().close();
});
