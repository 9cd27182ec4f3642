// A loopback HTTPS push service for bench/push.py: checks the RFC 8030/8291/8292 headers a
// push needs, answers 201 after a fixed delay, and counts what it answered.
//
// Usage: node push_sink.mjs CERT_PEM KEY_PEM DELAY_MS
// Prints its port on the first line of stdout. GET /_stats returns the counts (and the sink's
// own CPU time); POST /_reset zeroes them. Exits when stdin closes (its parent is gone) and
// after at most 30 minutes.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [certFile, keyFile, delayArg] = process.argv.slice(2);
const delay = Number(delayArg ?? '50');
const MAX_BODY = 4096;

let stats;
function reset() {
  stats = { created: 0, bad: 0, first_ms: null, last_ms: null, cpu_base: process.cpuUsage() };
}
reset();

function valid(req, size) {
  const h = req.headers;
  return (
    req.method === 'POST' &&
    req.url.startsWith('/push/') &&
    Number(h.ttl) > 0 &&
    h['content-encoding'] === 'aes128gcm' &&
    (h.authorization ?? '').startsWith('vapid t=') &&
    size > 0 &&
    size <= MAX_BODY
  );
}

function onPush(req, res) {
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
  });
  req.on('end', () => {
    const ok = valid(req, size);
    const now = Date.now();
    if (stats.first_ms === null) stats.first_ms = now;
    setTimeout(() => {
      if (ok) {
        stats.created += 1;
        stats.last_ms = Date.now();
        res.writeHead(201, { Location: `/m${req.url}` });
      } else {
        stats.bad += 1;
        res.writeHead(400);
      }
      res.end();
    }, delay);
  });
}

const server = https.createServer(
  { cert: readFileSync(certFile), key: readFileSync(keyFile), keepAliveTimeout: 120_000 },
  (req, res) => {
    if (req.url === '/_stats') {
      const cpu = process.cpuUsage(stats.cpu_base);
      const body = { ...stats, cpu_seconds: (cpu.user + cpu.system) / 1e6 };
      delete body.cpu_base;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    } else if (req.url === '/_reset' && req.method === 'POST') {
      reset();
      res.writeHead(204);
      res.end();
    } else {
      onPush(req, res);
    }
  },
);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(2), 30 * 60_000).unref();
