'use strict';
// The official centrifuge SDK over the HTTP fallbacks: HTTP-streaming (fetch + ReadableStream) and SSE (an
// EventSource: Node 20 has none, so the `eventsource` package), each with its commands POSTed to /emulation.
// Then what the endpoints answer to bad input.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { Centrifuge } = require('centrifuge');
const { EventSource } = require('eventsource');
const { startServer } = require('./lib/server');
const { once, collect, waitFor, uniq } = require('./lib/util');
const { ProtobufCentrifuge, toBytes, fromBytes } = require('./lib/codec');

let server;
const clients = new Set();

before(async () => {
  // Pings every 2 s with a 1 s pong timeout: a client whose pongs did not reach its session by emulation
  // would be dropped with 3012 during the tests.
  server = await startServer({ conf: 'client:\n  ping_interval: 2s\n  pong_timeout: 1s\n  max_message_bytes: 65536\n' });
});

after(async () => {
  for (const c of clients) c.disconnect();
  if (server) await server.kill();
});

function streamClient(transport, user, opts = {}) {
  const c = new Centrifuge([{ transport, endpoint: `${server.url}/connection/${transport}` }], {
    token: server.token(user),
    emulationEndpoint: `${server.url}/emulation`,
    eventsource: EventSource,
    minReconnectDelay: 1500, // longer than an API publish: what is published meanwhile must be recovered
    maxReconnectDelay: 2000,
    timeout: 5000,
    ...opts,
  });
  clients.add(c);
  return c;
}

for (const transport of ['http_stream', 'sse']) {
  test(`${transport}: connect, subscribe, publish, history, presence, rpc`, async () => {
    const channel = `chat:${uniq(transport)}`;
    const alice = streamClient(transport, 'alice');
    const bob = streamClient(transport, 'bob');
    const connected = once(alice, 'connected');
    alice.connect();
    const ctx = await connected;
    assert.equal(ctx.transport, transport);
    const subA = alice.newSubscription(channel);
    const gotA = collect(subA, 'publication');
    const joins = collect(subA, 'join');
    subA.subscribe();
    await subA.ready(5000);
    bob.connect();
    const subB = bob.newSubscription(channel);
    const gotB = collect(subB, 'publication');
    subB.subscribe();
    await subB.ready(5000);
    await waitFor(() => joins.some((j) => j.info.user === 'bob'), { message: 'bob joins' });

    for (let i = 0; i < 5; i++) await subA.publish({ text: `m${i}` });
    await waitFor(() => gotB.length === 5 && gotA.length === 5, { message: 'five publications to both' });
    assert.deepEqual(gotB.map((p) => p.data.text), ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.deepEqual(gotB.map((p) => Number(p.offset)), [1, 2, 3, 4, 5]);
    assert.equal(gotB[0].info.user, 'alice');

    const history = await subB.history({ limit: 10 });
    assert.deepEqual(history.publications.map((p) => p.data.text), ['m0', 'm1', 'm2', 'm3', 'm4']);
    const presence = await subB.presence();
    assert.deepEqual(Object.values(presence.clients).map((c) => c.user).sort(), ['alice', 'bob']);
    const stats = await subA.presenceStats();
    assert.equal(stats.numUsers, 2);
    const unread = await bob.rpc('unread', { channels: [channel] });
    assert.deepEqual(unread.data, { channels: { [channel]: 5 } });
    // Pings go out every 2 s and the pongs come back by emulation: still connected after several.
    await new Promise((r) => setTimeout(r, 4500));
    assert.equal(alice.state, 'connected');
    await subA.publish({ text: 'still here' });
    await waitFor(() => gotB.length === 6, { message: 'a publication after several pings' });
    const { _session: session, _node: node } = alice; // what the connect reply named
    assert.ok(session && node);
    alice.disconnect();
    bob.disconnect();
    // The client ends its stream: the node closes the session and forgets it.
    await waitFor(async () => (await server.api('info')).nodes[0].num_clients === 0, { message: 'sessions closed' });
    const late = await fetch(`${server.url}/emulation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ session, node, data: '{"id":99,"rpc":{"method":"unread"}}' }),
    });
    assert.equal(late.status, 404);
  });

  test(`${transport}: a server disconnect arrives as a push; the client reconnects and recovers`, async () => {
    const channel = `chat:${uniq(`${transport}-rec`)}`;
    const carol = streamClient(transport, 'carol');
    carol.connect();
    const sub = carol.newSubscription(channel);
    const got = collect(sub, 'publication');
    sub.subscribe();
    await sub.ready(5000);
    await sub.publish({ text: 'before' });
    await waitFor(() => got.length === 1, { message: 'the first publication' });

    const connecting = once(carol, 'connecting');
    const resubscribed = once(sub, 'subscribed');
    await server.api('disconnect', { user: 'carol', disconnect: { code: 3011, reason: 'force reconnect' } });
    const why = await connecting;
    assert.equal(why.code, 3011, 'the disconnect push told the client why (not a bare transport close)');
    for (const text of ['gap 1', 'gap 2']) await server.api('publish', { channel, data: { text } });
    const ctx = await resubscribed;
    assert.equal(ctx.wasRecovering, true);
    assert.equal(ctx.recovered, true);
    await waitFor(() => got.length === 3, { message: 'the missed publications' });
    assert.deepEqual(got.map((p) => p.data.text), ['before', 'gap 1', 'gap 2']);
    assert.deepEqual(got.map((p) => Number(p.offset)), [1, 2, 3]);
    carol.disconnect();
  });
}

test('http_stream with the Protobuf build of the SDK: binary stream, emulation as EmulationRequest', async () => {
  const channel = `chat:${uniq('pb-stream')}`;
  const mk = (user) => {
    const c = new ProtobufCentrifuge([{ transport: 'http_stream', endpoint: `${server.url}/connection/http_stream` }], {
      token: server.token(user),
      emulationEndpoint: `${server.url}/emulation`,
      timeout: 5000,
    });
    clients.add(c);
    return c;
  };
  const paula = mk('paula');
  const quinn = mk('quinn');
  const connected = once(paula, 'connected');
  paula.connect();
  assert.equal((await connected).transport, 'http_stream');
  const subP = paula.newSubscription(channel);
  subP.subscribe();
  await subP.ready(5000);
  quinn.connect();
  const subQ = quinn.newSubscription(channel);
  const gotQ = collect(subQ, 'publication');
  subQ.subscribe();
  await subQ.ready(5000);
  for (let i = 0; i < 3; i++) await subP.publish(toBytes({ n: i }));
  await waitFor(() => gotQ.length === 3, { message: 'three publications over the Protobuf stream' });
  assert.deepEqual(gotQ.map((p) => fromBytes(p.data).n), [0, 1, 2]);
  assert.deepEqual(gotQ.map((p) => Number(p.offset)), [1, 2, 3]);
  const history = await subQ.history({ limit: 10 });
  assert.deepEqual(history.publications.map((p) => fromBytes(p.data).n), [0, 1, 2]);
  const presence = await subQ.presence();
  assert.deepEqual(Object.values(presence.clients).map((c) => c.user).sort(), ['paula', 'quinn']);
  const unread = await quinn.rpc('unread', toBytes({ channels: [channel] }));
  assert.deepEqual(fromBytes(unread.data), { channels: { [channel]: 3 } });
  paula.disconnect();
  quinn.disconnect();
});

test('the connect reply of a stream names its session and this node', async () => {
  const info = await server.api('info');
  const res = await fetch(`${server.url}/connection/http_stream`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 1, connect: { token: server.token('dave') } }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('cache-control'), /no-cache/);
  const reader = res.body.getReader();
  const { value } = await reader.read();
  const reply = JSON.parse(new TextDecoder().decode(value).split('\n')[0]);
  assert.equal(reply.id, 1);
  assert.equal(reply.connect.node, info.nodes[0].uid);
  assert.match(reply.connect.session, /^[0-9a-f-]{36}$/);
  // A later command by emulation: its reply comes down the same stream.
  const post = await fetch(`${server.url}/emulation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session: reply.connect.session, node: reply.connect.node,
      data: JSON.stringify({ id: 2, rpc: { method: 'unread', data: { channels: [] } } }) }),
  });
  assert.equal(post.status, 204);
  let text = '';
  while (!text.includes('"id":2')) text += new TextDecoder().decode((await reader.read()).value);
  const second = JSON.parse(text.split('\n').find((l) => l.includes('"id":2')));
  assert.deepEqual(second, { id: 2, rpc: { data: { channels: {} } } });
  await reader.cancel();
});

