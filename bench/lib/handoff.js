// The bare cross-process hand-off a Runtime API needs, for the benchmarks that measure the floor under the twin:
// a second Node.js process takes events from a parked GET /next and posts each result together with its next
// /next in one write (as our bootstraps do); this side answers the /next with the event and takes the result.
// Nothing else: no logs, no timers, no metering. `invoke(payload, freeze)` optionally stops the runtime between
// events (SIGCONT before the event goes out, SIGSTOP once the result is in), as the twin freezes it.
'use strict';
const http = require('http');
const net = require('net');
const { fork } = require('child_process');

const NEXT_REQUEST = 'GET /next HTTP/1.1\r\nHost: runtime\r\n\r\n';

/** The runtime side: parses the answers on its one connection and posts a result for every event. */
function runRuntime(port) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let pending = '';
  socket.write(NEXT_REQUEST);
  socket.on('data', (data) => {
    pending += data.toString('latin1');
    for (;;) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = pending.slice(0, headEnd);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < headEnd + 4 + length) return;
      const body = pending.slice(headEnd + 4, headEnd + 4 + length);
      pending = pending.slice(headEnd + 4 + length);
      if (!head.startsWith('HTTP/1.1 200')) continue; // the 202 for a posted result
      const result = JSON.stringify({ ok: true, event: JSON.parse(body) });
      socket.write(`POST /response HTTP/1.1\r\nHost: runtime\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(result)}\r\n\r\n${result}${NEXT_REQUEST}`);
    }
  });
}

/**
 * Starts the hand-off: resolves to `{ invoke(payload, freeze) → Promise<result body>, thaw(), close() }` once the
 * runtime process is parked in its first /next.
 */
function startHandOff() {
  let parked; // the /next waiting for an event
  let posted; // the result of the event in flight
  let onDone;
  // An invoke is over when both its result and the runtime's next /next are in (pipelined, in either order).
  const settle = () => {
    if (!parked || !posted || !onDone) return;
    const done = onDone;
    const body = posted;
    onDone = undefined;
    posted = undefined;
    done(body);
  };
  let onFirstNext;
  const server = http.createServer((req, res) => {
    if (req.url === '/next') {
      parked = res;
      onFirstNext?.();
      onFirstNext = undefined;
      settle();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      posted = Buffer.concat(chunks);
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
      settle();
    });
  });
  server.keepAliveTimeout = 0;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const child = fork(__filename, ['--runtime', String(server.address().port)]);
    const invoke = (payload, freeze) => new Promise((done) => {
      onDone = done;
      const res = parked;
      parked = undefined;
      if (freeze) process.kill(child.pid, 'SIGCONT');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Lambda-Runtime-Aws-Request-Id': 'r', 'Content-Length': payload.length });
      res.end(payload);
    }).then((body) => {
      if (freeze) process.kill(child.pid, 'SIGSTOP');
      return body;
    });
    onFirstNext = () => resolve({
      invoke,
      thaw: () => process.kill(child.pid, 'SIGCONT'),
      close: () => {
        child.kill('SIGKILL');
        server.close();
      },
    });
  }));
}

if (require.main === module && process.argv[2] === '--runtime') runRuntime(Number(process.argv[3]));

module.exports = { startHandOff };
