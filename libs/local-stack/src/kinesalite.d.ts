declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
    ssl?: boolean;
  }

  function kinesalite(options?: KinesaliteOptions): Server;
  export = kinesalite;
}
