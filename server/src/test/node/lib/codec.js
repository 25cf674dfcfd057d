'use strict';
// The client protocol a suite speaks, chosen by SWITCHBOARD_CODEC: `json` (default) or `protobuf`. The same
// test cases then run over either build of the official SDK (`centrifuge` or `centrifuge/build/protobuf`).
//
// In the Protobuf build, data is bytes both ways (Uint8Array): a test's JSON payloads go through enc() on the
// way out and dec() on the way in. Over JSON both are the identity.
const PROTOCOL = process.env.SWITCHBOARD_CODEC || 'json';
if (PROTOCOL !== 'json' && PROTOCOL !== 'protobuf') throw new Error(`SWITCHBOARD_CODEC must be json or protobuf, not ${PROTOCOL}`);
const PROTOBUF = PROTOCOL === 'protobuf';

const { Centrifuge } = PROTOBUF ? require('centrifuge/build/protobuf') : require('centrifuge');
const Json = require('centrifuge');
const Protobuf = require('centrifuge/build/protobuf');

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

/** JSON bytes of a value (any value). */
const toBytes = (value) => utf8.encode(JSON.stringify(value));
/** The JSON value of bytes (throws if they are not UTF-8 JSON). */
const fromBytes = (bytes) => JSON.parse(text.decode(bytes));

/** A payload as this protocol's SDK takes it. */
const enc = (value) => (PROTOBUF ? toBytes(value) : value);
/** A payload as this protocol's SDK gave it, as a JSON value. */
const dec = (data) => (PROTOBUF ? fromBytes(data) : data);

module.exports = {
  PROTOCOL, PROTOBUF, Centrifuge, enc, dec, toBytes, fromBytes,
  JsonCentrifuge: Json.Centrifuge, ProtobufCentrifuge: Protobuf.Centrifuge,
};
