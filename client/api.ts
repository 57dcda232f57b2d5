// JSON over fetch against /api. Errors carry the server's message (one error shape, see
// server/plugins/errors.ts). A share token from the page URL goes along as Bearer.
import { storedGuestName } from './identity';
import { noteServedBuild } from './client-update';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let shareToken: string | null = null;

/** The token of the share link this page was opened with, if any (sent as Authorization: Bearer). */
export function setShareToken(token: string | null): void {
  shareToken = token;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (shareToken) headers.authorization = `Bearer ${shareToken}`;
  // A guest's display name goes along, so what it names or restores says who did it.
  const guestName = shareToken ? storedGuestName() : null;
  if (guestName) headers['x-guest-name'] = encodeURIComponent(guestName);
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  noteServedBuild(response.headers);
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? null : JSON.parse(text);
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data && typeof data === 'object' && 'error' in data && typeof data.error === 'string' ? data.error : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return data as T;
}

/** Sends a file as the raw request body (the server checks what it is); answers the JSON reply. */
export async function uploadFile<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/octet-stream' };
  if (shareToken) headers.authorization = `Bearer ${shareToken}`;
  const response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: file });
  const data = (await response.json().catch(() => null)) as { error?: string } | null;
  if (!response.ok) throw new ApiError(response.status, typeof data?.error === 'string' ? data.error : `${response.status} ${response.statusText}`);
  return data as T;
}
