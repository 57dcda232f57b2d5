// Attachments of agenda items: rows in the database, file bytes by their SHA-256 where
// `AttachmentBytes` keeps them (bytes.ts); a file's bytes go when the last attachment pointing
// at them goes.
import { createHash } from 'node:crypto';
import type { Queries } from '../db/sql/index.js';
import type { AttachmentBytes } from './bytes.js';
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
  constructor(
    private readonly db: Queries,
    private readonly bytes: AttachmentBytes,
  ) {}

  async list(meetingId: string): Promise<Attachment[]> {
    const rows = await this.db.selectFrom('attachments').selectAll().where('meeting_id', '=', meetingId).orderBy('agenda_item_id').orderBy('created_at').orderBy('id').execute();
    return rows.map(toAttachment);
  }

  private async requireItem(meetingId: string, itemId: string): Promise<void> {
    const item = await this.db.selectFrom('agenda_items').select('id').where('id', '=', itemId).where('meeting_id', '=', meetingId).executeTakeFirst();
    if (!item) throw notFound('no agenda item with this id in this meeting');
  }

  /** Checks and stores a file; nothing is written unless every check passes. */
  async addFile(meetingId: string, itemId: string, name: string, bytes: Uint8Array, createdBy: string | null): Promise<Attachment> {
    await this.requireItem(meetingId, itemId);
    const problem = checkFileName(name);
    if (problem) throw badRequest(problem);
    if (bytes.byteLength === 0) throw badRequest('the file is empty');
    const type = checkAttachmentType(bytes, name);
    if (!type.ok) throw badRequest(type.reason);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.bytes.put(sha256, bytes);
    const row: Row = { id: randomId(), meeting_id: meetingId, agenda_item_id: itemId, kind: 'file', name, url: null, sha256, size: bytes.byteLength, content_type: type.type.mime, created_at: now() };
    await this.insert(row, createdBy);
    return toAttachment(row);
  }

  async addLink(meetingId: string, itemId: string, url: string, title: string | null, createdBy: string | null): Promise<Attachment> {
    await this.requireItem(meetingId, itemId);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('the link is not a valid address');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('only http and https links can be attached');
    const name = title?.trim() || parsed.hostname + (parsed.pathname === '/' ? '' : parsed.pathname);
    const row: Row = { id: randomId(), meeting_id: meetingId, agenda_item_id: itemId, kind: 'link', name: name.slice(0, 200), url: parsed.href, sha256: null, size: null, content_type: null, created_at: now() };
    await this.insert(row, createdBy);
    return toAttachment(row);
  }

  private async insert(row: Row, createdBy: string | null): Promise<void> {
    await this.db.insertInto('attachments').values({ ...row, created_by: createdBy }).execute();
  }

  /** A file attachment's record and bytes, for download. */
  async read(meetingId: string, id: string): Promise<{ attachment: Attachment; bytes: Buffer }> {
    const row = await this.row(meetingId, id);
    if (!row) throw notFound('no attachment with this id in this meeting');
    if (row.kind !== 'file' || !row.sha256) throw badRequest('this attachment is a link: open its address');
    return { attachment: toAttachment(row), bytes: await this.bytes.get(row.sha256) };
  }

  async remove(meetingId: string, id: string): Promise<void> {
    const row = await this.row(meetingId, id);
    if (!row) throw notFound('no attachment with this id in this meeting');
    await this.db.deleteFrom('attachments').where('id', '=', id).execute();
    if (row.sha256) await this.collect([row.sha256]);
  }

  private row(meetingId: string, id: string): Promise<Row | undefined> {
    return this.db.selectFrom('attachments').selectAll().where('id', '=', id).where('meeting_id', '=', meetingId).executeTakeFirst();
  }

  /** The file hashes a meeting's attachments use (read before the meeting is deleted). */
  async hashesOf(meetingId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('attachments').select('sha256').distinct().where('meeting_id', '=', meetingId).where('sha256', 'is not', null).execute();
    return rows.map((r) => r.sha256!);
  }

  /** Deletes the bytes no attachment points at any more. */
  async collect(hashes: readonly string[]): Promise<void> {
    for (const hash of hashes) {
      const used = await this.db.selectFrom('attachments').select('id').where('sha256', '=', hash).limit(1).executeTakeFirst();
      if (!used) await this.bytes.drop(hash);
    }
  }
}
