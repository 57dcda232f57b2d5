import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../collab/types.js';
import type { ClusterEvent, EventBus } from './events.js';

/** The NOTIFY channel every process listens on (named when it carried only access changes; renaming it would split a cluster mid-upgrade). */
export const CHANNEL = 'quorum_access';
const RECONNECT_MS = 1_000;

/**
 * Access events for several processes on one PostgreSQL: applied here at once, and sent to the
 * others with NOTIFY (delivered when the publishing transaction commits, to every session that
 * LISTENs; each process listens on a connection of its own and skips what it sent itself).
 *
 * A listener whose connection drops reconnects; events sent meanwhile are lost (NOTIFY keeps
 * nothing for a session that is not there), so once it hears again it calls `onGap`: the
 * connections admitted before may hold access taken away meanwhile, and the caller sends them
 * to be admitted afresh.
 */
export class PostgresEventBus implements EventBus {
  private readonly origin = randomUUID();
  private listener: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly apply: (event: ClusterEvent) => number,
    private readonly log: Logger,
    private readonly onGap: () => void,
  ) {}

  static async open(url: string, apply: (event: ClusterEvent) => number, log: Logger, onGap: () => void): Promise<PostgresEventBus> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    const bus = new PostgresEventBus(url, pool, apply, log, onGap);
    await bus.listen();
    return bus;
  }

  publish(event: ClusterEvent): number {
    const changed = this.apply(event);
    this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ origin: this.origin, event })]).catch((error: Error) => {
      this.log.error({ event: event.type, err: error.message }, 'could not tell the other servers of an access change');
    });
    return changed;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    const lost = () => {
      if (this.listener !== client || this.closed) return;
      this.listener = null;
      this.log.error({}, 'lost the connection that hears other servers’ access changes; reconnecting');
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const { origin, event } = JSON.parse(message.payload) as { origin: string; event: ClusterEvent };
        if (origin !== this.origin) this.apply(event);
      } catch (error) {
        this.log.error({ err: (error as Error).message }, 'could not apply another server’s access change');
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    // Closed while this connected: nobody would end it.
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
  }

  private reconnect(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.listen().then(
        () => {
          this.log.warn({}, 'hearing other servers’ access changes again; those made meanwhile were missed, so live connections are admitted afresh');
          this.onGap();
        },
        () => this.reconnect(),
      );
    }, RECONNECT_MS);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.listener?.end().catch(() => {});
    this.listener = null;
    await this.pool.end();
  }
}
