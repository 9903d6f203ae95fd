// What the browser tests share: a real `herald serve` on loopback with a fresh data folder,
// Debian's Chromium driven by playwright-core, logins, and API calls for setting the scene.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const adminPassword = 'admin-password';
export const demoPassword = 'demo-password';
const binary = process.env.HERALD_BINARY ?? new URL('../../build/test/src/herald', import.meta.url).pathname;
const chromiumPath = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const screenshotDir = process.env.HERALD_SCREENSHOTS ?? join(tmpdir(), 'herald-screenshots');

// Starts `herald serve --demo` on a free port; resolves once it listens.
export async function startHerald(extraArgs = []) {
  const data = mkdtempSync(join(tmpdir(), 'herald-web-'));
  const child = spawn(binary, ['serve', '--demo', '--listen', '127.0.0.1:0', '--data', data, ...extraArgs], {
    env: { ...process.env, HERALD_ADMIN_PASSWORD: adminPassword, HERALD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`herald did not start: ${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const found = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`herald exited with ${code}: ${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchChromium() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

// A browser context logged in through the login form, on the inbox.
export async function loggedInPage(browser, server, username, options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  // Uncaught errors in the page fail the test that owns it (see expectNoPageErrors).
  page.pageErrors = [];
  page.on('pageerror', (error) => page.pageErrors.push(error));
  await page.goto(server.url + '/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(username === 'admin' ? adminPassword : demoPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  return page;
}

// An API client with a bearer token, for setting up what a test is not about.
export async function apiAs(server, username) {
  const password = username === 'admin' ? adminPassword : demoPassword;
  const login = await fetch(server.url + '/api/v1/login', {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
  const { token, user } = await login.json();
  const call = async (method, path, body) => {
    const response = await fetch(server.url + '/api/v1' + path, {
      method,
      headers: { Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    user,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    del: (path) => call('DELETE', path),
  };
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

// The ids of the demo users and groups, by name.
export async function demoDirectory(server) {
  const admin = await apiAs(server, 'admin');
  const users = (await admin.get('/users?limit=200')).items;
  const groups = (await admin.get('/groups?limit=200')).items;
  return {
    user: Object.fromEntries(users.map((user) => [user.username, user])),
    group: Object.fromEntries(groups.map((group) => [group.name, group])),
  };
}

export function expectNoPageErrors(...pages) {
  for (const page of pages) {
    if (page.pageErrors.length) throw page.pageErrors[0];
  }
}

// Picks a recipient in a To/Cc field by typing and choosing the suggestion.
export async function pickRecipient(page, field, typed, suggestion) {
  const input = page.getByTestId(field).getByRole('combobox');
  await input.fill(typed);
  await page.getByRole('option', { name: suggestion }).click();
}

// The epoch time (ms) at which a page's fetch of a URL ending in `suffix` completed.
export async function fetchCompletedAt(page, suffix, method = 'POST') {
  return page.evaluate(
    ([suffix]) => {
      const entries = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.initiatorType === 'fetch' && entry.name.endsWith(suffix));
      const last = entries[entries.length - 1];
      return last ? performance.timeOrigin + last.responseEnd : null;
    },
    [suffix, method],
  );
}

// Records, in the page, the epoch time at which an inbox entry with this subject appears.
export async function watchForEntry(page, subject) {
  await page.evaluate((subject) => {
    window.__seen = window.__seen || {};
    const check = () => {
      if (window.__seen[subject]) return;
      for (const element of document.querySelectorAll('.entry .subject-text')) {
        if (element.textContent === subject) window.__seen[subject] = performance.timeOrigin + performance.now();
      }
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
    check();
  }, subject);
}

export async function entrySeenAt(page, subject) {
  return page.evaluate((subject) => window.__seen?.[subject] ?? null, subject);
}

export async function report(name, value) {
  console.log(`REPORT ${name} ${value}`);
}

// The server, the browser and the demo directory of a test file, shared by its tests: one file
// is one process (node --test), so these live bindings belong to that file alone.
export let server;
export let browser;
export let directory;

export function startServerAndBrowser() {
  before(async () => {
    server = await startHerald();
    browser = await launchChromium();
    directory = await demoDirectory(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}
