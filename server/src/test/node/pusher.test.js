'use strict';
// The Pusher protocol front end (docs/pusher.md) with the real npm libraries: pusher-js 8 as the client
// (public, private and presence channels through an auth endpoint served here, client events) and the `pusher`
// 5 server SDK (trigger, triggerBatch, channel queries), plus requests signed wrongly on purpose, and a Pusher
// client meeting a Centrifugo client on one channel.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const PusherServer = require('pusher');
const { Centrifuge } = require('centrifuge');
const WebSocket = require('ws');
const { startServer } = require('./lib/server');
const { waitFor, sleep } = require('./lib/util');
const { serverSdk, authorize, authEndpoint, pusherClient, connected, subscribed } = require('./lib/pusher');

const APP = { id: 'app1', key: 'app1-key', secret: 'app1-secret-0123456789abcdef' };
const QUIET = { id: 'app2', key: 'app2-key', secret: 'app2-secret-0123456789abcdef' };
let server;
let sdk;
let quietSdk;
let auth;
const clients = [];

before(async () => {
  server = await startServer({
    conf: `pusher:
  apps:
    - {id: ${APP.id}, key: ${APP.key}, secret: ${APP.secret}, enable_client_messages: true}
    - {id: ${QUIET.id}, key: ${QUIET.key}, secret: ${QUIET.secret}}
  activity_timeout: 3s
channels:
  namespaces:
    pusher_${APP.id}:
      history_size: 100
      history_ttl: 1h
      allow_subscribe_for_client: true
      allow_publish_for_subscriber: true
      allow_history_for_subscriber: true
`,
  });
  sdk = serverSdk(APP, server);
  quietSdk = serverSdk(QUIET, server);
  // The application's auth endpoint, as a Laravel app would serve it: it signs with the server SDK.
  auth = await authEndpoint((req, params) => {
    const user = req.headers['x-user'] || 'anon';
    const signer = req.headers['x-app'] === QUIET.id ? quietSdk : sdk;
    return authorize(signer, params, { user_id: user, user_info: { name: `User ${user}` } });
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  if (auth) await auth.close();
  if (server) await server.kill();
});

function connect(user, app = APP) {
  const c = pusherClient(app, server, {
    channelAuthorization: { endpoint: `${auth.url}/pusher/auth`, transport: 'ajax',
      headers: { 'X-User': user, 'X-App': app.id } },
  });
  clients.push(c);
  return c;
}

function next(ch, event, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const fn = (data, meta) => { clearTimeout(timer); ch.unbind(event, fn); resolve({ data, meta }); };
    ch.bind(event, fn);
  });
}

test('pusher-js connects, gets a socket id, and public events from the server SDK', { timeout: 60000 }, async () => {
  const c = connect('alice');
  await connected(c);
  assert.match(c.connection.socket_id, /^\d+\.\d+$/);
  const { ch } = await subscribed(c, 'news');
  const got = next(ch, 'headline');
  await sdk.trigger('news', 'headline', { title: 'Hello' });
  assert.deepEqual((await got).data, { title: 'Hello' });
  // a plain string stays a string
  const plain = next(ch, 'text');
  await sdk.trigger('news', 'text', 'just words');
  assert.equal((await plain).data, 'just words');
});

test('triggerBatch and socket_id exclusion', { timeout: 60000 }, async () => {
  const a = connect('alice');
  const b = connect('bob');
  await Promise.all([connected(a), connected(b)]);
  const { ch: cha } = await subscribed(a, 'batch-room');
  const { ch: chb } = await subscribed(b, 'batch-room');
  const seenA = [];
  const seenB = [];
  cha.bind('e', (d) => seenA.push(d));
  chb.bind('e', (d) => seenB.push(d));
  await sdk.triggerBatch([
    { channel: 'batch-room', name: 'e', data: JSON.stringify({ n: 1 }) },
    { channel: 'batch-room', name: 'e', data: JSON.stringify({ n: 2 }) },
  ]);
  await waitFor(() => seenA.length === 2 && seenB.length === 2, { message: 'both batch events on both' });
  assert.deepEqual(seenA, [{ n: 1 }, { n: 2 }]);
  await sdk.trigger('batch-room', 'e', { n: 3 }, { socket_id: a.connection.socket_id });
  await waitFor(() => seenB.length === 3, { message: 'the event on b' });
  await sleep(300);
  assert.equal(seenA.length, 2, 'the excluded socket did not get it');
});

test('private channels need the auth signature; client events reach the others only', { timeout: 60000 }, async () => {
  const a = connect('alice');
  const b = connect('bob');
  await Promise.all([connected(a), connected(b)]);
  const { ch: cha } = await subscribed(a, 'private-room');
  const { ch: chb } = await subscribed(b, 'private-room');
  const fromA = next(chb, 'client-typing');
  const echo = [];
  cha.bind('client-typing', (d) => echo.push(d));
  assert.equal(cha.trigger('client-typing', { who: 'alice' }), true);
  assert.deepEqual((await fromA).data, { who: 'alice' });
  await sleep(300);
  assert.equal(echo.length, 0, 'not echoed to the sender');

  // a forged auth is refused with a subscription error
  const raw = connect('mallory');
  await connected(raw);
  const err = await new Promise((resolve) => {
    raw.connection.send_event('pusher:subscribe', { channel: 'private-room', auth: `${APP.key}:${'0'.repeat(64)}` });
    raw.connection.bind('message', (m) => { if (m.event === 'pusher:subscription_error') resolve(m); });
  });
  assert.equal(err.channel, 'private-room');
  assert.equal(err.data.status, 401);
});

