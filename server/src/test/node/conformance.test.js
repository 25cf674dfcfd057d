'use strict';
// Conformance of Switchboard with the official Centrifugo JavaScript SDK (`centrifuge` on npm) over `ws`.
// Run: SWITCHBOARD_JAR=/abs/server/target/switchboard-server.jar [SWITCHBOARD_TEST_PG_URL=postgresql://...] \
//      [SWITCHBOARD_CODEC=protobuf] node --test conformance.test.js
// With SWITCHBOARD_CODEC=protobuf every case runs over the SDK's Protobuf build (lib/codec.js): payloads are
// bytes there, so they go through enc()/dec(); the raw client of the ping case speaks Protobuf too.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { Centrifuge, PROTOBUF, enc, dec } = require('./lib/codec');
const raw = require('./lib/raw');
const { startServer } = require('./lib/server');
const { startProxy } = require('./lib/proxy');
const { sleep, once, collect, waitFor, uniq } = require('./lib/util');

let server;
const clients = new Set();

// A short grace after token expiry, so that an unrefreshed connection is closed (3005) within the test, and
// a short ping interval, so that pings and pongs happen within the test too.
const EXPIRED_CLOSE_DELAY_S = 2;
const PING_S = 2;

before(async () => {
  server = await startServer({
    conf: `client:\n  expired_close_delay: ${EXPIRED_CLOSE_DELAY_S}s\n  ping_interval: ${PING_S}s\n  pong_timeout: 1s\n`,
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  clients.clear();
  if (server) await server.kill();
});

/** A Centrifuge client for `user` with a valid token (override anything through opts). */
function client(user, opts = {}) {
  const c = new Centrifuge(opts.url || server.wsUrl, {
    websocket: WebSocket,
    token: server.token(user),
    minReconnectDelay: 100,
    maxReconnectDelay: 1000,
    timeout: 5000,
    ...opts,
  });
  clients.add(c);
  return c;
}

/** Connects and resolves with the `connected` context. */
async function connect(c) {
  const connected = once(c, 'connected');
  c.connect();
  return connected;
}

/** Subscribes and resolves with [subscription, subscribed context]. */
async function subscribe(c, channel, opts = {}) {
  const sub = c.newSubscription(channel, opts);
  const subscribed = once(sub, 'subscribed');
  sub.subscribe();
  return [sub, await subscribed];
}

const chat = (name) => `chat:${uniq(name)}`;

test('connect: the connected event carries a client id over websocket', async () => {
  const c = client('alice');
  const ctx = await connect(c);
  assert.equal(typeof ctx.client, 'string');
  assert.ok(ctx.client.length > 0, 'client id is not empty');
  assert.equal(ctx.transport, 'websocket');
  assert.equal(c.state, 'connected');
  c.disconnect();
  assert.equal(c.state, 'disconnected');
});

test('connect: an invalid token is terminal (disconnected, code 3500)', async () => {
  const c = client('mallory', { token: server.token('mallory').slice(0, -4) + 'AAAA', getToken: null });
  const disconnected = once(c, 'disconnected');
  c.connect();
  const ctx = await disconnected;
  assert.equal(ctx.code, 3500);
  assert.equal(c.state, 'disconnected');
});

test('ping: the SDK answers server pings and stays connected; a client that never pongs is closed with 3012', async () => {
  const c = client('judy');
  await connect(c);
  const reconnects = collect(c, 'connecting');

  // A raw client (of this suite's protocol) that connects and then never answers a ping.
  const rc = await raw.open(server.wsUrl);
  const { frames } = rc;
  rc.send({ id: 1, connect: { token: server.token('judy'), name: 'raw' } });
  const started = Date.now();
  const close = await Promise.race([rc.closed, sleep(PING_S * 1000 + 8000).then(() => null)]);
  assert.equal(rc.binary, PROTOBUF, PROTOBUF ? 'Protobuf arrives in binary frames' : 'JSON arrives in text frames');
  assert.ok(close, 'the silent client was closed');
  assert.equal(close.code, 3012);
  assert.ok(close.reason.length > 0, 'the close frame carries a reason');
  assert.ok(Date.now() - started >= 1000, 'not before the first ping plus the pong timeout');
  const connectReply = frames[0];
  assert.equal(connectReply.id, 1);
  assert.equal(connectReply.connect.ping, PING_S);
  assert.equal(connectReply.connect.pong, true);
  assert.deepEqual(Object.keys(connectReply.connect.subs), ['notify:#judy']);
  assert.ok(frames.slice(1).some((f) => Object.keys(f).length === 0), 'an empty ping frame came before the close');

  // Meanwhile the SDK client answered every ping.
  await sleep(Math.max(0, PING_S * 3000 - (Date.now() - started)));
  assert.deepEqual(reconnects, []);
  assert.equal(c.state, 'connected');
  c.disconnect();
});

test('subscribe: a chat channel is positioned and recoverable with an epoch', async () => {
  const c = client('alice');
  await connect(c);
  const channel = chat('sub');
  const [sub, ctx] = await subscribe(c, channel);
  assert.equal(ctx.channel, channel);
  assert.equal(ctx.recoverable, true);
  assert.equal(ctx.positioned, true);
  assert.equal(ctx.wasRecovering, false);
  assert.equal(ctx.recovered, false);
  assert.equal(ctx.streamPosition.offset, 0);
  assert.equal(typeof ctx.streamPosition.epoch, 'string');
  assert.ok(ctx.streamPosition.epoch.length > 0, 'epoch is not empty');
  assert.equal(sub.state, 'subscribed');
  c.disconnect();
});

test('subscribe: subscriptions made before connect ride in the connect frame and work', async () => {
  const c = client('alice');
  const channels = [chat('early1'), chat('early2')];
  const subs = channels.map((ch) => c.newSubscription(ch));
  const subscribed = subs.map((sub) => once(sub, 'subscribed'));
  for (const sub of subs) sub.subscribe();
  c.connect();
  const ctxs = await Promise.all(subscribed);
  assert.deepEqual(ctxs.map((x) => x.channel), channels);
  const got = once(subs[1], 'publication');
  await subs[1].publish(enc({ text: 'early' }));
  assert.deepEqual(dec((await got).data), { text: 'early' });
  c.disconnect();
});

test('subscribe: `since` recovers from a stored position; a stale epoch is not recovered', async () => {
  const c = client('alice');
  await connect(c);
  const channel = chat('since');
  let epoch;
  for (let i = 1; i <= 5; i++) ({ epoch } = await server.api('publish', { channel, data: { n: i } }));

  const sub = c.newSubscription(channel, { since: { offset: 2, epoch } });
  const got = collect(sub, 'publication');
  const subscribed = once(sub, 'subscribed');
  sub.subscribe();
  const ctx = await subscribed;
  assert.equal(ctx.wasRecovering, true);
  assert.equal(ctx.recovered, true);
  await waitFor(() => got.length === 3, { message: 'publications 3..5' });
  assert.deepEqual(got.map((p) => p.offset), [3, 4, 5]);
  assert.deepEqual(got.map((p) => dec(p.data).n), [3, 4, 5]);
  sub.unsubscribe();
  c.removeSubscription(sub);

  const stale = c.newSubscription(channel, { since: { offset: 2, epoch: 'an-old-epoch' } });
  const none = collect(stale, 'publication');
  const staleSubscribed = once(stale, 'subscribed');
  stale.subscribe();
  const sctx = await staleSubscribed;
  assert.equal(sctx.wasRecovering, true);
  assert.equal(sctx.recovered, false);
  assert.equal(sctx.streamPosition.offset, 5);
  assert.equal(sctx.streamPosition.epoch, epoch);
  await sleep(200);
  assert.deepEqual(none, []);
  c.disconnect();
});

test('subscribe: an unknown namespace is refused with 102', async () => {
  const c = client('alice');
  await connect(c);
  const sub = c.newSubscription(`nosuchns:${uniq('x')}`);
  const unsubscribed = once(sub, 'unsubscribed');
  sub.subscribe();
  const ctx = await unsubscribed;
  assert.equal(ctx.code, 102);
  assert.equal(c.state, 'connected', 'the connection survives a refused subscription');
  c.disconnect();
});

test('publish: subscribers receive the publication with data, info and offsets', async () => {
  const alice = client('alice');
  const bob = client('bob');
  const aliceCtx = await connect(alice);
  await connect(bob);
  const channel = chat('pub');
  const [aliceSub] = await subscribe(alice, channel);
  const [bobSub] = await subscribe(bob, channel);
  const bobGot = collect(bobSub, 'publication');
  const aliceGot = collect(aliceSub, 'publication');

  const result = await aliceSub.publish(enc({ text: 'hello', n: 1 }));
  assert.deepEqual(result, {});
  await aliceSub.publish(enc({ text: 'world', n: 2 }));
  await waitFor(() => bobGot.length === 2 && aliceGot.length === 2, { message: 'two publications on both' });

  assert.deepEqual(bobGot.map((p) => dec(p.data)), [{ text: 'hello', n: 1 }, { text: 'world', n: 2 }]);
  assert.deepEqual(bobGot.map((p) => p.offset), [1, 2]);
  assert.equal(bobGot[0].channel, channel);
  assert.equal(bobGot[0].info.user, 'alice');
  assert.equal(bobGot[0].info.client, aliceCtx.client);
  assert.deepEqual(aliceGot.map((p) => p.offset), [1, 2], 'the publisher receives its own publications too');
  alice.disconnect();
  bob.disconnect();
});

test('publish: a typing channel delivers ephemeral publications; history there is not available (108)', async () => {
  const alice = client('alice');
  const bob = client('bob');
  await connect(alice);
  await connect(bob);
  const channel = `typing:${uniq('t')}`;
  const [aliceSub, aliceCtx] = await subscribe(alice, channel);
  const [bobSub] = await subscribe(bob, channel);
  assert.equal(aliceCtx.recoverable, false);
  const got = once(bobSub, 'publication');
  await aliceSub.publish(enc({ typing: true, user: 'alice' }));
  const pub = await got;
  assert.deepEqual(dec(pub.data), { typing: true, user: 'alice' });
  assert.equal(pub.info.user, 'alice');
  assert.ok(!pub.offset, 'no offset on a channel without history');
  await assert.rejects(aliceSub.history({ limit: 10 }), (err) => err.code === 108);
  alice.disconnect();
  bob.disconnect();
});

test('history: pages forwards and backwards with limit, since and reverse', async () => {
  const c = client('alice');
  await connect(c);
  const channel = chat('hist');
  const [sub, ctx] = await subscribe(c, channel);
  const epoch = ctx.streamPosition.epoch;
  for (let i = 1; i <= 5; i++) await sub.publish(enc({ text: `m${i}` }));

  const all = await sub.history({ limit: 10 });
  assert.deepEqual(all.publications.map((p) => dec(p.data).text), ['m1', 'm2', 'm3', 'm4', 'm5']);
  assert.deepEqual(all.publications.map((p) => p.offset), [1, 2, 3, 4, 5]);
  assert.equal(all.publications[0].info.user, 'alice');
  assert.equal(all.offset, 5);
  assert.equal(all.epoch, epoch);

  const newest = await sub.history({ limit: 2, reverse: true });
  assert.deepEqual(newest.publications.map((p) => p.offset), [5, 4]);
  assert.equal(newest.offset, 5);

  const older = await sub.history({ limit: 2, reverse: true, since: { offset: 4, epoch } });
  assert.deepEqual(older.publications.map((p) => p.offset), [3, 2]);

  const after3 = await sub.history({ limit: 10, since: { offset: 3, epoch } });
  assert.deepEqual(after3.publications.map((p) => p.offset), [4, 5]);

  const positionOnly = await sub.history({ limit: 0 });
  assert.deepEqual(positionOnly.publications, []);
  assert.equal(positionOnly.offset, 5);
  assert.equal(positionOnly.epoch, epoch);

  await assert.rejects(sub.history({ limit: 10, since: { offset: 1, epoch: 'not-the-epoch' } }),
    (err) => err.code === 112);
  c.disconnect();
});

test('presence and presenceStats list every connection of every user', async () => {
  const alice1 = client('alice');
  const alice2 = client('alice');
  const bob = client('bob');
  const ids = [];
  for (const c of [alice1, alice2, bob]) ids.push((await connect(c)).client);
  const channel = chat('presence');
  const [sub] = await subscribe(alice1, channel);
  await subscribe(bob, channel);

  const stats2 = await sub.presenceStats();
  assert.deepEqual(stats2, { numClients: 2, numUsers: 2 });

  await subscribe(alice2, channel);
  const presence = await sub.presence();
  assert.deepEqual(Object.keys(presence.clients).sort(), [...ids].sort());
  assert.equal(presence.clients[ids[0]].user, 'alice');
  assert.equal(presence.clients[ids[0]].client, ids[0]);
  assert.equal(presence.clients[ids[1]].user, 'alice');
  assert.equal(presence.clients[ids[2]].user, 'bob');
  assert.deepEqual(await sub.presenceStats(), { numClients: 3, numUsers: 2 });
  for (const c of [alice1, alice2, bob]) c.disconnect();
});

test('join and leave events between two clients', async () => {
  const alice = client('alice');
  const bob = client('bob');
  await connect(alice);
  const bobId = (await connect(bob)).client;
  const channel = chat('joinleave');
  const [aliceSub] = await subscribe(alice, channel, { joinLeave: true });

  const joined = once(aliceSub, 'join', 10000, (ctx) => ctx.info.user === 'bob');
  const [bobSub] = await subscribe(bob, channel, { joinLeave: true });
  const join = await joined;
  assert.equal(join.channel, channel);
  assert.equal(join.info.client, bobId);

  const left = once(aliceSub, 'leave', 10000, (ctx) => ctx.info.user === 'bob');
  bobSub.unsubscribe();
  const leave = await left;
  assert.equal(leave.channel, channel);
  assert.equal(leave.info.client, bobId);

  // A disconnect is a leave too.
  const rejoined = once(aliceSub, 'join', 10000, (ctx) => ctx.info.user === 'bob');
  bobSub.subscribe();
  await rejoined;
  const gone = once(aliceSub, 'leave', 10000, (ctx) => ctx.info.user === 'bob');
  bob.disconnect();
  assert.equal((await gone).info.client, bobId);
  alice.disconnect();
  bob.disconnect();
});

test('rpc: read stores a monotonic position, unread counts after it, other connections get a read push', async () => {
  const bob = client('bob');
  const aliceA = client('alice');
  const aliceB = client('alice');
  const carol = client('carol');
  for (const c of [bob, aliceA, aliceB, carol]) await connect(c);
  const channel = chat('unread');
  const [bobSub] = await subscribe(bob, channel);
  for (let i = 1; i <= 3; i++) await bobSub.publish(enc({ text: `u${i}` }));
  await subscribe(aliceA, channel);

  const before = await aliceA.rpc('unread', enc({ channels: [channel] }));
  assert.deepEqual(dec(before.data), { channels: { [channel]: 3 } });

  const onA = collect(aliceA, 'message');
  const onB = once(aliceB, 'message');
  const read = await aliceA.rpc('read', enc({ channel, offset: 2 }));
  assert.deepEqual(dec(read.data), { offset: 2 });
  const push = await onB;
  assert.deepEqual(dec(push.data), { type: 'read', channel, offset: 2 });

  assert.deepEqual(dec((await aliceA.rpc('unread', enc({ channels: [channel] }))).data), { channels: { [channel]: 1 } });
  assert.deepEqual(dec((await aliceB.rpc('unread', enc({ channels: [channel] }))).data), { channels: { [channel]: 1 } });

  // Monotonic: an older position does not move the stored one back.
  const stale = await aliceA.rpc('read', enc({ channel, offset: 1 }));
  assert.deepEqual(dec(stale.data), { offset: 2 });
  assert.deepEqual(dec((await aliceA.rpc('unread', enc({ channels: [channel] }))).data), { channels: { [channel]: 1 } });

  // Without `channels`: the channels this connection is subscribed to.
  const implicit = await aliceA.rpc('unread', enc({}));
  assert.equal(dec(implicit.data).channels[channel], 1);

  // Read positions are per user.
  assert.deepEqual(dec((await carol.rpc('unread', enc({ channels: [channel] }))).data), { channels: { [channel]: 3 } });

  await sleep(300);
  assert.deepEqual(onA, [], 'the connection that marked the channel read gets no read push');
  for (const c of [bob, aliceA, aliceB, carol]) c.disconnect();
});

test('personal channel: notify:#<user> is server-side subscribed and receives API publications', async () => {
  const user = uniq('dora');
  const other = uniq('eve');
  const c = client(user);
  const o = client(other);
  const subscribed = once(c, 'subscribed', 10000, (ctx) => ctx.channel === `notify:#${user}`);
  await connect(c);
  await connect(o);
  const sctx = await subscribed;
  assert.equal(sctx.channel, `notify:#${user}`);
  const mine = collect(c, 'publication');
  const theirs = collect(o, 'publication');

  const res = await server.api('publish', { channel: `notify:#${user}`, data: { text: 'you have mail' } });
  assert.equal(res.offset, 1);
  assert.equal(typeof res.epoch, 'string');
  await waitFor(() => mine.length === 1, { message: 'the personal publication' });
  assert.equal(mine[0].channel, `notify:#${user}`);
  assert.deepEqual(dec(mine[0].data), { text: 'you have mail' });
  assert.equal(mine[0].offset, 1);
  await sleep(200);
  assert.equal(theirs.length, 0, 'another user does not receive it');
  c.disconnect();
  o.disconnect();
});

test('token: an expired token gets 109, getToken supplies a fresh one and the client ends connected', async () => {
  let calls = 0;
  const c = client('frank', {
    token: server.token('frank', { ttl: -60 }),
    getToken: async () => { calls += 1; return server.token('frank', { ttl: 3600 }); },
  });
  const ctx = await connect(c);
  assert.equal(calls, 1, 'getToken called exactly once');
  assert.equal(c.state, 'connected');
  assert.ok(ctx.client.length > 0);
  const [sub] = await subscribe(c, chat('tok'));
  await sub.publish(enc({ text: 'after refresh' }));
  c.disconnect();
});

test('token: a connection whose token expires unrefreshed is closed with 3005 after the grace', async () => {
  // getToken never settles: the SDK wants to refresh but cannot, so only the server can end this connection.
  const c = client('ivan', { token: server.token('ivan', { ttl: 2 }), getToken: () => new Promise(() => {}) });
  await connect(c);
  const closed = once(c, 'connecting', 15000);
  const ctx = await closed;
  assert.equal(ctx.code, 3005);
  c.disconnect();
});

test('token: a short-lived token is refreshed while connected, without a reconnect', async () => {
  let calls = 0;
  const c = client('grace', {
    token: server.token('grace', { ttl: 3 }),
    getToken: async () => { calls += 1; return server.token('grace', { ttl: 3600 }); },
  });
  await connect(c);
  const drops = collect(c, 'disconnected');
  const reconnects = collect(c, 'connecting');
  await waitFor(() => calls >= 1, { timeoutMs: 10000, message: 'the SDK to refresh the token' });
  // Past the old expiry plus the server's grace: an unrefreshed connection would have been closed by now.
  await sleep((EXPIRED_CLOSE_DELAY_S + 2) * 1000);
  assert.equal(calls, 1);
  assert.equal(c.state, 'connected');
  assert.deepEqual(drops, []);
  assert.deepEqual(reconnects, []);
  const res = await c.rpc('unread', enc({ channels: [] }));
  assert.ok(res.data && typeof dec(res.data).channels === 'object', 'the connection still serves commands');
  c.disconnect();
});

test('recovery: after a server restart the subscription recovers every missed publication exactly once', async () => {
  const proxy = await startProxy(server.port);
  try {
    const c = client('heidi', { url: proxy.wsUrl });
    await connect(c);
    const channel = chat('recover');
    const [sub, first] = await subscribe(c, channel);
    const epoch = first.streamPosition.epoch;
    const got = collect(sub, 'publication');
    const subscribedEvents = collect(sub, 'subscribed');
    for (let i = 1; i <= 3; i++) await server.api('publish', { channel, data: { n: i } });
    await waitFor(() => got.length === 3, { message: 'the first three publications' });

    // Down: the server stops; the client cannot come back until the proxy allows it.
    proxy.refuse();
    const dropped = once(c, 'connecting');
    await server.stop();
    await dropped;
    await server.start();
    for (let i = 4; i <= 6; i++) await server.api('publish', { channel, data: { n: i } });

    // Back: the SDK reconnects and resubscribes with recover, offset, epoch.
    proxy.allow();
    await waitFor(() => subscribedEvents.length === 1, { timeoutMs: 20000, message: 'the resubscription' });
    const re = subscribedEvents[0];
    assert.equal(re.wasRecovering, true);
    assert.equal(re.recovered, true);
    assert.equal(re.streamPosition.epoch, epoch, 'the epoch survives a restart (durable stream)');
    for (let i = 7; i <= 8; i++) await server.api('publish', { channel, data: { n: i } });

    await waitFor(() => got.length >= 8, { message: 'all eight publications' });
    await sleep(300);
    assert.deepEqual(got.map((p) => p.offset), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(got.map((p) => dec(p.data).n), [1, 2, 3, 4, 5, 6, 7, 8]);
    const history = await sub.history({ limit: 100 });
    assert.deepEqual(history.publications.map((p) => dec(p.data).n), [1, 2, 3, 4, 5, 6, 7, 8]);
    c.disconnect();
  } finally {
    await proxy.close();
  }
});
