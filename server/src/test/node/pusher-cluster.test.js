'use strict';
// The Pusher front end on three clustered Switchboard nodes (separate processes sharing one PostgreSQL), with
// the real npm libraries: a pusher-js client on node A gets what the `pusher` server SDK triggers through node
// C, and after a kill -9 of node B the presence members B held leave: the other subscribers get
// pusher:member_removed and GET /apps/{id}/channels/presence-x/users (asked of either survivor) no longer
// lists them. And Switchboard's opt-in resume extension (docs/pusher.md, "Resuming"): a pusher-js client that
// asks for it gets, after a reconnect, what was triggered (through another node) while it was away, in order,
// then the live events; a plain pusher-js client sees nothing but Pusher's frames.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster } = require('./lib/server');
const { waitFor, sleep, uniq } = require('./lib/util');
const { serverSdk, authorize, authEndpoint, pusherClient, subscribed } = require('./lib/pusher');

const APP = { id: 'cl1', key: 'cl1-key', secret: 'cl1-secret-0123456789abcdef' };
const nodes = []; // A, B, C
const clients = [];
let auth;

before(async () => {
  const conf = `pusher:
  apps:
    - {id: ${APP.id}, key: ${APP.key}, secret: ${APP.secret}}
channels:
  namespaces:
    pusher_${APP.id}:
      history_size: 100
      history_ttl: 1h
`;
  nodes.push(...await startCluster(3, {
    conf,
    env: (i, port) => ({
      SWITCHBOARD_NODE_NAME: `pusher-${'abc'[i]}`,
      SWITCHBOARD_ALLOWED_HOSTS: `127.0.0.1:${port}`,
      SWITCHBOARD_PUSH_ENABLED: 'false',
    }),
  }));
  // The application's auth endpoint: it signs private and presence subscriptions with the server SDK.
  const signer = sdk(nodes[0]);
  auth = await authEndpoint((req, params) => {
    const user = req.headers['x-user'];
    return authorize(signer, params, { user_id: user, user_info: { name: `User ${user}` } });
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  if (auth) await auth.close();
  await Promise.all(nodes.map((n) => n.kill()));
});

/** The `pusher` server SDK pointed at one node. */
function sdk(node) {
  return serverSdk(APP, node);
}

function connect(node, user) {
  const c = pusherClient(APP, node, {
    channelAuthorization: { endpoint: `${auth.url}/pusher/auth`, transport: 'ajax', headers: { 'X-User': user } },
  });
  clients.push(c);
  return c;
}

async function users(node, channel) {
  const res = await sdk(node).get({ path: `/channels/${channel}/users` });
  return (await res.json()).users.map((u) => u.id).sort();
}

function memberIds(ch) {
  const ids = [];
  ch.members.each((m) => ids.push(m.id));
  return ids.sort();
}

test('a pusher-js client on node A gets what the server SDK triggers through node C', { timeout: 60000 }, async () => {
  const [a, , c] = nodes;
  const alice = connect(a, 'alice');
  const name = uniq('news-');
  const { ch } = await subscribed(alice, name);
  const got = [];
  ch.bind('headline', (d) => got.push(d));
  const viaC = sdk(c);
  for (let i = 0; i < 5; i++) await viaC.trigger(name, 'headline', { n: i });
  await viaC.triggerBatch([{ channel: name, name: 'headline', data: JSON.stringify({ n: 5 }) }]);
  await waitFor(() => got.length >= 6, { message: 'six events on node A' });
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5].map((n) => ({ n })));
  // node C answers channel queries for a subscriber held by node A
  const info = await (await viaC.get({ path: `/channels/${name}`, params: { info: 'subscription_count' } })).json();
  assert.equal(info.occupied, true);
  assert.equal(info.subscription_count, 1);
});

