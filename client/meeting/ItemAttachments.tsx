// The files and links attached to one agenda item, under it in the agenda panel. Followers open
// and download them; notetakers and the owner attach files (button, or drop onto the item),
// add links (most slides live elsewhere) and remove them.
import { useRef, useState, type JSX } from 'react';
import type { Attachment } from '../../shared/api/index';
import { api, ApiError, uploadFile } from '../api';

function size(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface AttachmentsApi {
  meetingId: string;
  token: string | null;
  canWrite: boolean;
  /** Reload the list after a change. */
  changed: () => void;
}

/** Uploads files to an item one by one; the first error, if any. */
export async function attachFiles(ctx: AttachmentsApi, itemId: string, files: readonly File[]): Promise<string | null> {
  for (const file of files) {
    try {
      await uploadFile(`/api/meetings/${encodeURIComponent(ctx.meetingId)}/items/${itemId}/attachments/files?name=${encodeURIComponent(file.name)}`, file);
    } catch (e) {
      ctx.changed();
      return `${file.name}: ${e instanceof ApiError ? e.message : 'could not be uploaded'}`;
    }
  }
  ctx.changed();
  return null;
}

export function ItemAttachments({ ctx, itemId, topic, attachments, error, onError }: { ctx: AttachmentsApi; itemId: string; topic: string; attachments: Attachment[]; error: string | null; onError: (message: string | null) => void }): JSX.Element | null {
  const fileInput = useRef<HTMLInputElement>(null);
  const [adding, setAdding] = useState(false);
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  if (attachments.length === 0 && !ctx.canWrite) return null;
  const base = `/api/meetings/${encodeURIComponent(ctx.meetingId)}`;
  const tokenQuery = ctx.token ? `?token=${encodeURIComponent(ctx.token)}` : '';
  return (
    <div className="item-attachments" data-testid={`attachments-${itemId}`}>
      {attachments.length > 0 && (
        <ul aria-label={`Attachments of ${topic}`}>
          {attachments.map((a) => (
            <li key={a.id}>
              {a.kind === 'file' ? (
                <a href={`${base}/attachments/${a.id}${tokenQuery}`} download={a.name}>
                  📄 {a.name} <span className="muted small">{size(a.size)}</span>
                </a>
              ) : (
                <a href={a.url ?? '#'} target="_blank" rel="noopener noreferrer">
                  🔗 {a.name}
                </a>
              )}
              {ctx.canWrite && (
                <button
                  type="button"
                  className="icon-button danger"
                  aria-label={`Remove ${a.name}`}
                  onClick={() => {
                    api('DELETE', `${base}/attachments/${a.id}`)
                      .then(ctx.changed)
                      .catch((e: unknown) => onError(e instanceof ApiError ? e.message : 'Could not remove it.'));
                  }}
                >
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {ctx.canWrite && (
        <div className="attach-actions">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label={`Files to attach to ${topic}`}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              void attachFiles(ctx, itemId, files).then(onError);
            }}
          />
          <button type="button" className="link-button small" onClick={() => fileInput.current?.click()} aria-label={`Attach a file to ${topic}`}>
            + File
          </button>
          <button type="button" className="link-button small" onClick={() => setAdding(!adding)} aria-expanded={adding} aria-label={`Attach a link to ${topic}`}>
            + Link
          </button>
        </div>
      )}
      {adding && (
        <form
          className="attach-link"
          onSubmit={(event) => {
            event.preventDefault();
            api('POST', `${base}/items/${itemId}/attachments/links`, { url: url.trim(), title: title.trim() || null })
              .then(() => {
                setUrl('');
                setTitle('');
                setAdding(false);
                onError(null);
                ctx.changed();
              })
              .catch((e: unknown) => onError(e instanceof ApiError ? e.message : 'Could not add the link.'));
          }}
        >
          <input type="url" required placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} aria-label={`Link address for ${topic}`} />
          <input placeholder="Title" value={title} onChange={(e) => setTitle(e.target.value)} aria-label={`Link title for ${topic}`} />
          <button type="submit" className="small-button">
            Add
          </button>
        </form>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
