// The Quorum command line: exports straight from the database (DATA_DIR's SQLite file, or
// PostgreSQL when DATABASE_URL is set), through the same export module and read functions the API
// uses. Safe next to a running server (SQLite WAL; every acknowledged document update is already
// in the database). Backup, restore and import work on the embedded SQLite database only.
//
//   npm run quorum -- export actions --meeting <id> --format csv [--out file]
//   npm run quorum -- export notes --meeting <id> --format md|html [--out file]
//   npm run quorum -- meetings
//   npm run quorum -- backup FILE        (while the server runs)
//   npm run quorum -- restore FILE [--force]
//   npm run quorum -- import FILE… [--series S] [--dry-run] [--json] [--replace] [--open] [--owner EMAIL]
//   npm run quorum -- reset-password EMAIL   (a one-time link to set a forgotten password)

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ActionExportFormat, ActionStatus, NotesExportFormat } from '../shared/api/actions.js';
import { loadConfig, type Config } from '../server/config.js';
import type { Sql } from '../server/db/sql/index.js';
import type { AnyDocumentStore } from '../server/persistence/document-store.js';

// The database, Lexical and the export modules load only once the arguments are known to be
// good, so mistakes and --help answer at once.
const loadDatabase = () => import('../server/db/database.js');
const loadReaders = async () => ({
  ...(await import('../shared/exports/index.js')),
  ...(await import('../server/meetings/meetings.js')),
  ...(await import('../server/tracker/action-items.js')),
  ...(await import('../server/notes/minutes.js')),
});

const ACTION_FORMATS: readonly ActionExportFormat[] = ['json', 'csv', 'md', 'ics'];
const NOTES_FORMATS: readonly NotesExportFormat[] = ['md', 'html'];
const STATUSES: readonly ActionStatus[] = ['open', 'done', 'all'];

const USAGE = `Usage: npm run quorum -- <command> [options]

Commands:
  export actions --meeting <id> [--format json|csv|md|ics] [--status open|done|all] [--out <file>]
  export actions [--assignee <handle|name|email>] [--series <name>] [--due-before YYYY-MM-DD]
                 [--status open|done|all] [--format …] [--out <file>]      actions across meetings
  export notes --meeting <id> [--format md|html] [--out <file>]
  meetings                                                                 list meetings and their ids
  backup <file>                 copy the live database into one file (safe while the server runs;
                                SQLite: with PostgreSQL, pg_dump)
  restore <file> [--force]      put a backup into an empty data directory (no server running there;
                                --force replaces the data that is there)
  import <file>… [--series <name>] [--dry-run] [--json] [--replace] [--open] [--owner <email>]
                                old meeting pages (Markdown, HTML, Confluence storage format, text) as
                                meetings with their notes and actions; --dry-run shows what it would make;
                                a past meeting is created closed unless --open; --replace replaces a
                                page imported before; the owner is --owner's account, else the first admin
  reset-password <email>        a one-time link (24 hours) that sets the account's password: for an admin
                                who forgot theirs (admins make links for members on the Members page)

Options:
  --data-dir <dir>   the server's data directory (default: $DATA_DIR, else ./data)
  --out <file>       write to a file instead of standard output
  -h, --help         this text

The database is <data-dir>/quorum.db, or PostgreSQL when DATABASE_URL is set (backup, restore and
import: SQLite only). TICKET_URL, if set, turns ticket keys into links.
To pipe standard output, silence npm's own banner: npm run -s quorum -- export …`;

/** A mistake in how the command was called: reported with the usage, exit code 2. */
class UsageError extends Error {}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

async function openSqlite(dataDir: string) {
  const file = join(dataDir, 'quorum.db');
  // openDatabase would create an empty database: a typo in DATA_DIR must not look like "no meetings".
  if (!existsSync(file)) throw new Error(`no Quorum database at ${file} (set DATA_DIR or --data-dir)`);
  const { openDatabase } = await loadDatabase();
  return openDatabase(file);
}

/** Where the meetings are, for the commands that read them or make a password link. */
interface Data {
  sql: Sql;
  /** The notes' document states. */
  documents(): Promise<AnyDocumentStore>;
  close(): Promise<void>;
}

