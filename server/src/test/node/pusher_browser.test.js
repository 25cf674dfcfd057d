'use strict';
// pusher-js 8's browser bundle (node_modules/pusher-js/dist/web/pusher.min.js) in headless Chromium (Debian's,
// driven by playwright-core; no browser download), against Switchboard's Pusher front end: public, private and
// presence channels authorized by the page's own origin (/pusher/auth, as a Laravel app serves
// /broadcasting/auth), client events, and pusher:member_added / member_removed. The page's origin is another
// port than Switchboard's, so the allowed origins (SWITCHBOARD_ALLOWED_ORIGINS) list it, as a deployment would.
// Run: SWITCHBOARD_JAR=... [CHROMIUM_BIN=/usr/bin/chromium] node --test pusher_browser.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('./lib/server');
const { sleep } = require('./lib/util');
const { serverSdk, authorize } = require('./lib/pusher');

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const APP = { id: 'web', key: 'web-key', secret: 'web-secret-0123456789abcdef' };
const BUNDLE = path.join(__dirname, 'node_modules/pusher-js/dist/web/pusher.min.js');

let server;
let sdk;
let site;
let siteUrl;
let context;
let profileDir;
const pageErrors = [];

// The page: pusher-js from a <script> tag; window.log records what each channel binds.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>pusher-js</title>
<script src="/pusher.min.js"></script></head><body><script>
window.log = [];
Pusher.logToConsole = true;
window.start = (cfg) => new Promise((resolve, reject) => {
  window.pusher = new Pusher(cfg.key, {
    cluster: 'mt1', wsHost: cfg.host, wsPort: cfg.port, forceTLS: false, enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: { endpoint: '/pusher/auth', transport: 'ajax', headers: { 'X-User': cfg.user } },
  });
  window.pusher.connection.bind('connected', () => resolve(window.pusher.connection.socket_id));
  window.pusher.connection.bind('failed', () => reject(new Error('failed')));
});
window.join = (name, events) => new Promise((resolve, reject) => {
  const ch = window.pusher.subscribe(name);
  for (const e of events) ch.bind(e, (data) => window.log.push({ channel: name, event: e, data }));
  ch.bind('pusher:subscription_succeeded', (members) => resolve(members && members.count !== undefined
    ? { count: members.count, me: members.me, ids: Object.keys(members.members).sort() } : {}));
  ch.bind('pusher:subscription_error', (err) => reject(new Error(JSON.stringify(err))));
});
</script></body></html>`;

before(async () => {
  // The site: the page, the bundle and the auth endpoint, on one origin.
  site = http.createServer((req, res) => {
    if (req.url === '/') {
      res.setHeader('Content-Type', 'text/html');
      res.end(PAGE);
    } else if (req.url === '/pusher.min.js') {
      res.setHeader('Content-Type', 'application/javascript');
      res.end(fs.readFileSync(BUNDLE));
    } else if (req.url === '/pusher/auth' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const user = req.headers['x-user'];
        const auth = authorize(sdk, new URLSearchParams(body), { user_id: user, user_info: { name: user } });
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(auth));
      });
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${site.address().port}`;
  server = await startServer({
    env: { SWITCHBOARD_ALLOWED_ORIGINS: siteUrl }, // (the environment overrides http.allowed_origins)
    conf: `pusher:
  apps:
    - {id: ${APP.id}, key: ${APP.key}, secret: ${APP.secret}, enable_client_messages: true}
`,
  });
  sdk = serverSdk(APP, server);
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15000);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  if (site) await new Promise((r) => site.close(r));
  if (server) await server.kill();
});

async function openPage(user) {
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${user}: ${err.message}`));
  if (process.env.SWITCHBOARD_TEST_VERBOSE) page.on('console', (m) => console.log(`[${user}] ${m.text()}`));
  await page.goto(siteUrl + '/');
  const socketId = await page.evaluate((cfg) => window.start(cfg),
    { key: APP.key, host: '127.0.0.1', port: server.port, user });
  assert.match(socketId, /^\d+\.\d+$/);
  return page;
}

const logged = (page, channel, event) => page.waitForFunction(
  ([c, e]) => window.log.filter((x) => x.channel === c && x.event === e), [channel, event])
  .then(() => page.evaluate(([c, e]) => window.log.filter((x) => x.channel === c && x.event === e),
    [channel, event]));

async function waitLogged(page, channel, event, count = 1) {
  await page.waitForFunction(([c, e, n]) => window.log.filter((x) => x.channel === c && x.event === e).length >= n,
    [channel, event, count]);
  return logged(page, channel, event);
}

let alice;
let bob;

test('a public channel gets the server SDK\'s events in the page', { timeout: 180000 /* the first test's time includes before(): the nodes' start */ }, async () => {
  alice = await openPage('alice');
  bob = await openPage('bob');
  await alice.evaluate(() => window.join('news', ['headline']));
  await sdk.trigger('news', 'headline', { title: 'From the server' });
  const [got] = await waitLogged(alice, 'news', 'headline');
  assert.deepEqual(got.data, { title: 'From the server' });
});

test('a private channel: auth through the page\'s endpoint, client events to the other page only', { timeout: 60000 }, async () => {
  await alice.evaluate(() => window.join('private-chat', ['client-msg', 'secret']));
  await bob.evaluate(() => window.join('private-chat', ['client-msg', 'secret']));
  await alice.evaluate(() => window.pusher.channel('private-chat').trigger('client-msg', { text: 'hi bob' }));
  const [got] = await waitLogged(bob, 'private-chat', 'client-msg');
  assert.deepEqual(got.data, { text: 'hi bob' });
  await sdk.trigger('private-chat', 'secret', { n: 1 });
  await waitLogged(alice, 'private-chat', 'secret');
  await waitLogged(bob, 'private-chat', 'secret');
  await sleep(300);
  assert.equal((await alice.evaluate(() => window.log.filter((x) => x.event === 'client-msg'))).length, 0,
    'the sender does not get its own client event');
});

test('a presence channel: members, member_added and member_removed', { timeout: 60000 }, async () => {
  const events = ['pusher:member_added', 'pusher:member_removed'];
  const first = await alice.evaluate((ev) => window.join('presence-room', ev), events);
  assert.equal(first.count, 1);
  assert.deepEqual(first.me, { id: 'alice', info: { name: 'alice' } });
  const second = await bob.evaluate((ev) => window.join('presence-room', ev), events);
  assert.deepEqual(second.ids, ['alice', 'bob']);
  const [added] = await waitLogged(alice, 'presence-room', 'pusher:member_added');
  assert.deepEqual(added.data, { id: 'bob', info: { name: 'bob' } });
  await bob.evaluate(() => window.pusher.unsubscribe('presence-room'));
  const [removed] = await waitLogged(alice, 'presence-room', 'pusher:member_removed');
  assert.equal(removed.data.id, 'bob');
  assert.deepEqual(pageErrors, []);
});
