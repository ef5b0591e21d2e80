// A minimal stand-in for testing the harness and our HTTP transport: answers every request
// with what it received (method, path, headers, body in base64) as JSON. With TLS_CERT and TLS_KEY
// (PEM files) in the environment it speaks HTTPS instead; with KEEP_ALIVE_MS it closes a
// connection idle for that long (node's default: 5 s).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { listen } from '../../tools/standins/listen.mjs';

const handler = (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const status = Number(new URL(req.url, 'http://x').searchParams.get('status') ?? 200);
    res.writeHead(status, { 'content-type': 'application/json', 'x-echo': 'yes' });
    res.end(JSON.stringify({
      method: req.method,
      path: req.url,
      headers: req.headers,
      body_base64: Buffer.concat(chunks).toString('base64'),
      pid: process.pid,
      client_port: req.socket.remotePort,  // the same port twice: the connection was reused
    }));
  });
};

const tls = process.env.TLS_CERT && process.env.TLS_KEY;
const server = tls
  ? https.createServer({ cert: fs.readFileSync(process.env.TLS_CERT),
                         key: fs.readFileSync(process.env.TLS_KEY) }, handler)
  : http.createServer(handler);
const idleMs = Number(process.env.KEEP_ALIVE_MS ?? 0);
if (idleMs) {
  server.on('connection', (socket) => {
    let timer;
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => socket.destroy(), idleMs); };
    socket.on('data', arm);
    arm();
  });
}
await listen(server);
