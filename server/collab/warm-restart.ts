// A restart in the middle of a meeting (an upgrade, a new configuration) should not make it slow
// to come back to. Every client reconnects within seconds, and the first to ask for a long
// meeting would wait while the server decodes it from disk, on a machine busy with everyone else
// reconnecting. So on a graceful stop the server writes down which documents were open (those
// with people in them first), and on start opens them again before it listens: the clients that
// come back find their meeting in memory. Only with the embedded store; documents nobody comes
// back to unload after the usual idle time. After a crash there is no list, and documents load
// as they are asked for.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoomRegistry } from './registry.js';
import type { Logger } from './types.js';

const FILE = 'open-documents.json';
/** At most this many, and no new one after this long: a server that had thousands open must not start for minutes. */
const MAX_DOCUMENTS = 50;
const BUDGET_MS = 5_000;

/** Writes down the documents open now (called before they are written and closed). Never throws: a restart merely loses its head start. */
export function rememberOpenDocuments(dataDir: string, registry: RoomRegistry, log: Logger): void {
  const names = registry.inUse().slice(0, MAX_DOCUMENTS);
  const file = join(dataDir, FILE);
  try {
    if (names.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    writeFileSync(`${file}.tmp`, JSON.stringify({ documents: names }));
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not write down the open documents; they will load as they are asked for after the restart');
  }
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
