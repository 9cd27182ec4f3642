// The peer library for bench/push.py: npm `web-push` (the most used web-push sender) sending
// the same messages to the same sink with a fixed number in flight over a keep-alive agent.
//
// Usage: NODE_EXTRA_CA_CERTS=cert.pem node web_push_peer.mjs SPEC_JSON
// SPEC_JSON: {subscriptions: [{endpoint, keys: {p256dh, auth}}], payload, ttl, in_flight,
//             vapid: {subject, public_key, private_key}}
// Prints one JSON line: {sent, failed, seconds, rate, cpu_seconds, max_rss_kb, first_error}.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';

// web-push is installed for the tests, not beside this script
const require = createRequire(new URL('../tests/node/package.json', import.meta.url));
const webpush = require('web-push');

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const subscriptions = spec.subscriptions;
const agent = new https.Agent({ keepAlive: true, maxSockets: spec.in_flight });
const options = {
  TTL: spec.ttl,
  urgency: 'normal',
  vapidDetails: {
    subject: spec.vapid.subject,
    publicKey: spec.vapid.public_key,
    privateKey: spec.vapid.private_key,
  },
  agent,
  timeout: 10_000,
};

let next = 0;
let sent = 0;
let failed = 0;
let firstError = null;

async function worker() {
  while (next < subscriptions.length) {
    const i = next;
    next += 1;
    // a distinct 32-character Topic per message, as hep sends one per occurrence
    const topic = `t${String(i).padStart(31, '0')}`;
    try {
      const reply = await webpush.sendNotification(subscriptions[i], spec.payload, {
        ...options,
        topic,
      });
      if (reply.statusCode === 201) sent += 1;
      else failed += 1;
    } catch (error) {
      failed += 1;
      firstError ??= String(error.statusCode ?? '') + ' ' + String(error.message ?? error);
    }
  }
}

const cpuBase = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: spec.in_flight }, worker));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBase);
agent.destroy();
process.stdout.write(
  JSON.stringify({
    sent,
    failed,
    seconds,
    rate: sent / seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    max_rss_kb: process.resourceUsage().maxRSS,
    first_error: firstError,
  }) + '\n',
);
