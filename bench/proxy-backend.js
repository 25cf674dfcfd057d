'use strict';
// The benchmark's application backend for the publish proxy (docs/proxy.md): accepts every publication at once
// with Centrifugo's empty result, over keep-alive HTTP/1.1. Usage: node bench/proxy-backend.js PORT
const http = require('node:http');

const port = Number(process.argv[2] || 9100);
const reply = Buffer.from('{"result":{}}');
let count = 0;
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    count += 1;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': reply.length });
    res.end(reply);
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`proxy backend on ${port}`));
process.on('SIGTERM', () => { console.log(`answered ${count}`); process.exit(0); });