test('presence after a kill -9 of node B: its members leave, member_removed reaches the others', { timeout: 120000 }, async () => {
  const [a, b, c] = nodes;
  const channel = `presence-${uniq('room')}`;
  const alice = connect(a, 'alice');
  const { ch: chA } = await subscribed(alice, channel);
  const carol = connect(c, 'carol');
  const { ch: chC } = await subscribed(carol, channel);
  const removedOnA = [];
  const removedOnC = [];
  chA.bind('pusher:member_removed', (m) => removedOnA.push(m.id));
  chC.bind('pusher:member_removed', (m) => removedOnC.push(m.id));
  // bob and dave are held by node B; alice also has a second connection there (she stays: node A holds her)
  const onB = ['bob', 'dave', 'alice'].map((u) => connect(b, u));
  for (const p of onB) await subscribed(p, channel);
  await waitFor(() => chA.members.count === 4 && chC.members.count === 4, { message: 'four members seen on A and C' });
  assert.deepEqual(memberIds(chA), ['alice', 'bob', 'carol', 'dave']);
  assert.deepEqual(await users(c, channel), ['alice', 'bob', 'carol', 'dave']);

  const killedAt = Date.now();
  b.child.kill('SIGKILL');
  await b.child.exited;
  for (const p of onB) p.disconnect(); // they would only retry the dead port
  await waitFor(() => removedOnA.length >= 2 && removedOnC.length >= 2,
    { timeoutMs: 60000, message: 'member_removed for bob and dave on A and C' });
  const noticedMs = Date.now() - killedAt;
  await sleep(1000); // nothing more arrives: alice stays, nobody leaves twice
  assert.deepEqual(removedOnA.sort(), ['bob', 'dave']);
  assert.deepEqual(removedOnC.sort(), ['bob', 'dave']);
  assert.deepEqual(memberIds(chA), ['alice', 'carol']);
  assert.deepEqual(memberIds(chC), ['alice', 'carol']);
  assert.equal(chA.members.count, 2);
  assert.deepEqual(await users(a, channel), ['alice', 'carol']);
  assert.deepEqual(await users(c, channel), ['alice', 'carol']);
  // the survivors still talk: an event triggered through A reaches carol on C
  const got = new Promise((r) => chC.bind('after', r));
  await sdk(a).trigger(channel, 'after', { ok: true });
  assert.deepEqual(await got, { ok: true });
  console.log(`kill -9: member_removed on both survivors ${noticedMs} ms after the kill`);
});

/**
 * Every frame as the server wrote it, parsed, on every connection of a pusher-js client: pusher-js's own
 * 'message' events keep only event, channel, data and user_id, so the extension's side field is read here.
 */
function onRawFrame(pusher, fn) {
  pusher.connection.bind('connected', () => {
    pusher.connection.connection.transport.bind('message', (ev) => fn(JSON.parse(ev.data)));
  });
}

/**
 * The client side of the resume extension, as an application would add it to pusher-js: every pusher:subscribe
 * of the listed channels asks for resume, from the last position seen when there is one (pusher-js subscribes
 * its channels again by itself after a reconnect), and the positions are read off the raw frames.
 */
function withResume(pusher, channels, positions = {}) {
  const send = pusher.send_event.bind(pusher);
  pusher.send_event = (event, data, channel) => {
    if (event === 'pusher:subscribe' && channels.includes(data.channel)) {
      const p = positions[data.channel];
      data = { ...data, switchboard_resume: p ? { offset: p.offset, epoch: p.epoch } : true };
    }
    return send(event, data, channel);
  };
  const resumed = [];
  onRawFrame(pusher, (m) => {
    if (m.event === 'switchboard:resumed') {
      const d = JSON.parse(m.data);
      resumed.push(d);
      if (d.epoch) positions[m.channel] = { offset: d.offset, epoch: d.epoch };
    } else if (m.switchboard_offset && positions[m.channel]) {
      positions[m.channel].offset = Math.max(positions[m.channel].offset, m.switchboard_offset);
    }
  });
  return { positions, resumed };
}

function rawFrames(pusher, channel) {
  const frames = [];
  onRawFrame(pusher, (m) => { if (m.channel === channel) frames.push(m); });
  return frames;
}

