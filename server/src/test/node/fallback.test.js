'use strict';
// centrifuge-js's browser bundle in headless Chromium, on a page without WebSocket (the page deletes
// window.WebSocket before the SDK loads), configured with transports [websocket, http_stream, sse]:
// it falls back to http_stream; against a node with http_stream disabled (404) it falls back to sse. Chat,
// presence and recovery after a server-forced reconnect work over each.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('./lib/server');
const { uniq } = require('./lib/util');

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const BUNDLE = fs.readFileSync(path.join(__dirname, 'node_modules/centrifuge/dist/centrifuge.js'), 'utf8');
const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script>delete window.WebSocket;</script>
<script src="/__test/centrifuge.js"></script></head><body>fallback test</body></html>`;
const CONF = 'client:\n  ping_interval: 2s\n  pong_timeout: 1s\n';

let full; // every transport on
let noStream; // http_stream disabled
let context;
let profileDir;
const pageErrors = [];
const failedResponses = [];

before(async () => {
  full = await startServer({ conf: CONF });
  noStream = await startServer({ conf: `${CONF}http_stream:\n  enabled: false\n` });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15000);
  // The test page and the SDK bundle come from the test (same origin as the server, never from it or a CDN).
  await context.route('**/__test/fallback.html', (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  await context.route('**/__test/centrifuge.js', (route) =>
    route.fulfill({ contentType: 'application/javascript', body: BUNDLE }));
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  if (full) await full.kill();
  if (noStream) await noStream.kill();
});

/** A page of `server` whose client (user, token) is subscribed to `channel`; resolves with [page, transport]. */
async function openClient(server, user, channel) {
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${user}: ${err.message}`));
  page.on('response', (r) => { if (r.status() >= 400) failedResponses.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${server.url}/__test/fallback.html`);
  const transport = await page.evaluate(async ({ token, channel, wsUrl }) => {
    if (typeof WebSocket !== 'undefined') throw new Error('WebSocket still there');
    const c = new Centrifuge([
      { transport: 'websocket', endpoint: wsUrl },
      { transport: 'http_stream', endpoint: '/connection/http_stream' },
      { transport: 'sse', endpoint: '/connection/sse' },
    ], { token, minReconnectDelay: 1500, maxReconnectDelay: 2000, timeout: 5000 });
    window.got = [];
    window.subscribed = [];
    window.states = [];
    c.on('connected', (ctx) => { window.transport = ctx.transport; });
    c.on('connecting', (ctx) => window.states.push(ctx.code));
    const sub = c.newSubscription(channel, { joinLeave: true });
    sub.on('publication', (ctx) => window.got.push(ctx.data.text));
    sub.on('subscribed', (ctx) => window.subscribed.push({ recovered: ctx.recovered, wasRecovering: ctx.wasRecovering }));
    window.client = c;
    window.sub = sub;
    sub.subscribe();
    c.connect();
    await sub.ready(10000);
    return window.transport;
  }, { token: server.token(user), channel, wsUrl: server.wsUrl });
  return [page, transport];
}

const got = (page) => page.evaluate(() => window.got);

async function chatPresenceRecovery(server, expected) {
  const channel = `chat:${uniq(`fallback-${expected}`)}`;
  const [alice, ta] = await openClient(server, 'alice', channel);
  const [bob, tb] = await openClient(server, 'bob', channel);
  assert.equal(ta, expected);
  assert.equal(tb, expected);

  // Chat both ways.
  await alice.evaluate(() => window.sub.publish({ text: 'hi bob' }));
  await bob.evaluate(() => window.sub.publish({ text: 'hi alice' }));
  await bob.waitForFunction(() => window.got.length === 2);
  await alice.waitForFunction(() => window.got.length === 2);
  assert.deepEqual(await got(bob), ['hi bob', 'hi alice']);
  assert.deepEqual(await got(alice), ['hi bob', 'hi alice']);

  // Presence sees both.
  const users = await alice.evaluate(async () =>
    Object.values((await window.sub.presence()).clients).map((c) => c.user).sort());
  assert.deepEqual(users, ['alice', 'bob']);

  // Recovery: the server drops bob (3011, reconnect); what is published meanwhile reaches him on resubscribe.
  await server.api('disconnect', { user: 'bob', disconnect: { code: 3011, reason: 'force reconnect' } });
  await bob.waitForFunction(() => window.states.includes(3011));
  await alice.evaluate(() => window.sub.publish({ text: 'while you were away' }));
  await bob.waitForFunction(() => window.got.length === 3 && window.subscribed.length === 2, null, { timeout: 15000 });
  assert.deepEqual(await got(bob), ['hi bob', 'hi alice', 'while you were away']);
  assert.deepEqual(await bob.evaluate(() => window.subscribed[1]), { recovered: true, wasRecovering: true });
  assert.equal(await bob.evaluate(() => window.transport), expected);

  for (const page of [alice, bob]) {
    await page.evaluate(() => window.client.disconnect());
    await page.close();
  }
}

test('without WebSocket the SDK falls back to http_stream: chat, presence, recovery', async () => {
  await chatPresenceRecovery(full, 'http_stream');
  assert.deepEqual(pageErrors, []);
});

test('with http_stream disabled on the server (404) it falls back to sse: chat, presence, recovery', async () => {
  failedResponses.length = 0;
  await chatPresenceRecovery(noStream, 'sse');
  assert.deepEqual(pageErrors, []);
  assert.ok(failedResponses.length > 0, 'the http_stream attempt was refused');
  assert.ok(failedResponses.every((r) => r === `404 ${noStream.url}/connection/http_stream`), failedResponses.join('\n'));
  assert.equal((await fetch(`${noStream.url}/connection/http_stream`, { method: 'POST', body: '{}' })).status, 404);
});
