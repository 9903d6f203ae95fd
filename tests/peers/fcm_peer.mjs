// Google's OAuth token endpoint and the FCM HTTP v1 API for tests (HTTP/2; TLS with
// --cert/--key, else h2c). POST /token checks the RS256 JWT bearer assertion with jose and
// issues access tokens "at-1", "at-2", ... valid for --expires-in seconds (default 3600);
// POST /v1/projects/<project>/messages:send checks the bearer and the message's shape, and
// answers as the registration token's first word says:
//   ok -> 200, gone -> 404 UNREGISTERED, unreg400 -> 400 UNREGISTERED, busy -> 429 Retry-After: 11,
//   down -> 503, bad -> 400 INVALID_ARGUMENT, revoke -> (first time for that token) revokes every
//   access token issued so far and answers 401.
// Every request is printed as a record. Args: --public-key <PEM> --client-email <iss>
//   --project <project id>
import fs from 'node:fs';
import * as jose from 'jose';
import { announce, createServer, originOf, parseArgs, quietStreams, readBody, record } from './lib.mjs';

const args = parseArgs();
const publicKey = await jose.importSPKI(fs.readFileSync(args['public-key'], 'utf8'), 'RS256');
const expiresIn = Number(args['expires-in'] ?? 3600);
const scope = 'https://www.googleapis.com/auth/firebase.messaging';
const valid = new Set();
const revokedFor = new Set();
let issued = 0;
let sent = 0;

function fcmError(status, code, errorCode, message) {
  const error = { code: status, message, status: code };
  if (errorCode) {
    error.details = [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }];
  }
  return { error };
}

async function token(req, body, origin) {
  const entry = { kind: 'token', http: req.httpVersion, content_type: req.headers['content-type'],
                  claims: null, kid: null, error: null };
  const form = new URLSearchParams(body.toString('utf8'));
  try {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      throw new Error(`grant_type ${form.get('grant_type')}`);
    }
    const { payload, protectedHeader } = await jose.jwtVerify(form.get('assertion') ?? '', publicKey, {
      algorithms: ['RS256'], issuer: args['client-email'], audience: `${origin}/token`,
    });
    entry.claims = payload;
    entry.kid = protectedHeader.kid ?? null;
    if (payload.scope !== scope) throw new Error(`scope ${payload.scope}`);
    if (payload.exp - payload.iat !== 3600) throw new Error('exp is not iat + 3600');
  } catch (e) {
    entry.error = e.message;
    record(entry);
    return [400, { error: 'invalid_grant', error_description: e.message }];
  }
  const accessToken = `at-${++issued}`;
  valid.add(accessToken);
  entry.access_token = accessToken;
  record(entry);
  return [200, { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' }];
}

function send(req, body) {
  const entry = { kind: 'send', http: req.httpVersion, path: req.url, bearer: null, body: null,
                  error: null };
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization || '');
  entry.bearer = bearer ? bearer[1] : null;
  const reply = (status, json, headers = {}) => { record(entry); return [status, json, headers]; };
  if (!bearer || !valid.has(bearer[1])) {
    entry.error = 'bad bearer';
    return reply(401, fcmError(401, 'UNAUTHENTICATED', null, 'Request had invalid authentication credentials.'));
  }
  if (req.url !== `/v1/projects/${args.project}/messages:send`) {
    entry.error = 'bad path';
    return reply(404, fcmError(404, 'NOT_FOUND', null, 'no such project'));
  }
  try {
    entry.body = JSON.parse(body.toString('utf8'));
  } catch {
    entry.error = 'body is not JSON';
    return reply(400, fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'Invalid JSON payload'));
  }
  const message = entry.body.message ?? {};
  const data = message.data ?? {};
  const shapeOk = typeof message.token === 'string' && typeof message.notification?.title === 'string'
    && typeof message.notification?.body === 'string'
    && Object.values(data).every((v) => typeof v === 'string') && typeof data.id === 'string';
  if (!shapeOk) {
    entry.error = 'bad message shape';
    return reply(400, fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'bad message'));
  }
  const behaviour = message.token.split('-')[0];
  switch (behaviour) {
    case 'ok': return reply(200, { name: `projects/${args.project}/messages/${++sent}` });
    case 'gone': return reply(404, fcmError(404, 'NOT_FOUND', 'UNREGISTERED', 'Requested entity was not found.'));
    case 'unreg400': return reply(400, fcmError(400, 'INVALID_ARGUMENT', 'UNREGISTERED', 'unregistered'));
    case 'busy': return reply(429, fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', 'quota'), { 'retry-after': '11' });
    case 'down': return reply(503, fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE', 'unavailable'));
    case 'revoke':
      if (!revokedFor.has(message.token)) {
        revokedFor.add(message.token);
        valid.clear();
        return reply(401, fcmError(401, 'UNAUTHENTICATED', null, 'revoked'));
      }
      return reply(200, { name: `projects/${args.project}/messages/${++sent}` });
    default: return reply(400, fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token'));
  }
}

const server = createServer(args);
quietStreams(server);
server.on('request', async (req, res) => {
  const body = await readBody(req);
  const [status, json, headers = {}] = req.method === 'POST' && req.url === '/token'
    ? await token(req, body, originOf(server, args))
    : send(req, body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(json));
});
server.listen(0, '127.0.0.1', () => announce(server));
