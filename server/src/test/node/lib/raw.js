'use strict';
// A raw protocol client (no SDK) for cases that look at frames: it speaks the suite's protocol (lib/codec.js).
// JSON: text frames, one object per line. Protobuf: binary frames, varint-delimited Command/Reply messages of
// Centrifugo's client.proto (read from the server's own copy), decoded into the same object shapes as JSON
// (snake_case keys, zero values left out), so a case can assert on either alike.
//
//   const c = await raw.open(server.wsUrl);   c.send({ id: 1, connect: { token } });
//   c.frames        every reply/push received, as objects ({} is a ping)
//   c.binary        whether the frames came as binary WebSocket messages
//   await c.closed  { code, reason }
const path = require('node:path');
const WebSocket = require('ws');
const protobuf = require('protobufjs');
const { PROTOBUF } = require('./codec');

let types;
function proto() {
  if (!types) {
    const root = new protobuf.Root().loadSync(path.join(__dirname, '../../../main/proto/client.proto'), { keepCase: true });
    types = {
      Command: root.lookupType('centrifugal.centrifuge.protocol.Command'),
      Reply: root.lookupType('centrifugal.centrifuge.protocol.Reply'),
    };
  }
  return types;
}

function encodeCommands(commands) {
  const { Command } = proto();
  const w = protobuf.Writer.create();
  for (const c of commands) Command.encodeDelimited(Command.fromObject(c), w);
  return w.finish();
}

function decodeReplies(bytes) {
  const { Reply } = proto();
  const r = protobuf.Reader.create(new Uint8Array(bytes));
  const out = [];
  while (r.pos < r.len) {
    out.push(Reply.toObject(Reply.decodeDelimited(r), { longs: Number, bytes: Array, defaults: false }));
  }
  return out;
}

async function open(url, { protobuf: useProtobuf = PROTOBUF } = {}) {
  const ws = useProtobuf ? new WebSocket(url, 'centrifuge-protobuf') : new WebSocket(url);
  const client = {
    ws,
    frames: [],
    binary: null,
    send(...commands) {
      ws.send(useProtobuf ? encodeCommands(commands) : commands.map((c) => JSON.stringify(c)).join('\n'));
    },
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }))),
    close() { ws.close(); },
  };
  ws.on('message', (data, isBinary) => {
    client.binary = isBinary;
    if (useProtobuf) client.frames.push(...decodeReplies(data));
    else client.frames.push(...String(data).trim().split('\n').map((l) => JSON.parse(l)));
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return client;
}

module.exports = { open, encodeCommands, decodeReplies };
