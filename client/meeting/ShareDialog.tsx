// Share links: an edit link for notetakers and a view link for followers. Tokens are stored
// hashed, so a link's address can be copied only right after it is made (create or rotate);
// afterwards it can be rotated (new address, old one stops working) or revoked.
import { useEffect, useRef, useState, type JSX } from 'react';
import type { Meeting, ShareLink, ShareLinkWithToken } from '../../shared/api/index';
import { api, ApiError } from '../api';

type Row = ShareLink & { url?: string };

/**
 * The server builds link addresses from PUBLIC_URL. Left at its default (a loopback or wildcard
 * host) it is not an address anyone else can open, so the page's own origin is the better guess.
 */
function shareableUrl(serverUrl: string): string {
  try {
    const url = new URL(serverUrl);
    const local = ['127.0.0.1', 'localhost', '0.0.0.0', '[::]', '[::1]'].includes(url.hostname);
    return local && url.host !== location.host ? `${location.origin}${url.pathname}${url.search}` : serverUrl;
  } catch {
    return serverUrl;
  }
}

export function ShareDialog({ meeting, onClose }: { meeting: Meeting; onClose: () => void }): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const [links, setLinks] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const base = `/api/meetings/${encodeURIComponent(meeting.id)}/links`;

  useEffect(() => {
    dialog.current?.showModal();
    api<{ links: ShareLink[] }>('GET', base)
      .then((list) => setLinks(list.links))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the links.'));
  }, [base]);

  const withToken = (link: ShareLinkWithToken) => setLinks((rows) => [...rows.filter((r) => r.id !== link.id), { ...link, url: shareableUrl(link.url) }]);
  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'That did not work.'));
  };
  const copy = (link: Row) => {
    if (!link.url) return;
    void navigator.clipboard?.writeText(link.url).catch(() => undefined);
    setCopied(link.id);
  };

  const active = links.filter((l) => !l.revokedAt).sort((a, b) => a.role.localeCompare(b.role));
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="share-title" onClose={onClose}>
      <header className="dialog-header">
        <h2 id="share-title">Share “{meeting.title}”</h2>
        <button type="button" className="link-button" onClick={() => dialog.current?.close()} aria-label="Close">
          ✕
        </button>
      </header>
      <p className="muted small">
        Anyone with an <b>edit link</b> can take notes; a <b>view link</b> follows live, read-only. Rotating gives a new address and cuts off everyone who used the old one.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="share-links">
        {active.map((link) => (
          <li key={link.id} className="share-link">
            <div className="share-link-head">
              <span className={`badge ${link.role === 'notetaker' ? 'badge-open' : ''}`}>{link.role === 'notetaker' ? 'Edit link' : 'View link'}</span>
              {link.label && <span>{link.label}</span>}
              <span className="muted small">created {new Date(link.rotatedAt ?? link.createdAt).toLocaleString()}</span>
            </div>
            {link.url ? (
              <div className="share-url">
                <input readOnly value={link.url} aria-label={`${link.role} link address`} onFocus={(e) => e.currentTarget.select()} />
                <button type="button" className="primary small-button" onClick={() => copy(link)}>
                  {copied === link.id ? 'Copied' : 'Copy'}
                </button>
              </div>
            ) : (
              <p className="muted small">The address is shown only when a link is made. Rotate to get a new one to copy.</p>
            )}
            <div className="share-link-actions">
              <button
                type="button"
                className="small-button"
                onClick={() => run(async () => withToken(await api<ShareLinkWithToken>('POST', `${base}/${link.id}/rotate`)))}
              >
                Rotate
              </button>
              <button
                type="button"
                className="small-button danger"
                onClick={() =>
                  run(async () => {
                    await api('DELETE', `${base}/${link.id}`);
                    setLinks((rows) => rows.filter((r) => r.id !== link.id));
                  })
                }
              >
                Revoke
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" onClick={() => run(async () => withToken(await api<ShareLinkWithToken>('POST', base, { role: 'notetaker' })))}>
          New edit link
        </button>
        <button type="button" onClick={() => run(async () => withToken(await api<ShareLinkWithToken>('POST', base, { role: 'follower' })))}>
          New view link
        </button>
      </div>
    </dialog>
  );
}
