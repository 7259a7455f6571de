import { Injectable } from '@nestjs/common';

/** Where this process's change feed is: the version of its last notice and when it last read. */
@Injectable()
export class ChangeFeedPosition {
  /** Version of the last change notice seen; null until the first one. */
  lastNoticeVersion: number | null = null;
  /** Epoch ms of the change feed's last successful read; null before the first. */
  readAt: number | null = null;

  /** The version new rooms and resyncs start from (0 before the first notice). */
  get version(): number {
    return this.lastNoticeVersion ?? 0;
  }
}