test('client events are refused on public channels and for apps without them', { timeout: 60000 }, async () => {
  const q = connect('alice', QUIET);
  await connected(q);
  const { ch } = await subscribed(q, 'private-quiet');
  const error = new Promise((resolve) => q.connection.bind('error', resolve));
  ch.trigger('client-x', { a: 1 });
  const e = await error;
  assert.equal(e.data.code, 4301);
  assert.match(e.data.message, /not enabled/);

  const a = connect('alice');
  await connected(a);
  await subscribed(a, 'public-room');
  const refused = new Promise((resolve) => a.connection.bind('error', resolve));
  a.send_event('client-x', { a: 1 }, 'public-room');
  const r = await refused;
  assert.equal(r.data.code, 4301);
  assert.match(r.data.message, /private and presence/);
});

test('presence: members, member_added and member_removed, once per user', { timeout: 60000 }, async () => {
  const a = connect('alice');
  await connected(a);
  const { ch: cha, data: members } = await subscribed(a, 'presence-lobby');
  assert.equal(members.count, 1);
  assert.equal(members.me.id, 'alice');
  const added = next(cha, 'pusher:member_added');
  const b = connect('bob');
  await connected(b);
  const { ch: chb, data: bMembers } = await subscribed(b, 'presence-lobby');
  assert.equal(bMembers.count, 2);
  assert.deepEqual(Object.keys(bMembers.members).sort(), ['alice', 'bob']);
  assert.deepEqual(bMembers.members.alice, { name: 'User alice' });
  const m = await added;
  assert.equal(m.data.id, 'bob');
  assert.deepEqual(m.data.info, { name: 'User bob' });

  // a second connection of bob: no second member_added; its leaving: no member_removed
  const seen = [];
  cha.bind('pusher:member_added', (x) => seen.push(['added', x.id]));
  cha.bind('pusher:member_removed', (x) => seen.push(['removed', x.id]));
  const b2 = connect('bob');
  await connected(b2);
  await subscribed(b2, 'presence-lobby');
  b2.unsubscribe('presence-lobby');
  await sleep(500);
  assert.deepEqual(seen, []);

  // users through the HTTP API
  const res = await sdk.get({ path: '/channels/presence-lobby/users' });
  const users = (await res.json()).users.map((u) => u.id).sort();
  assert.deepEqual(users, ['alice', 'bob']);

  const removed = next(cha, 'pusher:member_removed');
  b.disconnect();
  assert.equal((await removed).data.id, 'bob');
  void chb;
});

test('channel queries through the server SDK; Pusher connections count as the node\'s clients', { timeout: 60000 }, async () => {
  const clientsNow = async () => (await server.api('info')).nodes[0].num_clients;
  const before = await clientsNow();
  const c = connect('carol');
  await connected(c);
  await waitFor(async () => (await clientsNow()) === before + 1, { message: 'num_clients + 1' });
  await subscribed(c, 'stats-room');
  const list = await (await sdk.get({ path: '/channels', params: { filter_by_prefix: 'stats-' } })).json();
  assert.deepEqual(list.channels, { 'stats-room': {} });
  const info = await (await sdk.get({ path: '/channels/stats-room', params: { info: 'subscription_count' } })).json();
  assert.equal(info.occupied, true);
  assert.equal(info.subscription_count, 1);
});

