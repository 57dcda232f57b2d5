// Ticket keys of an external tracker ("DM-29330") and their links.

import type { Range } from './text';

// An upper-case project key (a letter, then letters or digits), a dash, digits.
const KEY = /[A-Z][A-Z0-9]{1,9}-\d{1,9}/g;
const KEY_EXACT = /^[A-Z][A-Z0-9]{1,9}-\d{1,9}$/;

// Upper-case words followed by a number that notes use often and that are not tickets. With no
// project list configured these are the likely false positives; a project list avoids them all.
const NOT_PROJECTS = new Set(['UTF', 'SHA', 'ISO', 'IEC', 'COVID', 'MPEG', 'GPT', 'CVE', 'RFC', 'PEP', 'AES', 'RSA', 'HTTP', 'TLS', 'SSL', 'ES']);

export interface TicketHit extends Range {
  key: string;
}

/** Ticket keys in `text` from `from`, in order (duplicates kept). */
export function findTickets(text: string, from: number, projects?: readonly string[]): TicketHit[] {
  const allowed = projects && projects.length > 0 ? new Set(projects) : null;
  const hits: TicketHit[] = [];
  for (const m of text.slice(from).matchAll(KEY)) {
    const start = from + (m.index ?? 0);
    const end = start + m[0].length;
    const before = text[start - 1] ?? '';
    const after = text[end] ?? '';
    // Whole tokens only: not "xDM-12", "DM-12a", nor a part of "CVE-2021-44228".
    if (/[\p{L}\p{N}_-]/u.test(before) || /[\p{L}\p{N}_]/u.test(after)) continue;
    if (after === '-' && /[\p{L}\p{N}]/u.test(text[end + 1] ?? '')) continue;
    const project = m[0].slice(0, m[0].indexOf('-'));
    if (allowed ? !allowed.has(project) : NOT_PROJECTS.has(project)) continue;
    hits.push({ key: m[0], start, end });
  }
  return hits;
}

/**
 * The link for a ticket key from the TICKET_URL template, e.g.
 * "https://tracker.example.org/browse/{key}". A template without "{key}" is a prefix the key is
 * appended to. Only http(s) templates are used: the result becomes an href in the notes.
 */
export function ticketUrl(key: string, template: string | null | undefined): string | null {
  const t = template?.trim();
  if (!t || !KEY_EXACT.test(key) || !/^https?:\/\//i.test(t)) return null;
  const encoded = encodeURIComponent(key);
  return t.includes('{key}') ? t.split('{key}').join(encoded) : t + encoded;
}
