// npm web-push's cost per notification on one thread, for comparison with bench/push_bench:
// generateRequestDetails (encryption + headers + VAPID) on the same payload and subscription
// shape, and web-push's encrypt alone. Prints one JSON line.
// Usage: node bench/web_push_node_bench.mjs [seconds per measurement, default 3]
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'peers', 'package.json'));
const webPush = require('web-push');

const seconds = Number(process.argv[2] ?? 3);

// Key order and text match bench/push_bench.cpp, so the plaintext is byte for byte the same.
const payload = JSON.stringify({
  id: 'd1842.m99121',
  title: 'Staff meeting moved',
  text: 'The staff meeting is moved to room 204 at 15:30 today.',
  url: 'https://herald.example.org/n/99121',
});
const browser = crypto.createECDH('prime256v1');
browser.generateKeys();
const subscription = {
  endpoint: 'https://fcm.googleapis.com/fcm/send/' + 'e'.repeat(140),
  keys: { p256dh: browser.getPublicKey().toString('base64url'),
          auth: crypto.randomBytes(16).toString('base64url') },
};
const vapid = webPush.generateVAPIDKeys();
const options = {
  vapidDetails: { subject: 'mailto:ops@example.org', publicKey: vapid.publicKey, privateKey: vapid.privateKey },
  TTL: 86400,
  urgency: 'normal',
  contentEncoding: 'aes128gcm',
};

function rate(work) {
  for (let i = 0; i < 200; ++i) work();  // warm-up
  let count = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    for (let i = 0; i < 100; ++i) work();
    count += 100;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

const details = webPush.generateRequestDetails(subscription, payload, options);
if (details.headers['Content-Encoding'] !== 'aes128gcm' || !details.headers.Authorization) {
  throw new Error('unexpected request details');
}
const requestRate = rate(() => webPush.generateRequestDetails(subscription, payload, options));
const encryptRate = rate(() => webPush.encrypt(subscription.keys.p256dh, subscription.keys.auth,
                                               payload, 'aes128gcm'));
console.log(JSON.stringify({
  node: process.version,
  payload_bytes: Buffer.byteLength(payload),
  generate_request_details_per_s: Math.round(requestRate),
  encrypt_per_s: Math.round(encryptRate),
}));