/** A POST to the Pusher API signed by hand, so that each part can be wrong on its own. */
async function signedPost(path, body, { timestamp = Math.floor(Date.now() / 1000), md5Of = body,
  secret = APP.secret } = {}) {
  const params = {
    auth_key: APP.key, auth_timestamp: String(timestamp), auth_version: '1.0',
    body_md5: crypto.createHash('md5').update(md5Of).digest('hex'),
  };
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  const signature = crypto.createHmac('sha256', secret).update(`POST\n${path}\n${query}`).digest('hex');
  const res = await fetch(`${server.url}${path}?${query}&auth_signature=${signature}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
  });
  return { status: res.status, text: await res.text() };
}

test('the HTTP API refuses a bad signature, an old timestamp and a wrong body_md5', { timeout: 60000 }, async () => {
  const path = `/apps/${APP.id}/events`;
  const body = JSON.stringify({ name: 'e', channel: 'news', data: '{}' });
  assert.equal((await signedPost(path, body)).status, 200, 'the well-signed request passes');
  const wrongSecret = await signedPost(path, body, { secret: 'not-the-secret-0123456789' });
  assert.equal(wrongSecret.status, 401);
  assert.match(wrongSecret.text, /signature/i);
  const old = await signedPost(path, body, { timestamp: Math.floor(Date.now() / 1000) - 700 });
  assert.equal(old.status, 401);
  assert.match(old.text, /timestamp/i);
  const md5 = await signedPost(path, body, { md5Of: '{"other":1}' });
  assert.equal(md5.status, 401);
  assert.match(md5.text, /body_md5/);
  // the SDK with a wrong secret is refused too
  const bad = new PusherServer({ appId: APP.id, key: APP.key, secret: 'wrong-secret-0123456789abc',
    host: '127.0.0.1', port: String(server.port), useTLS: false });
  await assert.rejects(bad.trigger('news', 'e', {}), (e) => e.status === 401);
});

test('an unknown app key gets pusher:error 4001', { timeout: 60000 }, async () => {
  const c = connect('x', { id: 'nope', key: 'no-such-key', secret: 'x' });
  const e = await new Promise((resolve) => c.connection.bind('error', resolve));
  // pusher-js wraps the server's pusher:error: {type: 'WebSocketError', error: {type: 'PusherError', data}}
  assert.equal(e.error.data.code, 4001);
});

test('a Pusher client and a Centrifugo client meet on one channel', { timeout: 60000 }, async () => {
  const p = connect('alice');
  await connected(p);
  const { ch } = await subscribed(p, 'meeting');
  const cf = new Centrifuge(server.wsUrl, { token: server.token('bob'), websocket: WebSocket });
  const sub = cf.newSubscription(`pusher_${APP.id}:meeting`);
  const pubs = [];
  sub.on('publication', (ctx) => pubs.push(ctx));
  const live = new Promise((r) => sub.once('subscribed', r));
  sub.subscribe();
  cf.connect();
  await live;
  try {
    // a Pusher trigger reaches the Centrifugo client as the data it held, the event name in tags
    await sdk.trigger('meeting', 'note', { text: 'from pusher' });
    await waitFor(() => pubs.length === 1, { message: 'the Centrifugo client got the Pusher event' });
    assert.deepEqual(pubs[0].data, { text: 'from pusher' });
    assert.equal(pubs[0].tags.event, 'note');
    // a Centrifugo publication reaches the Pusher client as event "message"
    const got = next(ch, 'message');
    await sub.publish({ text: 'from centrifugo' });
    assert.deepEqual((await got).data, { text: 'from centrifugo' });
    // and it is in the channel's durable history (the namespace keeps it)
    const h = await sub.history({ limit: 10 });
    assert.equal(h.publications.length, 2);
    // private Pusher channels live in another namespace: a Centrifugo client cannot reach them
    const priv = cf.newSubscription(`pusher-private_${APP.id}:private-room`);
    const refused = new Promise((r) => priv.once('unsubscribed', r));
    priv.subscribe();
    assert.equal((await refused).code, 102); // the namespace is not configured: unknown channel
    const lookalike = cf.newSubscription(`pusher_${APP.id}:private-room`);
    const lookalikePubs = [];
    lookalike.on('publication', (ctx) => lookalikePubs.push(ctx));
    const on = new Promise((r) => lookalike.once('subscribed', r));
    lookalike.subscribe();
    await on;
    await sdk.trigger('private-room', 'secret', { x: 1 });
    await sleep(300);
    assert.equal(lookalikePubs.length, 0, 'a public channel named like a private one is not that channel');
  } finally {
    cf.disconnect();
  }
});

test('raw protocol 7: connection_established, ping/pong both ways, unknown events', { timeout: 60000 }, async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/app/${APP.key}?protocol=7&client=js&version=8.4.0`);
  const frames = [];
  ws.on('message', (m) => frames.push(JSON.parse(String(m))));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  try {
    await waitFor(() => frames.length >= 1, { message: 'connection_established' });
    assert.equal(frames[0].event, 'pusher:connection_established');
    const established = JSON.parse(frames[0].data);
    assert.match(established.socket_id, /^\d+\.\d+$/);
    assert.equal(established.activity_timeout, 3);
    ws.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
    await waitFor(() => frames.some((f) => f.event === 'pusher:pong'), { message: 'pong' });
    ws.send(JSON.stringify({ event: 'pusher:nonsense', data: {} }));
    await waitFor(() => frames.some((f) => f.event === 'pusher:error'), { message: 'an error for an unknown event' });
    ws.send('not json');
    await waitFor(() => frames.filter((f) => f.event === 'pusher:error').length === 2, { message: 'bad JSON refused' });
    // silent past the activity timeout: the server pings
    await waitFor(() => frames.some((f) => f.event === 'pusher:ping'), { timeoutMs: 8000, message: 'server ping' });
    assert.equal(ws.readyState, WebSocket.OPEN);
  } finally {
    ws.close();
  }
});

test('a draining node closes Pusher connections with 4200 (reconnect)', { timeout: 60000 }, async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/app/${APP.key}?protocol=7`);
  const closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  await server.stop(); // SIGTERM: the drain, then the exit
  const c = await closed;
  assert.equal(c.code, 4200);
});
