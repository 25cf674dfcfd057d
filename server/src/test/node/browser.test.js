'use strict';
// The chat page in a real (headless) Chromium, driven by playwright-core.
// Run: SWITCHBOARD_JAR=/abs/server/target/switchboard-server.jar [SWITCHBOARD_TEST_PG_URL=postgresql://...] \
//      [CHROMIUM_BIN=/usr/bin/chromium] node --test browser.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('./lib/server');
const { uniq } = require('./lib/util');

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const TARGET = path.resolve(__dirname, '../../../target');

let server;
let context;
let profileDir;
let alice;
let bob;
const dialogs = [];
const pageErrors = [];
const failedResponses = []; // every response of 400 or more to a request of any page (a missing favicon, ...)
const INPUT = '[data-testid="message-input"]';
const room = uniq('lobby');

before(async () => {
  // Pings every 2 s with a 1 s pong timeout: a page that failed to answer pings would be dropped (3012).
  server = await startServer({ conf: 'client:\n  ping_interval: 2s\n  pong_timeout: 1s\n' });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1000, height: 700 },
  });
  context.setDefaultTimeout(15000);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  if (server) await server.kill();
});

async function openPage(name) {
  const page = await context.newPage();
  page.on('dialog', (d) => { dialogs.push(`${name}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
  page.on('response', (r) => { if (r.status() >= 400) failedResponses.push(`${name}: ${r.status()} ${r.url()}`); });
  await page.goto(server.url + '/');
  return page;
}

async function login(page, user) {
  // Before login only the login card shows: the chat view and Leave are hidden (not merely behind the card).
  assert.equal(await page.isVisible('#login-view'), true, 'login card visible before login');
  assert.equal(await page.isVisible('#chat-view'), false, 'chat view hidden before login');
  assert.equal(await page.isVisible('#logout'), false, 'Leave hidden before login');
  await page.fill('#username', user);
  await page.click('#login');
  await page.waitForSelector('#status[data-state="connected"]');
  assert.equal(await page.textContent('#me'), user);
  assert.equal(await page.isVisible('#chat-view'), true, 'chat view shown after login');
  assert.equal(await page.isVisible('#login-view'), false, 'login card hidden after login');
  assert.equal(await page.isVisible('#logout'), true, 'Leave shown after login');
}

async function join(page, name) {
  await page.fill('#room', name);
  await page.click('#join');
  await page.waitForSelector(`#rooms li[data-room="${name}"].active`);
  await page.waitForSelector('#send:not([disabled])');
}

async function send(page, text) {
  await page.fill(INPUT, text);
  await page.click('#send');
  await page.waitForFunction((sel) => document.querySelector(sel).value === '', INPUT);
}

/** The texts of the rendered messages, in display order. */
const texts = (page) => page.$$eval('#messages .msg .text', (nodes) => nodes.map((n) => n.textContent));

async function waitForText(page, text) {
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('#messages .msg .text')].some((n) => n.textContent === t), text);
}

test('alice and bob log in and join the same room; presence lists both', async () => {
  alice = await openPage('alice');
  bob = await openPage('bob');
  assert.equal(await alice.getAttribute('#status', 'data-state'), 'disconnected');
  await login(alice, 'alice');
  await login(bob, 'bob');
  await join(alice, room);
  await join(bob, room);
  assert.equal(await alice.textContent('#room-title'), `#${room}`);
  for (const page of [alice, bob]) {
    await page.waitForSelector('#presence li[data-user="alice"]');
    await page.waitForSelector('#presence li[data-user="bob"]');
  }
  assert.equal(await alice.textContent('#presence li[data-user="alice"]'), 'alice (you)');
});

test('the page answers server pings: no drop across several ping intervals', async () => {
  await alice.evaluate(() => {
    window.statusChanges = [];
    new MutationObserver(() => window.statusChanges.push(document.getElementById('status').dataset.state))
      .observe(document.getElementById('status'), { attributes: true, attributeFilter: ['data-state'] });
  });
  await alice.waitForTimeout(6000);
  assert.deepEqual(await alice.evaluate(() => window.statusChanges), []);
  assert.equal(await alice.getAttribute('#status', 'data-state'), 'connected');
});

test('bob sees that alice is typing, and the indicator goes away', async () => {
  await alice.fill(INPUT, 'hel');
  await bob.waitForFunction(() => document.getElementById('typing').textContent === 'alice is typing…');
  assert.equal(await alice.textContent('#typing'), '', 'alice does not see herself typing');
  await bob.waitForFunction(() => document.getElementById('typing').textContent === '', null, { timeout: 6000 });
  await alice.fill(INPUT, '');
});

test('messages are exchanged both ways', async () => {
  await send(alice, 'hello from alice');
  await waitForText(bob, 'hello from alice');
  await send(bob, 'hi alice, bob here');
  await waitForText(alice, 'hi alice, bob here');
  assert.deepEqual(await texts(alice), ['hello from alice', 'hi alice, bob here']);
  assert.deepEqual(await texts(bob), ['hello from alice', 'hi alice, bob here']);
  assert.equal(await bob.getAttribute('#messages .msg[data-offset="1"]', 'data-author'), 'alice');
  assert.equal(await bob.textContent('#messages .msg[data-offset="1"] .author'), 'alice');
});

test('the message input and the message rows have different test ids', async () => {
  for (const page of [alice, bob]) {
    const ids = await page.evaluate(() => ({
      rows: document.querySelectorAll('#messages .msg').length,
      message: [...document.querySelectorAll('[data-testid="message"]')].map((n) => n.matches('#messages .msg')),
      input: [...document.querySelectorAll('[data-testid="message-input"]')].map((n) => n.tagName + '#' + n.id),
    }));
    assert.ok(ids.rows >= 2);
    assert.deepEqual(ids.message, Array(ids.rows).fill(true), 'data-testid="message" marks the rows, and only them');
    assert.deepEqual(ids.input, ['INPUT#message']);
  }
});

test('markup in a message is shown as text, never interpreted', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  await send(alice, evil);
  await waitForText(bob, evil);
  assert.equal(await bob.locator('#messages img').count(), 0);
  assert.equal(await alice.locator('#messages img').count(), 0);
  assert.deepEqual(dialogs, []);
});

