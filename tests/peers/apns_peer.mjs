// An APNs provider API for tests (HTTP/2; TLS with --cert/--key, else h2c): checks each
// request's provider token with jose (ES256, kid, iss, age), its path and apns-* headers and its
// JSON body, prints a record of it, and answers as the device token's first two hex digits say:
//   00 -> 200, 41 -> 410 Unregistered, 40 -> 400 BadDeviceToken, 43 -> 400 DeviceTokenNotForTopic,
//   44 -> 400 BadExpirationDate, 42 -> 429 TooManyRequests, 50 -> 500 InternalServerError.
// A token older than --max-token-age seconds (default 3600) gets 403 ExpiredProviderToken.
// Args: --key-file <PEM public key of the .p8> --key-id <kid> --team <iss> --topic <bundle id>
import crypto from 'node:crypto';
import fs from 'node:fs';
import * as jose from 'jose';
import { announce, createServer, parseArgs, quietStreams, readBody, record } from './lib.mjs';

const args = parseArgs();
const publicKey = await jose.importSPKI(fs.readFileSync(args['key-file'], 'utf8'), 'ES256');
const maxTokenAge = Number(args['max-token-age'] ?? 3600);
const answers = {
  '00': [200, null], '41': [410, 'Unregistered'], '40': [400, 'BadDeviceToken'],
  '43': [400, 'DeviceTokenNotForTopic'], '44': [400, 'BadExpirationDate'],
  '42': [429, 'TooManyRequests'], '50': [500, 'InternalServerError'],
};
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function check(req, body, entry) {
  const bearer = /^bearer (\S+)$/.exec(req.headers.authorization || '');
  if (!bearer) return [403, 'MissingProviderToken'];
  entry.token_tail = bearer[1].slice(-12);
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(bearer[1], publicKey, {
      algorithms: ['ES256'], issuer: args.team,
    });
    entry.jwt = { kid: protectedHeader.kid, iss: payload.iss, iat: payload.iat };
    if (protectedHeader.kid !== args['key-id']) return [403, 'InvalidProviderToken'];
    if (typeof payload.iat !== 'number') return [403, 'InvalidProviderToken'];
    if (Date.now() / 1000 - payload.iat > maxTokenAge) return [403, 'ExpiredProviderToken'];
  } catch (e) {
    entry.error = `token: ${e.message}`;
    return [403, 'InvalidProviderToken'];
  }
  if (req.method !== 'POST' || !/^\/3\/device\/[0-9a-f]+$/.test(req.url)) return [405, 'MethodNotAllowed'];
  if (req.headers['apns-topic'] !== args.topic) return [400, 'DeviceTokenNotForTopic'];
  if (req.headers['apns-push-type'] !== 'alert') return [400, 'InvalidPushType'];
  if (!uuid.test(req.headers['apns-id'] || '')) return [400, 'BadMessageId'];
  if (!['5', '10'].includes(req.headers['apns-priority'])) return [400, 'BadPriority'];
  if (!/^\d+$/.test(req.headers['apns-expiration'] || '')) return [400, 'BadExpirationDate'];
  try {
    entry.body = JSON.parse(body.toString('utf8'));
  } catch {
    return [400, 'PayloadEmpty'];
  }
  const alert = entry.body?.aps?.alert;
  if (typeof alert?.title !== 'string' || typeof alert?.body !== 'string') return [400, 'PayloadEmpty'];
  return null;
}

const server = createServer(args);
quietStreams(server);
server.on('request', async (req, res) => {
  const body = await readBody(req);
  const token = req.url.split('/').pop();
  const entry = {
    method: req.method, path: req.url, http: req.httpVersion, token,
    topic: req.headers['apns-topic'] ?? null, push_type: req.headers['apns-push-type'] ?? null,
    apns_id: req.headers['apns-id'] ?? null, priority: req.headers['apns-priority'] ?? null,
    expiration: req.headers['apns-expiration'] ?? null, jwt: null, body: null, error: null,
  };
  const refused = await check(req, body, entry);
  const [status, reason] = refused ?? answers[token.slice(0, 2)] ?? [400, 'BadDeviceToken'];
  if (refused && !entry.error) entry.error = refused[1];
  record(entry);
  const headers = { 'apns-id': entry.apns_id ?? crypto.randomUUID() };
  res.writeHead(status, headers);
  if (status === 200) return res.end();
  const reply = { reason };
  if (status === 410) reply.timestamp = Date.now();
  res.end(JSON.stringify(reply));
});
server.listen(0, '127.0.0.1', () => announce(server));
