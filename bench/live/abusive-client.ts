/**
 * One abusive /live client, in a process of its own (as it would be on another machine), driven
 * by lines on stdin: `start` connects and subscribes to every channel every <abuse-ms> whatever
 * the answers, reconnecting at once whenever the server closes it; `stop` disconnects and prints
 * what it was answered since `start` as one JSON line. It prints `ready` once loaded.
 * Usage (from abuse.bench.ts): node -r ./test/support/ts-register.js bench/live/abusive-client.ts <url> <token> <abuse-ms>
 */
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import type { SubscribeAck } from '@stockwall/contracts';

const [url, token, abuseMs] = process.argv.slice(2);
let answers: Record<string, number> = {};
let socket: Socket | null = null;
let timer: NodeJS.Timeout | undefined;
const count = (key: string) => (answers[key] = (answers[key] ?? 0) + 1);

function start(): void {
  answers = { ok: 0, rate_limited: 0, busy: 0, connects: 0, refusedConnects: 0 };
  const client = io(`${url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true });
  client.on('connect', () => {
    count('connects');
    console.log('connected');
  });
  client.on('connect_error', () => count('refusedConnects'));
  client.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') client.connect();
  });
  timer = setInterval(() => {
    if (!client.connected) return;
    client.emit('subscribe', { channels: ['stock', 'kpis', 'alerts'] }, (ack: SubscribeAck) =>
      count(ack.ok ? 'ok' : ack.error.code),
    );
  }, Number(abuseMs));
  socket = client;
}

function stop(): void {
  clearInterval(timer);
  socket?.removeAllListeners('disconnect');
  socket?.disconnect();
  socket = null;
  console.log(JSON.stringify(answers));
}

createInterface({ input: process.stdin }).on('line', (line) => (line === 'start' ? start() : stop()));
console.log('ready');
