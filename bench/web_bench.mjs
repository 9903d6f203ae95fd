// The web UI's bars in Chromium against a running herald (HERALD_BINARY): the first inbox
// screen after navigation, a new mail's delay from the send's reply to the recipient's open
// inbox, and the JavaScript's gzipped size. Prints one line per figure.
import { gzipSync } from 'node:zlib';
import {
  apiAs,
  demoDirectory,
  entrySeenAt,
  launchChromium,
  loggedInPage,
  startHerald,
  watchForEntry,
} from '../web/tests/support.mjs';

const navigations = Number(process.env.NAVIGATIONS ?? 30);
const sends = Number(process.env.SENDS ?? 50);

function summary(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(
    `${name}: n=${sorted.length} median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, ` +
      `max ${sorted[sorted.length - 1].toFixed(1)} ms`,
  );
}

const server = await startHerald();
const browser = await launchChromium();
try {
  const directory = await demoDirectory(server);
  const alice = await apiAs(server, 'alice');
  const bob = await apiAs(server, 'bob');
  for (let i = 0; i < 60; i++) {
    await bob.post('/messages', { to: [`user:${directory.user.alice.id}`], subject: `Seed ${i}`, body: 'x'.repeat(200) });
  }

  // First screen: a fresh navigation to the inbox, the time until its first page is on screen.
  const page = await loggedInPage(browser, server, 'alice');
  const firstScreen = [];
  for (let i = 0; i < navigations; i++) {
    await page.goto(server.url + '/mail/inbox');
    await page.waitForFunction(() => performance.getEntriesByName('herald:inbox-ready').length === 1);
    firstScreen.push(await page.evaluate(() => performance.getEntriesByName('herald:inbox-ready')[0].startTime));
  }
  summary('first inbox screen (50 entries), from navigation', firstScreen);
  await page.context().close();

  // Live mail: Bob's inbox is open; Alice sends through the API; the time from the reply to the
  // entry appearing in Bob's page (both clocks are this machine's).
  const open = await loggedInPage(browser, server, 'bob');
  await open.waitForFunction(() => !document.querySelector('.offline'));
  const delays = [];
  for (let i = 0; i < sends; i++) {
    const subject = `Live ${i}`;
    await watchForEntry(open, subject);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await alice.post('/messages', { to: [`user:${directory.user.bob.id}`], subject, body: 'Hello.' });
    const replied = Date.now();
    await open.locator('.entry', { hasText: subject }).first().waitFor();
    delays.push((await entrySeenAt(open, subject)) - replied);
  }
  summary('new mail in the open inbox, from the send reply', delays);
  summary('  the same without the first', delays.slice(1));

  const html = await (await fetch(server.url + '/')).text();
  let raw = 0;
  let gzipped = 0;
  for (const [, src] of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    const bytes = Buffer.from(await (await fetch(server.url + src)).arrayBuffer());
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  console.log(`javascript: ${raw} bytes, ${gzipped} bytes gzipped`);
} finally {
  await browser.close();
  await server.stop();
}
