'use strict';
// The official centrifuge SDK against two clustered Switchboard nodes sharing one PostgreSQL:
// a client on node A receives what a client on node B publishes, in order, once; and the same across codecs
// (the SDK's JSON build on one node, its Protobuf build on the other).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { Centrifuge } = require('centrifuge');
const { startCluster } = require('./lib/server');
const { once, waitFor, uniq } = require('./lib/util');
const { ProtobufCentrifuge, toBytes, fromBytes } = require('./lib/codec');

const nodes = [];
const clients = [];

before(async () => {
  nodes.push(...await startCluster(2, {
    // Web Push is on by default and, outside demo mode, needs a VAPID key pair (a test pair).
    env: () => ({
      SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY:
        'BL3q4DxMgvPSKkO2gAmEiuMmV6sbVpwgVN35oXS30mfXGvkUCbihmEeu7wnMNviiCTq39EVCdxx8w_UEuqCMSn0',
      SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY: 'c-IES9xVrNcmE1JoWIICv7CHZGuz4icKsb444g8WFmE',
    }),
  }));
});

after(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(nodes.map((n) => n.kill()));
});

function client(node, user, Build = Centrifuge) {
  const c = new Build(node.wsUrl, { websocket: WebSocket, token: node.token(user) });
  clients.push(c);
  c.connect();
  return c;
}

test('a client on node A receives what a client on node B publishes', async () => {
  const [a, b] = nodes;
  const channel = `chat:${uniq('cross')}`;
  const onA = client(a, 'alice');
  const onB = client(b, 'bob');
  const subA = onA.newSubscription(channel);
  const got = [];
  subA.on('publication', (ctx) => got.push(ctx));
  subA.subscribe();
  const subB = onB.newSubscription(channel);
  subB.subscribe();
  await subA.ready(10000);
  await subB.ready(10000);
  for (let i = 0; i < 10; i++) await subB.publish({ text: `hello ${i}` });
  await waitFor(() => got.length >= 10, { timeoutMs: 10000, message: "10 publications on node A" });
  assert.deepEqual(got.map((p) => p.data.text), [...Array(10).keys()].map((i) => `hello ${i}`));
  assert.deepEqual(got.map((p) => Number(p.offset)), [...Array(10).keys()].map((i) => i + 1));
  assert.equal(got[0].info.user, 'bob');
  // and presence is cluster-wide: node A sees bob, who is connected to node B
  await waitFor(async () => Object.keys((await subA.presence()).clients).length === 2, { timeoutMs: 5000, message: "presence of both" });
  const users = Object.values((await subA.presence()).clients).map((ci) => ci.user).sort();
  assert.deepEqual(users, ['alice', 'bob']);
});

