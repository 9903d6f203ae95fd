// A Web Push service for tests (RFC 8030 over HTTP/2: TLS with --cert/--key, else h2c): checks each push's VAPID token with jose,
// decrypts its payload with http_ece (the web-push package's own implementation), prints a
// record of it, and answers as the endpoint's last path segment says:
//   ok -> 201, gone -> 410, busy -> 429 Retry-After: 17, down -> 503 Retry-After: <date + 120 s>,
//   error -> 500, refuse -> 400, stall -> no answer at all.
// Args: --ua-key <PEM of the subscription's private key> --auth <base64url auth secret>
//       --subject <the VAPID sub expected> [--cert <PEM> --key <PEM>]
import crypto from 'node:crypto';
import fs from 'node:fs';
import ece from 'http_ece';
import * as jose from 'jose';
import { announce, createServer, originOf, parseArgs, quietStreams, readBody, record } from './lib.mjs';

const args = parseArgs();
const uaJwk = crypto.createPrivateKey(fs.readFileSync(args['ua-key'])).export({ format: 'jwk' });
const uaKey = crypto.createECDH('prime256v1');
uaKey.setPrivateKey(Buffer.from(uaJwk.d, 'base64url'));
const authSecret = Buffer.from(args.auth, 'base64url');

async function checkVapid(header, origin) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header || '');
  if (!match) throw new Error(`Authorization is not "vapid t=..., k=...": ${header}`);
  const point = Buffer.from(match[2], 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = await jose.importJWK({
    kty: 'EC', crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url'),
  }, 'ES256');
  // jwtVerify checks the ES256 signature and that exp is in the future.
  const { payload, protectedHeader } = await jose.jwtVerify(match[1], key, {
    algorithms: ['ES256'], audience: origin, requiredClaims: ['exp', 'sub', 'aud'],
  });
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp > now + 24 * 3600) throw new Error('exp is more than 24 hours ahead');
  if (payload.sub !== args.subject) throw new Error(`sub is ${payload.sub}`);
  return { aud: payload.aud, exp: payload.exp, sub: payload.sub, k: match[2], t: match[1], typ: protectedHeader.typ };
}

const server = createServer(args);
quietStreams(server);
let sessions = 0;
server.on('session', (session) => { session.number = ++sessions; });
server.on('request', async (req, res) => {
  const body = await readBody(req);
  const behaviour = req.url.split('/').pop();
  const origin = originOf(server, args);
  const entry = {
    method: req.method, path: req.url, http: req.httpVersion,
    connection: req.stream?.session?.number ?? null,
    ttl: req.headers.ttl ?? null, urgency: req.headers.urgency ?? null,
    content_encoding: req.headers['content-encoding'] ?? null,
    content_type: req.headers['content-type'] ?? null,
    salt: body.subarray(0, 16).toString('base64url'),
    keyid: body.subarray(21, 21 + body[20]).toString('base64url'),
    vapid: null, payload: null, error: null,
  };
  let status = 201;
  try {
    entry.vapid = await checkVapid(req.headers.authorization, origin);
  } catch (e) {
    entry.error = `vapid: ${e.message}`;
    status = 401;
  }
  if (!entry.error) {
    try {
      if (entry.content_encoding !== 'aes128gcm') throw new Error('not aes128gcm');
      entry.payload = ece.decrypt(body, { version: 'aes128gcm', privateKey: uaKey, authSecret })
        .toString('utf8');
    } catch (e) {
      entry.error = `decrypt: ${e.message}`;
      status = 400;
    }
  }
  record(entry);
  if (behaviour === 'stall') return;  // never answered; the client's timeout ends it
  if (status === 201) {
    status = { ok: 201, gone: 410, busy: 429, down: 503, error: 500, refuse: 400 }[behaviour] ?? 404;
  }
  const headers = {};
  if (status === 201) headers.location = `${origin}/message/${crypto.randomUUID()}`;
  if (status === 429) headers['retry-after'] = '17';
  if (status === 503) headers['retry-after'] = new Date(Date.now() + 120_000).toUTCString();
  res.writeHead(status, headers);
  res.end(status === 201 ? '' : JSON.stringify({ code: status, error: entry.error ?? behaviour }));
});
server.listen(0, '127.0.0.1', () => announce(server));
