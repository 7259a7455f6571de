/**
 * One abusive /live client, in a process of its own (as it would be on another machine): it
 * subscribes to every channel every --abuse-ms whatever the answers, reconnects at once when the
 * server closes it, and after --seconds prints what it was answered as one JSON line.
 * Usage (from abuse.bench.ts): node -r ./test/support/ts-register.js bench/live/abusive-client.ts <url> <token> <abuse-ms> <seconds>
 */
import { io } from 'socket.io-client';
import type { SubscribeAck } from '@stockwall/contracts';

const [url, token, abuseMs, seconds] = process.argv.slice(2);
const answers = { ok: 0, rate_limited: 0, busy: 0, other: 0, connects: 0, refusedConnects: 0 };
const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true });
socket.on('connect', () => {
  if (answers.connects++ === 0) console.log('connected');
});
socket.on('connect_error', () => answers.refusedConnects++);
socket.on('disconnect', (reason) => {
  if (reason === 'io server disconnect') socket.connect();
});
let timer: NodeJS.Timeout | undefined;
socket.once('connect', () => {
  timer = setInterval(abuse, Number(abuseMs));
  // Measured from the first connection on.
  setTimeout(finish, Number(seconds) * 1000);
});

function abuse(): void {
  if (!socket.connected) return;
  socket.emit('subscribe', { channels: ['stock', 'kpis', 'alerts'] }, (ack: SubscribeAck) => {
    const code = ack.ok ? 'ok' : ack.error.code;
    if (code === 'ok' || code === 'rate_limited' || code === 'busy') answers[code]++;
    else answers.other++;
  });
}

function finish(): void {
  clearInterval(timer);
  socket.disconnect();
  console.log(JSON.stringify(answers));
  process.exit(0);
}
