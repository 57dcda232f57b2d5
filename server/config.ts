import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the client (vite.config.ts `build.outDir`). */
const CLIENT_DIST = resolve(fileURLToPath(new URL('../dist/client', import.meta.url)));

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /**
   * postgres://… : PostgreSQL holds everything (documents and tables), for several processes
   * sharing it; null: the embedded SQLite database in DATA_DIR.
   */
  databaseUrl: string | null;
  /** Connections each process opens to PostgreSQL for queries (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /**
   * The key share-link addresses are sealed with, 32 bytes in base64 (LINK_KEY): several
   * processes must share it. Unset: made once and kept in DATA_DIR.
   */
  linkKey: string | null;
  /** Absolute base URL used in share links; derived from host and port when unset. */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Template for ticket links, with `{key}`, e.g. https://tracker.example.org/browse/{key}. */
  ticketUrl: string | null;
  /** Ticket project keys (TICKET_PROJECTS=DM,RFC): only these are tickets; empty, any key but a few known false positives. */
  ticketProjects: string[];
  sqliteSynchronous: 'NORMAL' | 'FULL';
  maxFrameBytes: number;
  maxBufferedBytes: number;
  idleUnloadMs: number;
  /** The documents open are written down this often while running, so a restart after a crash finds them too (embedded store only). */
  rememberOpenEveryMs: number;
  compactThreshold: number;
  /** An automatic version of a session's notes is kept after typing pauses this long… */
  versionPauseMs: number;
  /** …and at least this often while typing goes on. */
  versionEveryMs: number;
  /** Idle connections are sent a keep-alive after this long (y-websocket gives up after 30 s). */
  keepAliveMs: number;
  maxBufferedTotalBytes: number;
  maxDocumentBytes: number;
  /** The largest file that can be attached to an agenda item. */
  maxAttachmentBytes: number;
  maxAwarenessBytes: number;
  awarenessPerSecond: number;
  /** A TCP connection must finish its HTTP request or WebSocket upgrade within this. */
  handshakeTimeoutMs: number;
  /** Collaboration connections one client address may hold at once. */
  maxConnectionsPerAddress: number;
  /** Collaboration connections one share link or one member may hold at once. */
  maxConnectionsPerCredential: number;
  /** Host names (host:port) the server answers besides PUBLIC_URL's (and loopback names). */
  allowedHosts: string[];
  /** Serve the built client (off for API-only test servers). */
  serveClient: boolean;
  /** Where the built client is (dist/client, where `vite build` writes it). */
  clientDir: string;
  /** Serve Prometheus metrics at /metrics. */
  metrics: boolean;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /**
   * Which proxies to believe about the client's address and scheme (X-Forwarded-For/-Proto):
   * false, a hop count, or addresses and CIDR ranges. Fastify's `trustProxy`.
   */
  trustProxy: boolean | number | string[];
  /**
   * Leaves documents that belong to no meeting (names not starting with `session-`) open to
   * anyone, read-write. Only for the collaboration-core tests and the benchmark; never in production.
   */
  openDocuments: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads configuration from an environment; reports every problem at once, not the first. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (!match) problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return match ?? fallback;
  };
  const url = (name: string): string | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return null;
    try {
      const parsed = new URL(raw.replace('{key}', 'KEY-1'));
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
      return raw;
    } catch {
      problems.push(`${name} must be an http(s) URL, got "${raw}"`);
      return null;
    }
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '127.0.0.1';
  const ticketUrl = url('TICKET_URL');
  if (ticketUrl && !ticketUrl.includes('{key}')) problems.push('TICKET_URL must contain {key}');
  const publicUrl = url('PUBLIC_URL');

  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL.trim() : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded SQLite database)');
  const linkKey = env.LINK_KEY && env.LINK_KEY.trim() !== '' ? env.LINK_KEY.trim() : null;
  if (linkKey && Buffer.from(linkKey, 'base64').length !== 32) problems.push('LINK_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');

  const config: Config = {
    port,
    host,
    dataDir: resolve(env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data'),
    databaseUrl,
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 1000),
    linkKey,
    publicUrl: (publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, ''),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    ticketUrl,
    ticketProjects: ticketProjects(env.TICKET_PROJECTS, problems),
    sqliteSynchronous: oneOf('SQLITE_SYNCHRONOUS', ['NORMAL', 'FULL'] as const, 'NORMAL'),
    maxFrameBytes: integer('MAX_FRAME_BYTES', 8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    maxBufferedBytes: integer('MAX_BUFFERED_BYTES', 16 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    idleUnloadMs: integer('IDLE_UNLOAD_MS', 30_000, 0, 24 * 3600 * 1000),
    rememberOpenEveryMs: integer('REMEMBER_OPEN_EVERY_MS', 30_000, 100, 24 * 3600 * 1000),
    compactThreshold: integer('COMPACT_THRESHOLD', 500, 1, 1_000_000),
    versionPauseMs: integer('VERSION_PAUSE_MS', 60_000, 10, 24 * 3600 * 1000),
    versionEveryMs: integer('VERSION_EVERY_MS', 5 * 60_000, 10, 24 * 3600 * 1000),
    keepAliveMs: integer('KEEPALIVE_MS', 15_000, 50, 25_000),
    maxBufferedTotalBytes: integer('MAX_BUFFERED_TOTAL_BYTES', 256 * 1024 * 1024, 1024 * 1024, 16 * 1024 * 1024 * 1024),
    maxDocumentBytes: integer('MAX_DOCUMENT_BYTES', 32 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    maxAttachmentBytes: integer('MAX_ATTACHMENT_BYTES', 50 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    maxAwarenessBytes: integer('MAX_PRESENCE_BYTES', 8 * 1024, 256, 1024 * 1024),
    awarenessPerSecond: integer('MAX_PRESENCE_PER_SECOND', 30, 1, 10_000),
    handshakeTimeoutMs: integer('HANDSHAKE_TIMEOUT_MS', 5_000, 100, 120_000),
    maxConnectionsPerAddress: integer('MAX_CONNECTIONS_PER_ADDRESS', 400, 1, 1_000_000),
    maxConnectionsPerCredential: integer('MAX_CONNECTIONS_PER_LINK', 2_000, 1, 1_000_000),
    allowedHosts: (env.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter((h) => h !== ''),
    serveClient: oneOf('SERVE_CLIENT', ['true', 'false'] as const, 'true') === 'true',
    clientDir: env.CLIENT_DIR && env.CLIENT_DIR !== '' ? resolve(env.CLIENT_DIR) : CLIENT_DIST,
    metrics: oneOf('METRICS', ['true', 'false'] as const, 'true') === 'true',
    metricsToken: env.METRICS_TOKEN && env.METRICS_TOKEN !== '' ? env.METRICS_TOKEN : null,
    trustProxy: trustProxy(env.TRUST_PROXY, problems),
    openDocuments: oneOf('OPEN_DOCUMENTS', ['true', 'false'] as const, 'false') === 'true',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, ...overrides };
}

/** TICKET_PROJECTS: comma-separated project keys, each an upper-case letter then letters or digits. */
function ticketProjects(raw: string | undefined, problems: string[]): string[] {
  const keys = (raw ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
  const bad = keys.filter((key) => !/^[A-Z][A-Z0-9]{1,9}$/.test(key));
  if (bad.length > 0) problems.push(`TICKET_PROJECTS must list project keys such as DM,RFC (not ${bad.join(', ')})`);
  return keys;
}

/**
 * TRUST_PROXY: unset or `false` trusts no proxy (the socket's address is the client's); `true`
 * trusts every hop (only when nothing but the proxy can reach the server); a number trusts that
 * many hops; otherwise a comma-separated list of addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`).
 */
function trustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.filter((entry) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry) && !['loopback', 'linklocal', 'uniquelocal'].includes(entry));
  if (bad.length > 0) problems.push(`TRUST_PROXY must be true, false, a hop count or addresses/CIDR ranges, got "${bad.join(', ')}"`);
  return entries;
}