test('bad input gets a status and no stack trace', async () => {
  const info = await server.api('info');
  const node = info.nodes[0].uid;
  const post = (path, body, headers = { 'Content-Type': 'application/json' }) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const emulation = (req) => post('/emulation', JSON.stringify(req));
  const cases = [
    ['unknown session', await emulation({ session: 'no-such-session', node, data: '{}' }), 404],
    ['unknown node', await emulation({ session: 'no-such-session', node: 'no-such-node', data: '{}' }), 404],
    ['garbage', await post('/emulation', 'not json {'), 400],
    ['no data', await emulation({ session: 's', node }), 400],
    ['data not a string', await emulation({ session: 's', node, data: { id: 1 } }), 400],
    ['not an object', await post('/emulation', '[1,2]'), 400],
    ['garbage protobuf', await post('/emulation', Buffer.from([0xff, 0xff, 0xff]),
      { 'Content-Type': 'application/octet-stream' }), 400],
    ['oversized emulation', await emulation({ session: 's', node, data: 'x'.repeat(70000) }), 413],
    ['oversized connect', await post('/connection/http_stream', 'x'.repeat(70000)), 413],
    ['empty connect', await post('/connection/http_stream', ''), 400],
    ['GET http_stream', await fetch(`${server.url}/connection/http_stream`), 405],
    ['GET emulation', await fetch(`${server.url}/emulation`), 405],
    ['sse without cf_connect', await fetch(`${server.url}/connection/sse`), 400],
    ['foreign origin', await post('/emulation', '{}', { 'Content-Type': 'application/json', Origin: 'https://evil.example' }), 403],
    ['foreign origin stream', await post('/connection/http_stream', '{}', { Origin: 'https://evil.example' }), 403],
  ];
  for (const [name, res, status] of cases) {
    const body = await res.text().catch(() => '');
    assert.equal(res.status, status, `${name}: HTTP ${res.status} ${body}`);
    assert.doesNotMatch(body, /Exception|\tat /, `${name}: no stack trace`);
  }
  // A preflight from an allowed origin is answered with CORS headers.
  const origin = `http://127.0.0.1:${server.port}`;
  const pre = await fetch(`${server.url}/emulation`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), origin);
  assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
  // Still serving after all that.
  assert.equal((await fetch(`${server.url}/health/ready`)).status, 200);
});
