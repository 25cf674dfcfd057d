'use strict';
// Minimal HS256 JWT minting for tests (connection tokens only).
const crypto = require('node:crypto');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/**
 * mintToken('alice', secret, { ttl: 60 }) -> HS256 JWT with sub, iat, exp (+ any extra claims).
 * ttl is in seconds and may be negative (an already expired token); ttl: null means no exp claim.
 */
function mintToken(sub, secret, { ttl = 3600, claims = {} } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub, iat: now, ...claims };
  if (ttl !== null) payload.exp = now + ttl;
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const sig = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

module.exports = { mintToken };
