import { ConsoleApiError, consoleRequest, type HttpMethod } from './console-api';
import type { AcceptedWrite } from './console-types';
import type { ConsoleContext } from './console-context';
import type { WriteState } from './write-status';

/**
 * One form's submission: sending, the server's problems by field, and the write it put on the
 * stream with its state (pending until the live feed or the REST fallback says applied).
 */
export class FormSubmission {
  sending = $state(false);
  fieldErrors = $state.raw<Record<string, string>>({});
  message = $state<string | null>(null);
  eventId = $state<string | null>(null);
  readonly #context: ConsoleContext;

  constructor(context: ConsoleContext) {
    this.#context = context;
  }

  /** The state of the last write: null before one, or when the answer was not a write (200). */
  get state(): WriteState | null {
    if (!this.eventId) return null;
    return this.#context.live.writes.get(this.eventId)?.state ?? 'pending';
  }

  get rejectedReason(): string | null {
    return this.eventId ? (this.#context.live.writes.get(this.eventId)?.reason ?? null) : null;
  }

  /** Sends the write; answers its body, or null when it was refused (the problems are shown). */
  async submit<T = AcceptedWrite>(method: HttpMethod, path: string, body?: unknown): Promise<T | null> {
    this.sending = true;
    this.fieldErrors = {};
    this.message = null;
    this.eventId = null;
    try {
      const answer = await consoleRequest<T>(this.#context.session.auth, method, path, { body });
      const eventId = (answer as { eventId?: unknown } | null)?.eventId;
      if (typeof eventId === 'string') {
        this.eventId = eventId;
        this.#context.live.track(eventId);
      }
      return answer;
    } catch (error) {
      if (error instanceof ConsoleApiError) {
        this.fieldErrors = error.fieldErrors;
        this.message = error.message;
      } else {
        this.message = error instanceof Error ? error.message : String(error);
      }
      return null;
    } finally {
      this.sending = false;
    }
  }

  /** The problem of one field, if the server named one. */
  error(field: string): string | undefined {
    return this.fieldErrors[field];
  }
}
