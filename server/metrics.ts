// Prometheus metrics (prom-client): Quorum's own as `quorum_*`, plus Node's process metrics. Most
// are read when scraped (connections, documents, the update log, file sizes); the collaboration
// core and the notes layer report what happens between scrapes through small observers, so
// neither depends on prom-client.

import { statSync } from 'node:fs';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CountedHistogram } from './counted-histogram.js';
import type { Db } from './db/database.js';
import type { RoomRegistry } from './collab/registry.js';
import type { CollabObserver, Grant } from './collab/types.js';

/** What the notes layer reports about its extraction passes. */
export interface NotesObserver {
  /** Seconds from a change to the pass that indexed it. */
  lagged(seconds: number): void;
  /** Seconds one pass took (read, parse, record). */
  passed(seconds: number): void;
  /** Writing a document's notes into the search index failed (it is tried again on the next change). */
  searchIndexFailed(): void;
  /** An extraction pass failed (the database refused its records): tried again with a backoff. */
  passFailed(): void;
}

export interface Metrics {
  readonly registry: Registry;
  /** Given to the collaboration core. */
  readonly collab: CollabObserver;
  /** Given to the notes layer. */
  readonly notes: NotesObserver;
  /** Called once the core exists; the gauges read it when scraped. */
  watch(core: RoomRegistry): void;
}

/** A connection's role as the access rules granted it; `reader`/`writer` for documents of no meeting. */
function roleOf(grant: Grant): string {
  const role = grant.scope?.role;
  if (typeof role === 'string') return grant.readOnly && role !== 'follower' ? `${role} (read-only)` : role;
  return grant.readOnly ? 'reader' : 'writer';
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function createMetrics(sqlite: { db: Db; file: string } | null): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let core: RoomRegistry | null = null;

  new Gauge({
    name: 'quorum_connections',
    help: 'Open collaboration connections, by role',
    labelNames: ['role'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [role, count] of core?.countConnections(roleOf) ?? []) this.set({ role }, count);
    },
  });
  new Gauge({
    name: 'quorum_documents_loaded',
    help: 'Documents held in memory',
    registers: [registry],
    collect() {
      this.set(core?.stats().documents ?? 0);
    },
  });
  // The embedded database's own gauges; PostgreSQL is watched with its own tools.
  if (sqlite) {
    const { db, file } = sqlite;
    new Gauge({
      name: 'quorum_update_log_entries',
      help: 'Updates stored in the update log since the last compaction, over all documents',
      registers: [registry],
      collect() {
        this.set((db.prepare('SELECT count(*) AS n FROM document_updates').get() as { n: number }).n);
      },
    });
    new Gauge({
      name: 'quorum_database_bytes',
      help: 'Size of the SQLite database file',
      registers: [registry],
      collect() {
        this.set(fileBytes(file));
      },
    });
    new Gauge({
      name: 'quorum_wal_bytes',
      help: 'Size of the SQLite write-ahead log',
      registers: [registry],
      collect() {
        this.set(fileBytes(`${file}-wal`));
      },
    });
  }
  new Gauge({
    name: 'quorum_storage_failing',
    help: '1 while updates cannot be stored (disk full, read-only database), else 0',
    registers: [registry],
    collect() {
      this.set(core?.storageFailure ? 1 : 0);
    },
  });
  const stored = new Counter({ name: 'quorum_updates_stored_total', help: 'Document updates stored and applied', registers: [registry] });
  const storedBytes = new Counter({ name: 'quorum_updates_stored_bytes_total', help: 'Bytes of the document updates stored', registers: [registry] });
  const refused = new Counter({ name: 'quorum_updates_refused_total', help: 'Document updates refused because they could not be stored', registers: [registry] });
  const relayLatency = new CountedHistogram({
    name: 'quorum_relay_latency_seconds',
    help: 'From a change reaching the server to its being sent to a connection, per connection sent to',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const extractionLag = new CountedHistogram({
    name: 'quorum_extraction_lag_seconds',
    help: 'From a change to a session document to the extraction pass that indexed it',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const searchIndexFailures = new Counter({
    name: 'quorum_search_index_failures_total',
    help: 'Writes of running notes into the search index that failed (each retried with a backoff, typing or not)',
    registers: [registry],
  });
  const extractionFailures = new Counter({
    name: 'quorum_extraction_failures_total',
    help: 'Extraction passes that failed, most often because the database refused their records (each is tried again, backing off up to 30 s)',
    registers: [registry],
  });
  const extractionPass = new CountedHistogram({
    name: 'quorum_extraction_pass_seconds',
    help: 'How long one extraction pass over a session document took (it reads only the blocks changed since the last)',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });

  return {
    registry,
    collab: {
      stored(bytes) {
        stored.inc();
        storedBytes.inc(bytes);
      },
      refused: () => refused.inc(),
      relayed: (seconds) => relayLatency.observe(seconds),
    },
    notes: {
      lagged: (seconds) => extractionLag.observe(seconds),
      passed: (seconds) => extractionPass.observe(seconds),
      searchIndexFailed: () => searchIndexFailures.inc(),
      passFailed: () => extractionFailures.inc(),
    },
    watch(registryToWatch) {
      core = registryToWatch;
    },
  };
}
