// A minimal stand-in for testing the harness itself: answers every request with its method
// and path as JSON.
import http from 'node:http';
import { listen } from '../../tools/standins/listen.mjs';

const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ method: req.method, path: req.url, pid: process.pid }));
});
await listen(server);
