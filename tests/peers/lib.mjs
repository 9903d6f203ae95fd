// What the test peers share: argument parsing, the port announcement, one JSON record per
// request on stdout, and reading a request's body.
import fs from 'node:fs';
import http2 from 'node:http2';
import process from 'node:process';

export function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  return args;
}

// HTTP/2 over TLS (ALPN h2, HTTP/1.1 allowed) with --cert and --key, else h2c.
export function createServer(args) {
  if (!args.cert) return http2.createServer();
  return http2.createSecureServer({
    cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key), allowHTTP1: true,
  });
}

export function originOf(server, args) {
  return `${args.cert ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
}

export function announce(server) {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
}

export function record(entry) {
  process.stdout.write(JSON.stringify(entry) + '\n');
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// A reset stream (a client that gave up) is not the peer's failure.
export function quietStreams(server) {
  server.on('stream', (stream) => stream.on('error', () => {}));
  server.on('sessionError', () => {});
}
