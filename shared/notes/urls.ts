// Web addresses in running notes ("slides: https://indico.example.org/event/42", "see
// www.example.org"): the page makes them links as they are typed or pasted, the server when it
// writes notes (imports, pre-meeting notes), and the exports when older notes hold them as text.
// One reading for all three, so that what is a link on the page is a link in the files.
//
// The rules are the ones people know from GitHub and chat tools: an address starts with
// `http://`, `https://` or `www.`, not in the middle of a word; it runs to the next space; the
// punctuation that ends a sentence around it (a full stop, a comma, a closing bracket that was
// opened before it) is not part of it. An e-mail address ("send it to ops@lsst.org") is one too,
// opened with `mailto:`.

export interface UrlMatch {
  /** Offsets of the address in the text (end exclusive). */
  start: number;
  end: number;
  /** The address to open: `www.` ones get `https://`. */
  href: string;
}

const CANDIDATE = /(?<![\p{L}\p{N}_@/.:+-])(?:(?:https?:\/\/|www\.)[^\s<>"]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})/giu;
/** An e-mail address, as CANDIDATE finds one. */
const EMAIL = /^[^@/:\s]+@/;
/** Characters that end a sentence or a quotation more often than an address. */
const TRAILING = /[.,;:!?'"*_~]$/;
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The web addresses in a text, in order. */
export function urlsIn(text: string): UrlMatch[] {
  const found: UrlMatch[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const email = EMAIL.test(match[0]);
    const url = email ? match[0] : trimTrailing(match[0]);
    if (!email && !hasHost(url)) continue;
    const start = match.index;
    found.push({ start, end: start + url.length, href: email ? `mailto:${url}` : /^www\./i.test(url) ? `https://${url}` : url });
  }
  return found;
}

/** A text cut into runs of plain text and addresses (with `href`), in order. */
export function textAndUrls(text: string): Array<{ text: string; href?: string }> {
  const runs: Array<{ text: string; href?: string }> = [];
  let at = 0;
  for (const url of urlsIn(text)) {
    if (url.start > at) runs.push({ text: text.slice(at, url.start) });
    runs.push({ text: text.slice(url.start, url.end), href: url.href });
    at = url.end;
  }
  if (at < text.length || runs.length === 0) runs.push({ text: text.slice(at) });
  return runs;
}

/** The address the whole text is, if it is one (a link whose text was edited stays a link only then). */
export function wholeUrl(text: string): UrlMatch | null {
  const [only] = urlsIn(text);
  return only !== undefined && only.start === 0 && only.end === text.length ? only : null;
}

/** The address a text ends with, give or take the punctuation that closes a sentence after it. */
export function urlAtEnd(text: string): UrlMatch | null {
  const last = urlsIn(text).at(-1);
  return last && /^[.,;:!?'"*_~)\]}]*$/.test(text.slice(last.end)) ? last : null;
}

function trimTrailing(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url[url.length - 1]!;
    const opener = CLOSERS[last];
    if (TRAILING.test(url)) url = url.slice(0, -1);
    // A closing bracket belongs to the address only when the address opened it: Wikipedia's
    // `…/Set_(mathematics)` keeps it, "(see https://example.org)" does not.
    else if (opener !== undefined && count(url, last) > count(url, opener)) url = url.slice(0, -1);
    else return url;
  }
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** `https://` alone, or `www.` without a name after it, is not an address yet. */
function hasHost(url: string): boolean {
  const host = /^(?:https?:\/\/)?([^/?#]*)/i.exec(url)?.[1] ?? '';
  const name = host.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
  return /^www\./i.test(url) ? /^www\.[\p{L}\p{N}-]+\.[\p{L}\p{N}]/iu.test(name) : /^[\p{L}\p{N}[]/u.test(name);
}
