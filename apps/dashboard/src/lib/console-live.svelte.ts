import { io } from 'socket.io-client';
import type { AlertView } from './console-types';
import { consoleRequest, type ConsoleAuth } from './console-api';
import { LiveAlerts } from './live-alerts.svelte';
import { LiveConnection } from './live-connection.svelte';
import { RECONNECT_OPTIONS, isUnauthorizedError, type LiveSocket } from './live-socket';
import { LiveStock } from './live-stock.svelte';
import type { WriteApplied } from '@stockwall/contracts';
import {
  nextWriteStatus,
  WRITE_POLL_EVERY_MS,
  WRITE_POLL_FIRST_MS,
  writeStatusOf,
  type WriteStatus,
} from './write-status';

/** How long the REST fallback keeps asking about one write. */
const WRITE_POLL_FOR_MS = 120_000;
/** Alerts are read again this often while a console page is open (the socket says when sooner). */
const ALERTS_EVERY_MS = 5_000;

/**
 * The console's live state: one `/live` socket (the session cookie, or the page's token, in the
 * handshake) with the stock and alerts channels, the writes this page submitted and their state,
 * and the stored alerts with their acknowledgement.
 */
export class ConsoleLive {
  readonly stock = new LiveStock();
  readonly liveAlerts = new LiveAlerts();
  readonly connection = new LiveConnection([this.stock, this.liveAlerts], {
    createSocket: (token) => this.#createSocket(token),
  });
  /** Submitted writes by event id. */
  writes = $state.raw<ReadonlyMap<string, WriteStatus>>(new Map());
  /** Stored alerts, newest first, with their status; null until read. */
  alerts = $state.raw<AlertView[] | null>(null);
  alertsError = $state<string | null>(null);
  readonly openAlerts = $derived((this.alerts ?? []).filter((alert) => alert.status === 'open'));

  #auth: () => ConsoleAuth;
  #onUnauthorized: (message: string) => void;
  #polls = new Map<string, ReturnType<typeof setTimeout>>();
  #alertsTimer: ReturnType<typeof setTimeout> | null = null;
  #alertsRead: Promise<void> | null = null;
  #alertsAgain = false;

  constructor(auth: () => ConsoleAuth, onUnauthorized: (message: string) => void) {
    this.#auth = auth;
    this.#onUnauthorized = onUnauthorized;
  }

  /** Opens the socket and starts reading alerts; the returned function stops both. */
  start(): () => void {
    const stop = this.connection.connect(this.#auth().bearer ?? '');
    void this.refreshAlerts();
    return () => {
      stop();
      if (this.#alertsTimer !== null) clearTimeout(this.#alertsTimer);
      this.#alertsTimer = null;
      for (const timer of this.#polls.values()) clearTimeout(timer);
      this.#polls.clear();
    };
  }

  #createSocket(token: string): LiveSocket {
    const socket: LiveSocket = io('/live', {
      ...(token ? { auth: { token } } : {}),
      transports: ['websocket'],
      autoConnect: false,
      withCredentials: true,
      ...RECONNECT_OPTIONS,
    });
    socket.on('connect', () => socket.emit('writes.subscribe'));
    socket.on('write.applied', (message) => this.#heard({ eventId: message.eventId, state: 'applied' }, message));
    socket.on('write.rejected', (message) =>
      this.#heard({ eventId: message.eventId, state: 'rejected', reason: message.reason }),
    );
    socket.on('alert', () => void this.refreshAlerts());
    socket.on('error', (error) => {
      if (isUnauthorizedError(error)) this.#onUnauthorized(error.message || 'Your session ended: sign in again.');
    });
    return socket;
  }

  /** Follows a write this page submitted until it is applied or rejected. */
  track(eventId: string): void {
    if (this.writes.get(eventId)?.state === 'applied') return;
    this.#set({ eventId, state: 'pending' });
    const started = Date.now();
    const ask = async () => {
      this.#polls.delete(eventId);
      if (this.writes.get(eventId)?.state !== 'pending') return;
      try {
        const body = await consoleRequest<unknown>(
          this.#auth(),
          'GET',
          `/api/v1/writes/${encodeURIComponent(eventId)}`,
        );
        const heard = writeStatusOf(body);
        if (heard) this.#heard(heard);
      } catch {
        // The socket may still say; ask again at the next turn.
      }
      if (this.writes.get(eventId)?.state === 'pending' && Date.now() - started < WRITE_POLL_FOR_MS) {
        this.#polls.set(
          eventId,
          setTimeout(() => void ask(), WRITE_POLL_EVERY_MS),
        );
      }
    };
    this.#polls.set(
      eventId,
      setTimeout(() => void ask(), WRITE_POLL_FIRST_MS),
    );
  }

  #heard(heard: WriteStatus, message?: WriteApplied): void {
    const current = this.writes.get(heard.eventId);
    if (current) {
      const next = nextWriteStatus(current, heard);
      if (next !== current) this.#set(next);
    }
    // An acknowledgement applied anywhere changes what every open page shows.
    if (!message || message.eventType.includes('alert') || current) void this.refreshAlerts();
  }

  #set(status: WriteStatus): void {
    const next = new Map(this.writes);
    next.set(status.eventId, status);
    this.writes = next;
  }

  /** Reads the stored alerts now (one read at a time; a call during one reads again after it). */
  refreshAlerts(): Promise<void> {
    if (this.#alertsRead) {
      this.#alertsAgain = true;
      return this.#alertsRead;
    }
    this.#alertsRead = (async () => {
      if (this.#alertsTimer !== null) clearTimeout(this.#alertsTimer);
      try {
        const body = await consoleRequest<{ items: AlertView[] }>(this.#auth(), 'GET', '/api/v1/alerts', {
          query: { limit: 200, from: new Date(Date.now() - 30 * 86_400_000).toISOString() },
        });
        this.alerts = body.items;
        this.alertsError = null;
      } catch (error) {
        this.alertsError = error instanceof Error ? error.message : String(error);
      } finally {
        this.#alertsRead = null;
        this.#alertsTimer = setTimeout(() => void this.refreshAlerts(), ALERTS_EVERY_MS);
      }
      if (this.#alertsAgain) {
        this.#alertsAgain = false;
        await this.refreshAlerts();
      }
    })();
    return this.#alertsRead;
  }

  /** Marks an alert acknowledged at once, before the stored list is read again. */
  markAcknowledged(id: string, by: string): void {
    this.alerts = (this.alerts ?? []).map((alert) =>
      alert.id === id || alert.alertId === id
        ? { ...alert, status: 'acknowledged', acknowledgedAt: new Date().toISOString(), acknowledgedBy: by }
        : alert,
    );
  }
}
