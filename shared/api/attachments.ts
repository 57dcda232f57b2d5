import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

/** A file or a link attached to an agenda item. */
export const Attachment = Type.Object({
  id: Id,
  agendaItemId: Id,
  kind: Type.Union([Type.Literal('file'), Type.Literal('link')]),
  /** The file's name, or the link's title. */
  name: Type.String(),
  /** Links: where it points. Files: null (download from `/api/meetings/:id/attachments/:attachmentId`). */
  url: Nullable(Type.String()),
  size: Nullable(Type.Integer()),
  contentType: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Attachment = Static<typeof Attachment>;

export const AttachmentList = Type.Object({ attachments: Type.Array(Attachment) });
export type AttachmentList = Static<typeof AttachmentList>;

export const AttachLinkBody = Type.Object({
  url: Type.String({ maxLength: 2000, pattern: '^https?://' }),
  title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});
export type AttachLinkBody = Static<typeof AttachLinkBody>;

export const ItemParams = Type.Object({ id: Id, itemId: Id });
export const AttachmentParams = Type.Object({ id: Id, attachmentId: Id });
export const UploadQuery = Type.Object({ name: Type.String({ minLength: 1, maxLength: 400, description: 'the file name' }) });