test('unread badge counts messages in a room bob is not looking at', async () => {
  const side = uniq('side');
  await join(bob, side); // bob now looks at `side`; `room` is in the background
  await send(alice, 'while you were away');
  await bob.waitForFunction((r) => document.querySelector(`[data-testid="badge-${r}"]`).textContent === '1', room);
  assert.equal(await bob.getAttribute(`[data-testid="badge-${room}"]`, 'data-count'), '1');
  await bob.click(`#rooms li[data-room="${room}"]`);
  await bob.waitForFunction((r) => document.querySelector(`[data-testid="badge-${r}"]`).textContent === '0', room);
  await waitForText(bob, 'while you were away');
});

test('a reload restores the session and the room history', async () => {
  await alice.reload();
  await alice.waitForSelector('#status[data-state="connected"]');
  await alice.waitForSelector(`#rooms li[data-room="${room}"].active`);
  await waitForText(alice, 'while you were away');
  assert.deepEqual(await texts(alice),
    ['hello from alice', 'hi alice, bob here', '<img src=x onerror=alert(1)>', 'while you were away']);
});

test('scrolling up pages back through a long history', async () => {
  const big = uniq('big');
  const channel = `chat:${big}`;
  for (let i = 1; i <= 75; i++) await server.api('publish', { channel, data: { text: `line ${i}`, user: 'robot' } });
  await join(alice, big);
  await waitForText(alice, 'line 75');
  const firstPage = (await texts(alice)).length;
  assert.ok(firstPage < 75, `only the newest page is loaded first (got ${firstPage})`);
  for (let i = 0; i < 20 && (await texts(alice)).length < 75; i++) {
    await alice.evaluate(() => { document.getElementById('messages').scrollTop = 0; });
    await alice.waitForTimeout(250);
  }
  const all = await texts(alice);
  assert.deepEqual(all, Array.from({ length: 75 }, (_, i) => `line ${i + 1}`));
  await alice.waitForFunction(() => document.getElementById('history-status').dataset.more === 'false');
  assert.equal(await alice.getAttribute('#messages .msg[data-offset="1"]', 'data-author'), 'robot');
  await alice.click(`#rooms li[data-room="${room}"]`);
});

