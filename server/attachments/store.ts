// Attachments of agenda items: rows in SQLite, file bytes in DATA_DIR/attachments/<aa>/<sha256>.
// A file is written under a temporary name and renamed into place, so a crash never leaves a
// half-written file under a hash; it is deleted when the last attachment pointing at it goes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import type { Attachment } from '../../shared/api/index.js';
import { badRequest, notFound } from '../http-errors.js';
import { now, randomId } from '../ids.js';
import { checkAttachmentType, checkFileName } from './types.js';

interface Row {
  id: string;
  meeting_id: string;
  agenda_item_id: string;
  kind: 'file' | 'link';
  name: string;
  url: string | null;
  sha256: string | null;
  size: number | null;
  content_type: string | null;
  created_at: string;
}

const toAttachment = (row: Row): Attachment => ({
  id: row.id,
  agendaItemId: row.agenda_item_id,
  kind: row.kind,
  name: row.name,
  url: row.url,
  size: row.size,
  contentType: row.content_type,
  createdAt: row.created_at,
});

export class AttachmentStore {
  private readonly dir: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.dir = join(dataDir, 'attachments');
  }

  private pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  list(meetingId: string): Attachment[] {
    return (this.db.prepare('SELECT * FROM attachments WHERE meeting_id = ? ORDER BY agenda_item_id, created_at, id').all(meetingId) as Row[]).map(toAttachment);
  }

  private requireItem(meetingId: string, itemId: string): void {
    if (!this.db.prepare('SELECT 1 FROM agenda_items WHERE id = ? AND meeting_id = ?').get(itemId, meetingId)) throw notFound('no agenda item with this id in this meeting');
  }

  /** Checks and stores a file; nothing is written unless every check passes. */
  addFile(meetingId: string, itemId: string, name: string, bytes: Uint8Array, createdBy: string | null): Attachment {
    this.requireItem(meetingId, itemId);
    const problem = checkFileName(name);
    if (problem) throw badRequest(problem);
    if (bytes.byteLength === 0) throw badRequest('the file is empty');
    const type = checkAttachmentType(bytes, name);
    if (!type.ok) throw badRequest(type.reason);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      const partial = `${path}.${randomId(8)}.part`;
      try {
        writeFileSync(partial, bytes, { flag: 'wx' });
        renameSync(partial, path);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
    }
    const row: Row = { id: randomId(), meeting_id: meetingId, agenda_item_id: itemId, kind: 'file', name, url: null, sha256, size: bytes.byteLength, content_type: type.type.mime, created_at: now() };
    this.insert(row, createdBy);
    return toAttachment(row);
  }

  addLink(meetingId: string, itemId: string, url: string, title: string | null, createdBy: string | null): Attachment {
    this.requireItem(meetingId, itemId);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('the link is not a valid address');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('only http and https links can be attached');
    const name = title?.trim() || parsed.hostname + (parsed.pathname === '/' ? '' : parsed.pathname);
    const row: Row = { id: randomId(), meeting_id: meetingId, agenda_item_id: itemId, kind: 'link', name: name.slice(0, 200), url: parsed.href, sha256: null, size: null, content_type: null, created_at: now() };
    this.insert(row, createdBy);
    return toAttachment(row);
  }

  private insert(row: Row, createdBy: string | null): void {
    this.db
      .prepare(
        `INSERT INTO attachments (id, meeting_id, agenda_item_id, kind, name, url, sha256, size, content_type, created_by, created_at)
         VALUES (@id, @meeting_id, @agenda_item_id, @kind, @name, @url, @sha256, @size, @content_type, @created_by, @created_at)`,
      )
      .run({ ...row, created_by: createdBy });
  }

  /** A file attachment's record and bytes, for download. */
  read(meetingId: string, id: string): { attachment: Attachment; bytes: Buffer } {
    const row = this.db.prepare('SELECT * FROM attachments WHERE id = ? AND meeting_id = ?').get(id, meetingId) as Row | undefined;
    if (!row) throw notFound('no attachment with this id in this meeting');
    if (row.kind !== 'file' || !row.sha256) throw badRequest('this attachment is a link: open its address');
    return { attachment: toAttachment(row), bytes: readFileSync(this.pathOf(row.sha256)) };
  }

  remove(meetingId: string, id: string): void {
    const row = this.db.prepare('SELECT * FROM attachments WHERE id = ? AND meeting_id = ?').get(id, meetingId) as Row | undefined;
    if (!row) throw notFound('no attachment with this id in this meeting');
    this.db.prepare('DELETE FROM attachments WHERE id = ?').run(id);
    if (row.sha256) this.collect([row.sha256]);
  }

  /** The file hashes a meeting's attachments use (read before the meeting is deleted). */
  hashesOf(meetingId: string): string[] {
    return (this.db.prepare('SELECT DISTINCT sha256 FROM attachments WHERE meeting_id = ? AND sha256 IS NOT NULL').all(meetingId) as Array<{ sha256: string }>).map((r) => r.sha256);
  }

  /** Deletes the files no attachment points at any more. */
  collect(hashes: readonly string[]): void {
    const used = this.db.prepare('SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1');
    for (const hash of hashes) if (!used.get(hash)) rmSync(this.pathOf(hash), { force: true });
  }
}