test('across nodes and codecs: publications, joins and server-side subscriptions reach a Protobuf client', async () => {
  const [a, b] = nodes;
  const channel = `chat:${uniq('mixed')}`;
  const paul = client(a, 'paul', ProtobufCentrifuge); // Protobuf, on node A
  const jane = client(b, 'jane'); // JSON, on node B
  const subP = paul.newSubscription(channel, { joinLeave: true });
  const got = [];
  subP.on('publication', (ctx) => got.push(ctx));
  subP.subscribe();
  await subP.ready(10000);
  const joined = once(subP, 'join', 10000, (ctx) => ctx.info.user === 'jane');
  const subJ = jane.newSubscription(channel);
  const gotJ = [];
  subJ.on('publication', (ctx) => gotJ.push(ctx));
  subJ.subscribe();
  await subJ.ready(10000);
  await joined;
  for (let i = 0; i < 4; i++) await subJ.publish({ n: i });
  for (let i = 4; i < 8; i++) await subP.publish(toBytes({ n: i }));
  await waitFor(() => got.length >= 8 && gotJ.length >= 8, { timeoutMs: 10000, message: '8 publications on both' });
  assert.deepEqual(got.map((p) => fromBytes(p.data).n), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(gotJ.map((p) => p.data.n), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(got.map((p) => Number(p.offset)), gotJ.map((p) => Number(p.offset)));

  // The server API on node B subscribes paul (on node A) to another channel: the subscribe push and then the
  // channel's publications reach the Protobuf client.
  const other = `chat:${uniq('serverside')}`;
  const subscribed = once(paul, 'subscribed', 10000, (ctx) => ctx.channel === other);
  await b.api('subscribe', { user: 'paul', channel: other });
  await subscribed;
  const pub = once(paul, 'publication', 10000, (ctx) => ctx.channel === other);
  await b.api('publish', { channel: other, data: { server: 'side' } });
  assert.deepEqual(fromBytes((await pub).data), { server: 'side' });
});

/** A client held by node `streamNode` over `transport`, whose emulation requests all go to node `postNode`. */
function crossClient(transport, streamNode, postNode, user, posted) {
  const { EventSource } = require('eventsource');
  const c = new Centrifuge([{ transport, endpoint: `${streamNode.url}/connection/${transport}` }], {
    token: streamNode.token(user),
    emulationEndpoint: `${postNode.url}/emulation`,
    eventsource: EventSource,
    fetch: (url, opts) => {
      posted.push(String(url));
      return fetch(url, opts);
    },
    timeout: 5000,
  });
  clients.push(c);
  return c;
}

for (const transport of ['http_stream', 'sse']) {
  test(`${transport}: the stream on node A, the emulation requests to node B`, async () => {
    const [a, b] = nodes;
    const channel = `chat:${uniq(`emu-${transport}`)}`;
    const posted = [];
    const erin = crossClient(transport, a, b, 'erin', posted);
    const connected = new Promise((resolve) => erin.once('connected', resolve));
    erin.connect();
    assert.equal((await connected).transport, transport);
    const sub = erin.newSubscription(channel);
    const got = [];
    sub.on('publication', (ctx) => got.push(ctx));
    sub.subscribe();
    await sub.ready(10000);
    // A WebSocket client on node B publishes; erin (stream on A) receives, and publishes back via B.
    const frank = client(b, 'frank');
    const subF = frank.newSubscription(channel);
    const gotF = [];
    subF.on('publication', (ctx) => gotF.push(ctx));
    subF.subscribe();
    await subF.ready(10000);
    await subF.publish({ text: 'from frank' });
    await sub.publish({ text: 'from erin' });
    await waitFor(() => got.length === 2 && gotF.length === 2, { timeoutMs: 10000, message: 'both publications on both' });
    assert.deepEqual(got.map((p) => p.data.text), ['from frank', 'from erin']);
    await waitFor(async () => Object.keys((await sub.presence()).clients).length === 2,
      { timeoutMs: 5000, message: 'presence of both' });
    const rpc = await erin.rpc('unread', { channels: [channel] });
    assert.deepEqual(rpc.data, { channels: { [channel]: 2 } });
    // Every command after connect went to node B; the stream itself to node A.
    const emulated = posted.filter((u) => u.endsWith('/emulation'));
    assert.ok(emulated.length >= 4, `emulation requests: ${posted.join(' ')}`);
    assert.ok(emulated.every((u) => u.startsWith(b.url)), posted.join(' '));
    if (transport === 'http_stream') {
      assert.ok(posted.some((u) => u.startsWith(`${a.url}/connection/http_stream`)), posted.join(' '));
    }
    erin.disconnect();
    frank.disconnect();
  });
}

test('an emulation request naming a node that is not in the cluster gets 404', async () => {
  const res = await fetch(`${nodes[1].url}/emulation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session: 'x', node: 'no-such-node', data: '{}' }),
  });
  assert.equal(res.status, 404);
  // An unknown session, on this node and on the other one (asked over the cluster): 404 as well.
  const info = await nodes[1].api('info');
  assert.equal(info.nodes.length, 2);
  for (const { uid } of info.nodes) {
    const unknown = await fetch(`${nodes[1].url}/emulation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ session: 'no-such-session', node: uid, data: '{}' }),
    });
    assert.equal(unknown.status, 404, `node ${uid}`);
  }
});