test('after a server restart the page reconnects and recovers what it missed', async () => {
  const states = [];
  await alice.exposeFunction('recordState', (s) => states.push(s));
  await alice.evaluate(() => {
    new MutationObserver(() => window.recordState(document.getElementById('status').dataset.state))
      .observe(document.getElementById('status'), { attributes: true, attributeFilter: ['data-state'] });
  });
  await server.stop();
  await alice.waitForSelector('#status[data-state="reconnecting"]');
  await server.start();
  await server.api('publish', { channel: `chat:${room}`, data: { text: 'published while you were reconnecting' } });
  await alice.waitForSelector('#status[data-state="connected"]', { timeout: 30000 });
  await waitForText(alice, 'published while you were reconnecting');
  await waitForText(bob, 'published while you were reconnecting');
  const t = await texts(alice);
  assert.equal(t.filter((x) => x === 'published while you were reconnecting').length, 1);
  assert.equal(t.at(-1), 'published while you were reconnecting');
  assert.ok(states.includes('reconnecting'));
  assert.equal(states.at(-1), 'connected');
  for (const page of [alice, bob]) { // presence is rebuilt after the reconnect
    await page.waitForSelector('#presence li[data-user="alice"]');
    await page.waitForSelector('#presence li[data-user="bob"]');
  }
  await send(bob, 'and we are live again');
  await waitForText(alice, 'and we are live again');
});

test('the page offers "Enable notifications"; its service worker and the VAPID key load', async () => {
  // Headless Chromium cannot receive real pushes here; the server side is tested end to end in Java (WebPushTest).
  await alice.waitForSelector('#enable-push', { state: 'visible' });
  assert.equal((await alice.textContent('#enable-push')).trim(), 'Enable notifications');
  const r = await alice.evaluate(async () => {
    const reg = await navigator.serviceWorker.register('sw.js');
    const ready = await navigator.serviceWorker.ready;
    const key = await (await fetch('/api/push/vapid-public-key')).json();
    return { sameReg: ready.scope === reg.scope, active: !!ready.active, key: key.key };
  });
  assert.ok(r.sameReg && r.active, 'sw.js is installed and active');
  assert.match(r.key, /^B[A-Za-z0-9_-]{86}$/, 'a base64url uncompressed P-256 point');
});

test('at 390x844 (a phone) the whole top bar fits: Leave is fully inside the viewport', async () => {
  const phone = await openPage('phone');
  try {
    await phone.setViewportSize({ width: 390, height: 844 });
    await login(phone, 'a-rather-long-user-name-of-32ch'); // the longest name the form accepts
    const box = await phone.locator('#logout').boundingBox();
    assert.ok(box, 'Leave has a box');
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844,
      `Leave inside 390x844: ${JSON.stringify(box)}`);
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling');
    await phone.screenshot({ path: path.join(TARGET, 'e2e-browser-390.png') });
  } finally {
    await phone.close();
  }
});

test('the page has a favicon: its icon links and /favicon.ico load', async () => {
  const icons = await alice.$$eval('link[rel~="icon"]', (links) => links.map((l) => l.href));
  assert.ok(icons.length >= 1, 'index.html links an icon');
  for (const url of [...icons, server.url + '/favicon.ico']) {
    const res = await fetch(url);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-type'), /^image\//, url);
    assert.ok(body.length > 0, url);
  }
});

test('no script errors on either page; screenshot for humans', async () => {
  fs.mkdirSync(TARGET, { recursive: true });
  await alice.screenshot({ path: path.join(TARGET, 'e2e-browser-alice.png') });
  await bob.screenshot({ path: path.join(TARGET, 'e2e-browser-bob.png') });
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(failedResponses, [], 'no request of any page got a 4xx/5xx (404: a missing file)');
});
