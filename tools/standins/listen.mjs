// Shared start-up for every local HTTP stand-in (Slack, Jira, STS, SSO, IMDS, ...).
// Binds 127.0.0.1 on a free port (or $PORT), announces it on stdout in the one line the test
// harness waits for (tests/support/server_process.h), and exits cleanly on SIGTERM/SIGINT.
export function listen(server, { port = Number(process.env.PORT ?? 0) } = {}) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      process.stdout.write(`listening on http://127.0.0.1:${bound}\n`);
      resolve(bound);
    });
    const stop = () => server.close(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