test('resume: a reconnecting pusher-js client gets what it missed, in order, then live; plain clients see Pusher frames', { timeout: 90000 }, async () => {
  const [a, , c] = nodes;
  const viaC = sdk(c);
  const name = uniq('feed-');
  const r = connect(a, 'rita');
  const ext = withResume(r, [name]);
  const frames = rawFrames(r, name);
  const plain = connect(a, 'paul');
  const plainFrames = rawFrames(plain, name);
  const { ch } = await subscribed(r, name);
  const { ch: plainCh } = await subscribed(plain, name);
  const got = [];
  ch.bind('tick', (d) => got.push(d.n));
  const plainGot = [];
  plainCh.bind('tick', (d) => plainGot.push(d.n));
  await waitFor(() => ext.resumed.length === 1, { message: 'switchboard:resumed after the first subscribe' });
  assert.equal(ext.resumed[0].offset, 0);
  assert.ok(ext.resumed[0].epoch);
  for (let i = 0; i < 3; i++) await viaC.trigger(name, 'tick', { n: i });
  await waitFor(() => got.length === 3 && plainGot.length === 3, { message: 'three live events on both' });
  assert.deepEqual(frames.filter((m) => m.event === 'tick').map((m) => m.switchboard_offset), [1, 2, 3]);

  // away: four events are triggered (through node C) while the client is disconnected
  r.disconnect();
  await waitFor(() => r.connection.state === 'disconnected', { message: 'disconnected' });
  for (let i = 3; i < 7; i++) await viaC.trigger(name, 'tick', { n: i });
  r.connect(); // pusher-js subscribes again by itself, and the extension asks from offset 3
  await waitFor(() => ext.resumed.length === 2, { timeoutMs: 15000, message: 'switchboard:resumed after the reconnect' });
  assert.deepEqual(ext.resumed[1], { offset: 7, epoch: ext.resumed[0].epoch, recovered: true, replayed: 4 });
  await waitFor(() => got.length === 7, { message: 'the four missed events' });
  await viaC.trigger(name, 'tick', { n: 7 });
  await waitFor(() => got.length === 8 && plainGot.length === 8, { message: 'the live event after the replay' });
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7], 'every event once, in order, no gap');
  assert.deepEqual(frames.filter((m) => m.event === 'tick').map((m) => m.switchboard_offset), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(ext.positions[name].offset, 8);

  // the plain client saw exactly Pusher's frames: subscription_succeeded and the events, three fields each
  assert.deepEqual(plainGot, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(plainFrames.map((m) => m.event), ['pusher_internal:subscription_succeeded',
    ...Array(8).fill('tick')]);
  for (const m of plainFrames) assert.deepEqual(Object.keys(m).sort(), ['channel', 'data', 'event'], JSON.stringify(m));

  // a position of another stream (or one too old): a clear signal that what was missed is lost, then live
  const lost = connect(a, 'lena');
  const lostExt = withResume(lost, [name], { [name]: { offset: 2, epoch: 'not-this-stream' } });
  const { ch: lostCh } = await subscribed(lost, name);
  const lostGot = [];
  lostCh.bind('tick', (d) => lostGot.push(d.n));
  await waitFor(() => lostExt.resumed.length === 1, { message: 'switchboard:resumed for the unknown position' });
  const signal = lostExt.resumed[0];
  assert.equal(signal.recovered, false);
  assert.equal(signal.replayed, 0);
  assert.match(signal.reason, /unknown or too old/);
  assert.equal(signal.offset, 8);
  await viaC.trigger(name, 'tick', { n: 8 });
  await waitFor(() => lostGot.length === 1, { message: 'live after the failed resume' });
  assert.deepEqual(lostGot, [8]);

  // a channel without history: the extension says so
  const eph = connect(a, 'emil');
  const ephExt = withResume(eph, ['private-nohistory']);
  await subscribed(eph, 'private-nohistory');
  await waitFor(() => ephExt.resumed.length === 1, { message: 'switchboard:resumed on a channel without history' });
  assert.deepEqual(ephExt.resumed[0], { recovered: false, reason: 'the channel keeps no history' });
});
