// A forward HTTP proxy for testing our transport's proxy support: plain-http requests in
// absolute form ("GET http://host:port/path") are forwarded; "CONNECT host:port" opens a
// tunnel (for https). It remembers each request line; "GET /seen" (origin form, asked of the
// proxy itself) answers them as a JSON array. With PROXY_AUTH=user:password it demands that
// Proxy-Authorization (Basic) and answers 407 without it.
import http from 'node:http';
import net from 'node:net';
import { listen } from '../../tools/standins/listen.mjs';

const seen = [];
const expected = process.env.PROXY_AUTH
  ? 'Basic ' + Buffer.from(process.env.PROXY_AUTH).toString('base64') : null;
const authorized = (req) => !expected || req.headers['proxy-authorization'] === expected;

const server = http.createServer((req, res) => {
  if (req.url === '/seen') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(seen));
    return;
  }
  seen.push(`${req.method} ${req.url}`);
  if (!authorized(req)) {
    res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' });
    res.end();
    return;
  }
  const target = new URL(req.url);
  const upstream = http.request({
    host: target.hostname, port: target.port, method: req.method,
    path: target.pathname + target.search, headers: req.headers,
  }, (reply) => {
    res.writeHead(reply.statusCode, reply.headers);
    reply.pipe(res);
  });
  upstream.on('error', () => { res.writeHead(502); res.end(); });
  req.pipe(upstream);
});

server.on('connect', (req, client, head) => {
  seen.push(`CONNECT ${req.url}`);
  if (!authorized(req)) {
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    return;
  }
  const [host, port] = req.url.split(':');
  const upstream = net.connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  client.on('error', () => upstream.destroy());
});

await listen(server);
