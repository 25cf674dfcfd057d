'use strict';
// JSON and Protobuf clients on one node: both builds of the official SDK (`centrifuge` and
// `centrifuge/build/protobuf`) on the same channels, the binary-data rule (docs/protocol.md) and codec
// selection at the handshake.
// Run: SWITCHBOARD_JAR=/abs/server/target/switchboard-server.jar node --test codecs.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { startServer } = require('./lib/server');
const { JsonCentrifuge, ProtobufCentrifuge, toBytes, fromBytes } = require('./lib/codec');
const raw = require('./lib/raw');
const { sleep, once, collect, waitFor, uniq } = require('./lib/util');

let server;
const clients = new Set();

before(async () => {
  server = await startServer({
    conf: [
      'channels:',
      '  namespaces:',
      '    bin:',
      '      binary: true',
      '      presence: true',
      '      history_size: 100',
      '      force_positioning: true',
      '      force_recovery: true',
      '      allow_subscribe_for_client: true',
      '      allow_publish_for_subscriber: true',
      '      allow_publish_for_client: true',
      '      allow_history_for_subscriber: true',
      '',
    ].join('\n'),
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  clients.clear();
  if (server) await server.kill();
});

function client(Build, user, opts = {}) {
  const c = new Build(server.wsUrl, { websocket: WebSocket, token: server.token(user), timeout: 5000, ...opts });
  clients.add(c);
  return c;
}
const json = (user, opts) => client(JsonCentrifuge, user, opts);
const proto = (user, opts) => client(ProtobufCentrifuge, user, opts);

async function connect(c) {
  const connected = once(c, 'connected');
  c.connect();
  return connected;
}

async function subscribe(c, channel, opts = {}) {
  const sub = c.newSubscription(channel, opts);
  const subscribed = once(sub, 'subscribed');
  sub.subscribe();
  return [sub, await subscribed];
}

const bytes0to255 = () => Uint8Array.from({ length: 256 }, (_, i) => i);

test('mixed codecs: a JSON and a Protobuf subscriber get the same publications, in order, with the same offsets', async () => {
  const j = json('jane');
  const p = proto('paul');
  await connect(j);
  const paulId = (await connect(p)).client;
  const channel = `chat:${uniq('mixed')}`;
  const [js] = await subscribe(j, channel);
  const joined = once(js, 'join', 10000, (ctx) => ctx.info.user === 'paul');
  const [ps] = await subscribe(p, channel);
  assert.equal((await joined).info.client, paulId, 'a Protobuf client\'s join reaches a JSON subscriber');
  const jGot = collect(js, 'publication');
  const pGot = collect(ps, 'publication');

  const sent = [];
  for (let i = 1; i <= 12; i++) {
    const data = { i, from: ['json', 'protobuf', 'api'][i % 3] };
    sent.push(data);
    if (i % 3 === 0) await js.publish(data);
    else if (i % 3 === 1) await ps.publish(toBytes(data));
    else await server.api('publish', { channel, data });
  }
  await waitFor(() => jGot.length === 12 && pGot.length === 12, { message: 'twelve publications on both' });
  assert.deepEqual(jGot.map((x) => x.data), sent);
  assert.deepEqual(pGot.map((x) => fromBytes(x.data)), sent);
  assert.deepEqual(jGot.map((x) => x.offset), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(pGot.map((x) => x.offset), jGot.map((x) => x.offset));
  assert.deepEqual(pGot.map((x) => x.info && x.info.user), jGot.map((x) => x.info && x.info.user));

  // History is the same stream for both.
  const jh = await js.history({ limit: 100 });
  const ph = await ps.history({ limit: 100 });
  assert.deepEqual(ph.publications.map((x) => fromBytes(x.data)), jh.publications.map((x) => x.data));
  assert.equal(ph.epoch, jh.epoch);
  assert.equal(Number(ph.offset), jh.offset);
});

test('JSON namespaces: Protobuf data that is not one line of JSON is refused with 107 and stored nowhere', async () => {
  const j = json('jane');
  const p = proto('paul');
  await connect(j);
  await connect(p);
  const channel = `chat:${uniq('nonjson')}`;
  const [js] = await subscribe(j, channel);
  const [ps] = await subscribe(p, channel);
  const jGot = collect(js, 'publication');
  for (const bad of [bytes0to255(), toBytes('x').subarray(1), new TextEncoder().encode('{"a":\n1}')]) {
    await assert.rejects(ps.publish(bad), (err) => err.code === 107);
  }
  const h = await js.history({ limit: 10 });
  assert.deepEqual(h.publications, []);
  assert.equal(h.offset, 0);
  // Exact bytes of valid JSON go through untouched: the Protobuf subscriber gets the same spacing back.
  const spaced = new TextEncoder().encode('{ "spaced" : [ 1 ,2 ] }');
  const pGot = once(ps, 'publication');
  await ps.publish(spaced);
  assert.deepEqual(Buffer.from((await pGot).data), Buffer.from(spaced));
  await waitFor(() => jGot.length === 1, { message: 'the JSON subscriber\'s copy' });
  assert.deepEqual(jGot[0].data, { spaced: [1, 2] });

  // The API's b64data: JSON bytes are fine here, other bytes are a bad request.
  await server.api('publish', { channel, b64data: Buffer.from('{"b":64}').toString('base64') });
  await waitFor(() => jGot.length === 2, { message: 'the b64data publication' });
  assert.deepEqual(jGot[1].data, { b: 64 });
  await assert.rejects(server.api('publish', { channel, b64data: Buffer.from([0, 1, 2]).toString('base64') }),
    (err) => err.code === 107);
  await assert.rejects(server.api('publish', { channel, b64data: 'not base64!' }), (err) => err.code === 107);
  await assert.rejects(server.api('publish', { channel, data: { a: 1 }, b64data: Buffer.from('1').toString('base64') }),
    (err) => err.code === 107);
  const bc = await server.api('broadcast', { channels: [channel, `bin:${uniq('bc')}`],
    b64data: Buffer.from([0xff]).toString('base64') });
  assert.equal(bc.responses[0].error.code, 107, 'not JSON: refused in the JSON namespace');
  assert.equal(bc.responses[1].result.offset, 1, 'taken in the binary one');
});

test('binary namespaces: any bytes, byte for byte, to Protobuf subscribers and from history; JSON clients are refused', async () => {
  const a = proto('ann');
  const b = proto('bob');
  const j = json('jane');
  await connect(a);
  await connect(b);
  await connect(j);
  const channel = `bin:${uniq('raw')}`;
  const [as] = await subscribe(a, channel);
  const [bs] = await subscribe(b, channel);
  const got = collect(bs, 'publication');
  await as.publish(bytes0to255());
  const fromApi = Uint8Array.from([0xff, 0x00, 0x0a, 0x80]);
  const res = await server.api('publish', { channel, b64data: Buffer.from(fromApi).toString('base64') });
  assert.equal(res.offset, 2);
  await waitFor(() => got.length === 2, { message: 'both publications' });
  assert.deepEqual(Buffer.from(got[0].data), Buffer.from(bytes0to255()));
  assert.deepEqual(Buffer.from(got[1].data), Buffer.from(fromApi));
  const h = await bs.history({ limit: 10 });
  assert.deepEqual(h.publications.map((x) => Buffer.from(x.data)), [Buffer.from(bytes0to255()), Buffer.from(fromApi)]);

  // A JSON client can neither subscribe nor publish there.
  const js = j.newSubscription(channel);
  const unsubscribed = once(js, 'unsubscribed');
  js.subscribe();
  assert.equal((await unsubscribed).code, 107);
  await assert.rejects(j.publish(channel, { text: 'hi' }), (err) => err.code === 107);
  assert.equal(j.state, 'connected');
});

test('server-side subscriptions: a JSON client is left out of a binary channel named in its token', async () => {
  const channel = `bin:${uniq('server')}`;
  const token = (user) => server.token(user, { claims: { channels: [channel] } });
  const r = await raw.open(server.wsUrl, { protobuf: false });
  r.send({ id: 1, connect: { token: token('jane') } });
  await waitFor(() => r.frames.length >= 1, { message: 'the JSON connect reply' });
  assert.deepEqual(Object.keys(r.frames[0].connect.subs).sort(), ['notify:#jane']);
  r.close();

  const p = await raw.open(server.wsUrl, { protobuf: true });
  p.send({ id: 1, connect: { token: token('paul') } });
  await waitFor(() => p.frames.length >= 1, { message: 'the Protobuf connect reply' });
  assert.deepEqual(Object.keys(p.frames[0].connect.subs).sort(), [channel, 'notify:#paul'].sort());
  p.close();
});

test('selection: ?cf_protocol=protobuf and ?format=protobuf choose Protobuf; an unknown cf_protocol is a 400; bad messages close', async () => {
  for (const q of ['?cf_protocol=protobuf', '?format=protobuf']) {
    const ws = new WebSocket(server.wsUrl + q);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ data, isBinary })));
    ws.send(raw.encodeCommands([{ id: 1, connect: { token: server.token('quinn') } }]));
    const { data, isBinary } = await reply;
    assert.equal(isBinary, true, q);
    assert.ok(raw.decodeReplies(data)[0].connect.client.length > 0, q);
    ws.close();
  }
  const refused = new WebSocket(server.wsUrl + '?cf_protocol=xml');
  const status = await new Promise((resolve) => {
    refused.once('unexpected-response', (req, res) => resolve(res.statusCode));
    refused.once('open', () => resolve('open'));
    refused.once('error', () => {});
  });
  assert.equal(status, 400);
  // A binary message to a JSON connection, or text to a Protobuf one, closes it with 3501.
  const p = await raw.open(server.wsUrl, { protobuf: true });
  p.ws.send('{"id":1,"connect":{}}');
  assert.equal((await p.closed).code, 3501);
  const t = await raw.open(server.wsUrl + '?cf_protocol=protobuf', { protobuf: true });
  t.ws.send(Buffer.from([0x05, 0x08, 0x01])); // a length of 5, then only 2 bytes
  assert.equal((await t.closed).code, 3501);
  // The message size limit holds for binary messages as for text: 1009.
  const big = await raw.open(server.wsUrl, { protobuf: true });
  big.ws.send(Buffer.alloc(70000));
  assert.equal((await big.closed).code, 1009);
  await sleep(10);
});
