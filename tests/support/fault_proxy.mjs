// A TCP proxy between the tool and a real server (Ceph RGW, a stand-in), for fault tests:
// every connection is passed through to --target HOST:PORT. Stopping the proxy (SIGTERM) is
// the server dying: connections in flight are cut and new ones refused.
//   node fault_proxy.mjs --target 127.0.0.1:7480
// Prints "listening on http://127.0.0.1:PORT" (tools/standins/listen.mjs).
import net from 'node:net';
import { parseArgs } from 'node:util';
import { listen } from '../../tools/standins/listen.mjs';

const { values } = parseArgs({ options: { target: { type: 'string' } } });
const match = /^(.+):(\d+)$/.exec(values.target ?? '');
if (!match) {
  process.stderr.write('usage: node fault_proxy.mjs --target HOST:PORT\n');
  process.exit(2);
}
const [, host, port] = match;

const sockets = new Set();
const server = net.createServer((client) => {
  const upstream = net.connect({ host, port: Number(port) });
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      client.destroy();
      upstream.destroy();
    });
  }
  client.pipe(upstream);
  upstream.pipe(client);
});

process.on('SIGTERM', () => {
  server.close();
  for (const socket of sockets) socket.resetAndDestroy?.() ?? socket.destroy();
  process.exit(0);
});

listen(server);