async function openData(config: Config): Promise<Data> {
  const { sqliteSql, postgresSql } = await import('../server/db/sql/index.js');
  if (!config.databaseUrl) {
    const db = await openSqlite(config.dataDir);
    const { SqliteDocumentStore } = await import('../server/persistence/sqlite-document-store.js');
    return {
      sql: sqliteSql(db),
      documents: async () => new SqliteDocumentStore(db),
      close: async () => void db.close(),
    };
  }
  const url = config.databaseUrl;
  const sql = postgresSql(url, 2);
  let store: { close(): Promise<void> } | null = null;
  const close = async () => {
    await store?.close();
    await sql.close();
  };
  // A database the server never started on has no schema: say so rather than "relation does not exist".
  try {
    await sql.db.selectFrom('users').select('id').limit(1).execute();
  } catch (error) {
    await close();
    const { redacted } = await import('../server/db/storage.js');
    throw new Error(`cannot read Quorum's data in PostgreSQL at ${redacted(url)}: ${(error as Error).message} (has the server started on it once?)`, { cause: error });
  }
  return {
    sql,
    async documents() {
      const { PostgresDocumentStore } = await import('../server/persistence/postgres-document-store.js');
      // Read beside the running server: its schema is left as it is.
      const opened = await PostgresDocumentStore.open({ url, poolSize: 1, migrate: false });
      store = opened;
      return opened;
    },
    close,
  };
}

function output(body: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(body);
    return;
  }
  writeFileSync(out, body);
  process.stderr.write(`wrote ${out}\n`);
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      meeting: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      status: { type: 'string' },
      assignee: { type: 'string' },
      series: { type: 'string' },
      'due-before': { type: 'string' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      replace: { type: 'boolean' },
      open: { type: 'boolean' },
      owner: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }

  const config = loadConfig(process.env, values['data-dir'] ? { dataDir: values['data-dir'] } : {});
  // These copy or write the embedded database's file; PostgreSQL has its own tools for that.
  if (config.databaseUrl && ['import', 'backup', 'restore'].includes(positionals[0]!)) {
    process.stderr.write(
      `quorum: DATABASE_URL is set: the data is in PostgreSQL, and ${positionals[0]} works on the embedded SQLite database only (back PostgreSQL up with pg_dump; import through the running service)\n`,
    );
    return 2;
  }
  if (positionals[0] === 'import') return importFiles(config.dataDir, positionals.slice(1), { ...values, ticketProjects: config.ticketProjects });
  const [command, what, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  if (command === 'backup' || command === 'restore') {
    if (what === undefined) throw new UsageError(`${command} needs a file name`);
    const { backupDatabase, restoreDatabase } = await import('../server/db/backup.js');
    const summary =
      command === 'backup' ? await backupDatabase(config.dataDir, what) : restoreDatabase(what, config.dataDir, { force: values.force === true });
    const size = `${(summary.bytes / 1024 / 1024).toFixed(1)} MB`;
    const what_ = `${summary.meetings} meetings, ${summary.documents} documents, schema ${summary.schemaVersion}`;
    process.stderr.write(command === 'backup' ? `backed up ${config.dataDir} to ${summary.file} (${size}: ${what_})\n` : `restored ${what} into ${summary.file} (${size}: ${what_})\n`);
    return 0;
  }

  if (command === 'reset-password') {
    if (what === undefined) throw new UsageError('reset-password needs the e-mail address of the account');
    const data = await openData(config);
    try {
      const { createPasswordReset, memberByEmail, passwordResetUrl } = await import('../server/accounts/accounts.js');
      const user = await memberByEmail(data.sql.db, what);
      if (!user) throw new Error(`no account with the e-mail address ${what}`);
      const reset = await createPasswordReset(data.sql.db, user.id, null);
      process.stdout.write(`${passwordResetUrl(config.publicUrl, reset.token)}\n`);
      process.stderr.write(`a one-time link for ${user.name} (${user.role}), valid until ${reset.expiresAt}; it ends every session of theirs when used\n`);
      return 0;
    } finally {
      await data.close();
    }
  }

  if (command === 'meetings' && what === undefined) {
    const data = await openData(config);
    try {
      const { listMeetings } = await loadReaders();
      for (const m of await listMeetings(data.sql.db, { when: 'all', limit: 10_000 })) {
        process.stdout.write(`${m.id}\t${m.startDate}\t${m.series ?? '-'}\t${m.closed ? 'closed' : 'open'}\t${m.title}\n`);
      }
    } finally {
      await data.close();
    }
    return 0;
  }

  if (command !== 'export' || (what !== 'actions' && what !== 'notes')) {
    throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
  if (values['due-before'] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values['due-before'])) {
    throw new UsageError('--due-before must be a date, YYYY-MM-DD');
  }

  if (what === 'notes') {
    if (!values.meeting) throw new UsageError('export notes needs --meeting <id>');
    const format = oneOf(values.format, NOTES_FORMATS, 'format', 'md');
    const data = await openData(config);
    try {
      const { buildNotesDocument, storedDocState, exportNotes } = await loadReaders();
      const doc = await buildNotesDocument(data.sql, values.meeting, storedDocState(await data.documents()));
      if (!doc) throw new Error(`no meeting with id ${values.meeting} (list them with: npm run quorum -- meetings)`);
      output(exportNotes(format, doc, { ticketUrl: config.ticketUrl }).body, values.out);
    } finally {
      await data.close();
    }
    return 0;
  }

  const format = oneOf(values.format, ACTION_FORMATS, 'format', 'csv');
  const status = oneOf(values.status, STATUSES, 'status', values.meeting ? 'all' : 'open');
  const data = await openData(config);
  try {
    const { listActions, exportActions } = await loadReaders();
    const filter: Parameters<typeof listActions>[1] = { status };
    if (values.meeting) {
      const exists = await data.sql.db.selectFrom('meetings').select('id').where('id', '=', values.meeting).executeTakeFirst();
      if (!exists) throw new Error(`no meeting with id ${values.meeting} (list them with: npm run quorum -- meetings)`);
      filter.meetingId = values.meeting;
    }
    if (values.assignee) filter.assignee = [values.assignee];
    if (values.series) {
      // A series named as the API reads it: "ops" is the series OPS.
      const { seriesFilter } = await import('../server/meetings/series.js');
      filter.series = await seriesFilter(data.sql.db, values.series);
    }
    if (values['due-before']) filter.dueBefore = values['due-before'];
    const actions = await listActions(data.sql, filter);
    output(exportActions(format, actions, { ticketUrl: config.ticketUrl, calendarName: 'Quorum actions' }).body, values.out);
  } finally {
    await data.close();
  }
  return 0;
}

