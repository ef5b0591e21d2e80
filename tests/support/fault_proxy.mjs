// An HTTP proxy between the tool and a real server (Ceph RGW, a stand-in) that injects faults,
// for the tests of what a run does when the network or the server misbehaves. Requests are
// forwarded to --target HOST:PORT as they came (the tool sees the proxy as the endpoint);
// each one draws, from a generator seeded with --seed, whether it meets a fault:
//   --slowdown-rate R   answer 503 SlowDown (S3's error XML) instead of forwarding
//   --reset-rate R      forward, then cut the connection halfway through the reply
//   --flip-request-every K   flip one byte of every Kth PUT's body on its way (uploads; counted,
//                            not drawn, so a retry of a flipped PUT is never flipped too)
//   --flip-response-rate R   flip one byte of a 2xx reply to a GET without a query on its way
//                            (object downloads, not listings)
//   --delay-ms N        hold every reply this long first
//   --date-offset-seconds N  move every reply's Date header N seconds (a server whose clock is off)
// Stopping the proxy (SIGTERM) is the server dying: connections in flight are cut and new ones
// refused. GET /_faults (asked of the proxy itself, with the header x-fault-proxy: stats)
// answers the counts of each fault injected, as JSON.
//   node fault_proxy.mjs --target 127.0.0.1:7480 --slowdown-rate 0.05 --reset-rate 0.05
// Prints "listening on http://127.0.0.1:PORT" (tools/standins/listen.mjs).
import http from 'node:http';
import { parseArgs } from 'node:util';
import { listen } from '../../tools/standins/listen.mjs';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'slowdown-rate': { type: 'string', default: '0' },
    'reset-rate': { type: 'string', default: '0' },
    'flip-request-every': { type: 'string', default: '0' },
    'flip-response-rate': { type: 'string', default: '0' },
    'delay-ms': { type: 'string', default: '0' },
    'date-offset-seconds': { type: 'string', default: '0' },
  },
});
const match = /^(.+):(\d+)$/.exec(values.target ?? '');
if (!match) {
  process.stderr.write('usage: node fault_proxy.mjs --target HOST:PORT [--seed N] [--slowdown-rate R] '
    + '[--reset-rate R] [--flip-request-every K] [--flip-response-rate R] [--delay-ms N] '
    + '[--date-offset-seconds N]\n');
  process.exit(2);
}
const [, host, port] = match;
const rate = (name) => Number(values[name]);
const delayMs = Number(values['delay-ms']);
const dateOffsetMs = Number(values['date-offset-seconds']) * 1000;

// mulberry32: small, seeded, good enough to pick faults.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const counts = { requests: 0, slowdown: 0, reset: 0, flip_request: 0, flip_response: 0 };
const flipEvery = Number(values['flip-request-every']);
let puts = 0;
const flip = (buffer) => {
  if (buffer.length === 0) return buffer;
  const copy = Buffer.from(buffer);
  copy[Math.floor(random() * copy.length)] ^= 0x01;
  return copy;
};

const sockets = new Set();
const server = http.createServer((req, res) => {
  if (req.url === '/_faults' && req.headers['x-fault-proxy'] === 'stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(counts));
    return;
  }
  counts.requests += 1;
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    if (random() < rate('slowdown-rate')) {
      counts.slowdown += 1;
      const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
        + '<Message>Please reduce your request rate.</Message></Error>';
      res.writeHead(503, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
      return;
    }
    if (req.method === 'PUT' && body.length > 0 && flipEvery > 0 && ++puts % flipEvery === 0) {
      counts.flip_request += 1;
      body = flip(body);
    }
    const reset = random() < rate('reset-rate');
    const download = req.method === 'GET' && !req.url.includes('?');
    const flipReply = download && random() < rate('flip-response-rate');
    const upstream = http.request({ host, port: Number(port), method: req.method, path: req.url,
      headers: req.headers }, (reply) => {
      const parts = [];
      reply.on('data', (chunk) => parts.push(chunk));
      reply.on('end', () => {
        let replyBody = Buffer.concat(parts);
        if (dateOffsetMs !== 0 && reply.headers.date) {
          reply.headers.date = new Date(Date.parse(reply.headers.date) + dateOffsetMs).toUTCString();
        }
        setTimeout(() => {
          if (reset) {
            counts.reset += 1;
            res.writeHead(reply.statusCode, reply.headers);
            res.write(replyBody.subarray(0, Math.floor(replyBody.length / 2)));
            res.socket?.resetAndDestroy?.() ?? res.socket?.destroy();
            return;
          }
          if (flipReply && reply.statusCode < 300 && replyBody.length > 0) {
            counts.flip_response += 1;
            replyBody = flip(replyBody);
          }
          res.writeHead(reply.statusCode, reply.headers);
          res.end(replyBody);
        }, delayMs);
      });
    });
    upstream.on('error', () => res.socket?.destroy());
    upstream.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

process.on('SIGTERM', () => {
  server.close();
  for (const socket of sockets) socket.resetAndDestroy?.() ?? socket.destroy();
  process.exit(0);
});

listen(server);
