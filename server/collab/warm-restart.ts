// A restart in the middle of a meeting (an upgrade, a new configuration) should not make it slow
// to come back to. Every client reconnects within seconds, and the first to ask for a long
// meeting would wait while the server decodes it from disk, on a machine busy with everyone else
// reconnecting. So on a graceful stop the server writes down which documents were open (those
// with people in them first), and on start opens them again before it listens: the clients that
// come back find their meeting in memory. Only with the embedded store; documents nobody comes
// back to unload after the usual idle time. The list is also kept up to date while the server
// runs (rewritten when it changed, every `rememberOpenEveryMs`), so a restart after a crash
// opens what was open a little before it. A document that crashes the server as it loads never
// makes the list (only loaded ones do), and the list is removed before it is used: a start that
// fails on a document does not try it again.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoomRegistry } from './registry.js';
import type { Logger } from './types.js';

const FILE = 'open-documents.json';
/** At most this many, and no new one after this long: a server that had thousands open must not start for minutes. */
const MAX_DOCUMENTS = 50;
const BUDGET_MS = 5_000;

/** Writes the list (none when nothing is open); throws what the file system says. */
function writeList(dataDir: string, names: readonly string[]): void {
  const file = join(dataDir, FILE);
  if (names.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  writeFileSync(`${file}.tmp`, JSON.stringify({ documents: names }));
  renameSync(`${file}.tmp`, file);
}

const openNow = (registry: RoomRegistry): string[] => registry.inUse().slice(0, MAX_DOCUMENTS);

/** Writes down the documents open now (called before they are written and closed). Never throws: a restart merely loses its head start. */
export function rememberOpenDocuments(dataDir: string, registry: RoomRegistry, log: Logger): void {
  try {
    writeList(dataDir, openNow(registry));
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not write down the open documents; they will load as they are asked for after the restart');
  }
}

/**
 * Keeps the list up to date while the server runs, for a restart after a crash: every
 * `everyMs`, rewritten only when it changed. Returns the function that stops it. A data
 * directory that refuses the file is said once, not every time.
 */
export function keepRememberingOpenDocuments(dataDir: string, registry: RoomRegistry, log: Logger, everyMs: number): () => void {
  let written = '';
  let warned = false;
  const timer = setInterval(() => {
    const names = openNow(registry);
    const key = names.join('\n');
    if (key === written) return;
    try {
      writeList(dataDir, names);
      written = key;
      warned = false;
    } catch (error) {
      if (!warned) log.warn({ err: (error as Error).message }, 'could not write down the open documents; after a crash they will load as they are asked for');
      warned = true;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Opens the documents the last graceful stop wrote down, one at a time, in its order; the list
 * is removed first, so a start that fails on one of them does not try it again. Resolves to how
 * many were opened.
 */
export async function reopenDocuments(dataDir: string, registry: RoomRegistry, log: Logger): Promise<number> {
  const file = join(dataDir, FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err: (error as Error).message }, 'could not read the documents open before the restart');
    return 0;
  }
  try {
    rmSync(file, { force: true });
  } catch (error) {
    // A read-only data directory: the server starts anyway (and says why it cannot write).
    log.warn({ err: (error as Error).message }, 'could not remove the list of documents open before the restart');
  }
  let names: string[] = [];
  try {
    const parsed = JSON.parse(text) as { documents?: unknown };
    if (Array.isArray(parsed.documents)) names = parsed.documents.filter((name): name is string => typeof name === 'string');
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'the list of documents open before the restart is damaged; they will load as they are asked for');
    return 0;
  }
  const started = performance.now();
  let opened = 0;
  for (const name of names.slice(0, MAX_DOCUMENTS)) {
    if (performance.now() - started > BUDGET_MS) break;
    try {
      if (await registry.reopen(name)) opened++;
    } catch (error) {
      log.warn({ doc: name, err: (error as Error).message }, 'could not open a document that was open before the restart');
    }
  }
  if (opened > 0) log.info({ documents: opened, ms: Math.round(performance.now() - started) }, 'opened the documents that were open before the restart');
  return opened;
}
