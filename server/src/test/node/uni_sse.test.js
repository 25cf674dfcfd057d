'use strict';
// A plain EventSource (no SDK) in a real headless Chromium on /connection/uni_sse: a notification arrives live,
// and after a reconnect the page recovers what it missed with `subs` in cf_connect.
// Run: SWITCHBOARD_JAR=/abs/server/target/switchboard-server.jar [SWITCHBOARD_TEST_PG_URL=postgresql://...] \
//      [CHROMIUM_BIN=/usr/bin/chromium] node --test uni_sse.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('./lib/server');
const { uniq } = require('./lib/util');

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

// The page a notification widget would be: a few lines of script, EventSource and JSON.parse, nothing else.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>inbox</title></head><body>
<script>
window.pushes = [];
window.errors = 0;
window.openInbox = (connect) => {
  const url = new URL('/connection/uni_sse', location.origin);
  url.searchParams.append('cf_connect', JSON.stringify(connect));
  const es = new EventSource(url);
  es.onmessage = (event) => {
    const push = JSON.parse(event.data);
    window.pushes.push(push);
    if (push.disconnect) es.close(); // the server said why it ends: do not let EventSource retry
  };
  es.onerror = () => { window.errors += 1; };
  window.inbox = es;
};
</script></body></html>`;

let server;
let context;
let profileDir;
let page;
const user = uniq('eve');
const inbox = `notify:#${user}`;

before(async () => {
  server = await startServer({ conf: 'client:\n  ping_interval: 2s\n  pong_timeout: 1s\n' });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-uni-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15000);
  page = await context.newPage();
  // The page is served at the server's own origin (so the EventSource is same-origin, as a site's page would
  // be); only this one URL is answered by the test, the EventSource goes to the real server.
  await page.route(`${server.url}/inbox.html`, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  await page.goto(`${server.url}/inbox.html`);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  if (server) await server.kill();
});

const notify = (text) => server.api('notify', { users: [user], data: { text } });

/** The index of the first push at or after `from` matching `predicate` (a function source, run in the page). */
async function waitForPush(from, predicate) {
  try {
    const handle = await page.waitForFunction(([start, src]) => {
      const match = new Function('p', `return (${src})(p)`);
      const i = window.pushes.findIndex((p, j) => j >= start && match(p));
      return i >= 0 ? { i } : false; // an object: index 0 would read as "not yet"
    }, [from, predicate.toString()], { polling: 50 });
    return (await handle.jsonValue()).i;
  } catch (err) {
    const seen = await page.evaluate(() => ({ pushes: window.pushes, errors: window.errors }));
    err.message += `\nwaiting for ${predicate} from ${from}; the page has ${JSON.stringify(seen)}`;
    throw err;
  }
}

const pushAt = (i) => page.evaluate((j) => window.pushes[j], i);

let position;

test('a plain EventSource gets the connect push and a notification live', async () => {
  await page.evaluate((token) => window.openInbox({ token }), server.token(user));
  const c = await waitForPush(0, (p) => p.connect);
  const connect = (await pushAt(c)).connect;
  assert.ok(connect.client, 'a client id');
  const sub = connect.subs[inbox];
  assert.ok(sub && sub.epoch, `the inbox is a server-side subscription with a position: ${JSON.stringify(connect)}`);
  assert.equal(await page.evaluate(() => window.inbox.readyState), 1, 'EventSource OPEN');

  const sent = await notify('live one');
  const i = await waitForPush(c, (p) => p.pub && p.pub.data.text === 'live one');
  const pushed = await pushAt(i);
  assert.equal(pushed.channel, inbox);
  assert.equal(pushed.pub.offset, sent.results[user].offset);
  position = { offset: pushed.pub.offset, epoch: sub.epoch };

  // A ping is an empty push; no answer is expected and the stream stays open past the pong timeout.
  const ping = await waitForPush(i, (p) => Object.keys(p).length === 0);
  await waitForPush(ping + 1, (p) => Object.keys(p).length === 0);
  assert.equal(await page.evaluate(() => window.inbox.readyState), 1, 'still OPEN after pings');
  assert.equal(await page.evaluate(() => window.errors), 0);
});

test('after a reconnect with subs in cf_connect the page recovers what it missed', async () => {
  await page.evaluate(() => window.inbox.close());
  await notify('missed one');
  await notify('missed two');

  const from = await page.evaluate(() => window.pushes.length);
  await page.evaluate(([token, ch, pos]) => window.openInbox({
    token, subs: { [ch]: { recover: true, offset: pos.offset, epoch: pos.epoch } },
  }), [server.token(user), inbox, position]);
  const c = await waitForPush(from, (p) => p.connect);
  const sub = (await pushAt(c)).connect.subs[inbox];
  assert.equal(sub.recovered, true, JSON.stringify(sub));
  assert.deepEqual(sub.publications.map((p) => p.data.text), ['missed one', 'missed two']);
  assert.equal(sub.publications[1].offset, position.offset + 2);

  await notify('live again');
  await waitForPush(c, (p) => p.pub && p.pub.data.text === 'live again');
});

test('a bad token ends the stream with a disconnect push the page can act on', async () => {
  await page.evaluate(() => window.inbox.close());
  const from = await page.evaluate(() => window.pushes.length);
  await page.evaluate(() => window.openInbox({ token: 'not-a-token' }));
  const d = await waitForPush(from, (p) => p.disconnect);
  assert.deepEqual((await pushAt(d)).disconnect, { code: 3500, reason: 'invalid token' });
  assert.equal(await page.evaluate(() => window.inbox.readyState), 2, 'CLOSED by the page');
});