async function importFiles(
  dataDir: string,
  files: string[],
  options: { series?: string; 'dry-run'?: boolean; json?: boolean; replace?: boolean; open?: boolean; owner?: string; ticketProjects: string[] },
): Promise<number> {
  if (files.length === 0) throw new UsageError('import needs at least one file');
  const db = await openSqlite(dataDir);
  try {
    const { readPage, importPage } = await import('../server/import/importer.js');
    const { SqliteDocumentStore } = await import('../server/persistence/sqlite-document-store.js');
    const { sqliteSql } = await import('../server/db/sql/index.js');
    const owner = (
      options.owner
        ? db.prepare('SELECT id FROM users WHERE email = ? AND removed_at IS NULL').get(options.owner)
        : db.prepare("SELECT id FROM users WHERE role = 'admin' AND removed_at IS NULL ORDER BY created_at LIMIT 1").get()
    ) as { id: string } | undefined;
    if (!owner && !options['dry-run']) throw new Error(options.owner ? `no member with e-mail ${options.owner}` : 'no admin account yet: set one up first (open the server in a browser)');
    const today = new Date().toISOString().slice(0, 10);
    const results: unknown[] = [];
    let failed = 0;
    for (const file of files) {
      const ask = { content: readFileSync(file, 'utf8'), filename: basename(file), series: options.series ?? null, open: options.open === true, today, ticketProjects: options.ticketProjects };
      try {
        const read = options['dry-run'] ? await readPage(sqliteSql(db).db, ask) : null;
        const made = read ? null : await importPage(sqliteSql(db).db, new SqliteDocumentStore(db), owner!.id, { ...ask, replace: options.replace === true });
        const page = read ?? made!.read;
        const p = page.preview;
        results.push({ file, format: page.format, ...p, duplicateOf: page.duplicateOf, ...(made ? { meetingId: made.meeting.id, replaced: made.replaced } : {}) });
        if (!options.json) {
          const items = p.days.reduce((n, d) => n + d.blocks.reduce((m, b) => m + b.items.length, 0), 0);
          process.stdout.write(
            `${file} (${page.format}): "${p.title}", ${p.startDate}${p.endDate !== p.startDate ? ` to ${p.endDate}` : ''}, ${p.attendees.length} attendees, ` +
              `${items} agenda items, ${p.actions.length} actions, ${p.proposals.length} proposals` +
              `${made ? `\n  created meeting ${made.meeting.id}${made.meeting.closed ? ' (closed)' : ''}${made.replaced ? `, replacing ${made.replaced}` : ''}` : page.duplicateOf ? `\n  imported before as meeting ${page.duplicateOf} (--replace to replace it)` : ''}\n`,
          );
          for (const action of p.actions) {
            const who = action.everyone ? 'All' : action.assignees.join(', ') || 'unassigned';
            process.stdout.write(`  ${action.done ? '[x]' : '[ ]'} ${action.date} ${who}: ${action.description}${action.due ? ` (due ${action.due})` : ''}\n`);
          }
          for (const warning of p.warnings) process.stdout.write(`  warning: ${warning}\n`);
          for (const guess of p.guesses) process.stdout.write(`  guessed: ${guess}\n`);
        }
      } catch (error) {
        failed++;
        process.stderr.write(`quorum: ${file}: ${(error as Error).message}\n`);
      }
    }
    if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs reports unknown options with its own error codes: those are usage mistakes too.
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`quorum: ${message}\n${usage ? `\n${USAGE}\n` : ''}`);
    process.exitCode = usage ? 2 : 1;
  }
}

void main();
