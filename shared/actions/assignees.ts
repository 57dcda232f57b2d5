// Who an action is for: @-mentions anywhere in the block, and attendees' full names or handles
// (and 'All') at the start of its body.

import type { Attendee, Mention } from './types';
import {
  compact,
  continuesWord,
  foldString,
  isSpace,
  isWordChar,
  matchPhraseAt,
  overlaps,
  type Range,
} from './text';

export interface AssigneeToken extends Range {
  /** As typed, e.g. "@ktl", "Robert Lupton", "All". */
  text: string;
  attendee: Attendee | null;
  everyone: boolean;
}

interface Entry {
  attendee: Attendee;
  name: string;
  /** Without a leading '@'; null when the attendee has none. */
  handle: string | null;
  /** Multi-word names match case-insensitively; a one-word name is as risky as a handle. */
  multiWord: boolean;
  /** Folded keys an @token is compared with, most specific tier first (see atTiers). */
  tiers: string[][];
}

export interface Directory {
  entries: Entry[];
  /** Per tier, the attendees under each folded key (`resolveAtToken` looks tokens up in it). */
  byTier: Array<Map<string, Set<Attendee>>>;
}

const EVERYONE_WORDS = new Set(['all', 'everyone', 'everybody']);
/** handle · handle or e-mail · full name · first+last forms · first or last name · initials */
const TIER_COUNT = 6;

/**
 * The forms under which "@token" finds an attendee, most specific first. Resolution stops at the
 * first tier with any match, and a tier with two different matches is ambiguous (unresolved):
 * "@jp" is Joel Plutchak's handle before it is John Parejko's initials.
 */
function atTiers(a: Attendee, handle: string | null): string[][] {
  const words = a.name.trim().split(/\s+/u).filter((w) => w !== '');
  const parts = words.flatMap((w) => w.split(/[-\u2010\u2011]/u)).filter((p) => compact(p) !== '');
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  const afterFirst = words.slice(1).join('');
  const local = a.email?.split('@')[0] ?? '';
  const multi = words.length > 1;
  const nonEmpty = (xs: string[]): string[] => xs.filter((x) => x !== '');
  return [
    nonEmpty([handle ? foldString(handle) : '']),
    nonEmpty([handle ? compact(handle) : '', compact(local)]),
    nonEmpty([compact(a.name)]),
    // mario.juric, brian.vanklaveren, jbosch, bvanklaveren
    multi ? nonEmpty([compact(first + last), compact(first + afterFirst), compact(first.slice(0, 1) + last), compact(first.slice(0, 1) + afterFirst)]) : [],
    multi ? nonEmpty([compact(first), compact(last), compact(afterFirst)]) : [],
    multi ? nonEmpty([parts.map((p) => compact(p).slice(0, 1)).join('')]) : [],
  ];
}

/**
 * Directories by attendee list: a meeting's list is one array for as long as it is unchanged, and
 * the folded name forms cost more to build than most lines cost to parse.
 */
const directories = new WeakMap<readonly Attendee[], Directory>();

export function createDirectory(attendees: readonly Attendee[]): Directory {
  let directory = directories.get(attendees);
  if (!directory) {
    directory = buildDirectory(attendees);
    directories.set(attendees, directory);
  }
  return directory;
}

function buildDirectory(attendees: readonly Attendee[]): Directory {
  const entries = attendees
    .filter((a) => typeof a.name === 'string' && a.name.trim() !== '')
    .map((attendee): Entry => {
      // In NFC and trimmed, as matchPhraseAt takes them.
      const raw = attendee.handle?.trim().replace(/^@/, '').normalize('NFC').trim() ?? '';
      const handle = raw === '' ? null : raw;
      return {
        attendee,
        name: attendee.name.normalize('NFC').trim(),
        handle,
        multiWord: /\s/u.test(attendee.name.trim()),
        tiers: atTiers(attendee, handle),
      };
    });
  const byTier = Array.from({ length: TIER_COUNT }, (_, tier) => {
    const index = new Map<string, Set<Attendee>>();
    for (const entry of entries) {
      for (const key of entry.tiers[tier] ?? []) {
        const found = index.get(key);
        if (found) found.add(entry.attendee);
        else index.set(key, new Set([entry.attendee]));
      }
    }
    return index;
  });
  return { entries, byTier };
}

interface Resolution {
  attendee: Attendee | null;
  everyone: boolean;
}

interface Candidate {
  end: number;
  /** Tie-break between matches of equal length: lower wins. */
  rank: number;
  res: Resolution;
}

const UNRESOLVED: Resolution = { attendee: null, everyone: false };

/** Resolves the token of "@token" (without the '@'), case-insensitively. */
export function resolveAtToken(token: string, dir: Directory): Resolution {
  const exact = foldString(token);
  const key = compact(token);
  if (key === '') return UNRESOLVED;
  for (let tier = 0; tier < TIER_COUNT; tier++) {
    const probe = tier === 0 ? exact : key;
    const hits = dir.byTier[tier]?.get(probe);
    if (hits?.size === 1) return { attendee: hits.values().next().value ?? null, everyone: false };
    if (hits && hits.size > 1) return UNRESOLVED; // ambiguous: better unassigned than the wrong person
    // A handle "all" would have won above; otherwise @all means everyone.
    if (tier === 1 && EVERYONE_WORDS.has(exact)) return { attendee: null, everyone: true };
  }
  return UNRESOLVED;
}

function findById(id: string | number, dir: Directory): Attendee | null {
  return dir.entries.find((e) => e.attendee.id !== undefined && String(e.attendee.id) === String(id))?.attendee ?? null;
}

function findByName(name: string, dir: Directory): Attendee | null {
  const key = foldString(name.trim().replace(/\s+/gu, ' '));
  return dir.entries.find((e) => foldString(e.name.replace(/\s+/gu, ' ')) === key)?.attendee ?? null;
}

/** A mention node names its attendee by id; handle, name and its own text are fallbacks. */
function resolveMention(m: Mention, text: string, dir: Directory): Resolution {
  if (m.attendeeId !== undefined) {
    const byId = findById(m.attendeeId, dir);
    if (byId) return { attendee: byId, everyone: false };
  }
  if (m.handle) {
    const r = resolveAtToken(m.handle.replace(/^@/, ''), dir);
    if (r.attendee || r.everyone) return r;
  }
  if (m.name) {
    const byName = findByName(m.name, dir);
    if (byName) return { attendee: byName, everyone: false };
  }
  const label = text.replace(/^@/, '');
  const byName = findByName(label, dir);
  if (byName) return { attendee: byName, everyone: false };
  return resolveAtToken(label, dir);
}

/** Keeps mentions that lie inside the text, in order, dropping overlaps (a stale editor state). */
export function validMentions(mentions: readonly Mention[] | undefined, text: string): Mention[] {
  const ok = (mentions ?? [])
    .filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.start < m.end && m.end <= text.length)
    .slice()
    .sort((a, b) => a.start - b.start);
  const out: Mention[] = [];
  for (const m of ok) {
    const prev = out[out.length - 1];
    if (!prev || prev.end <= m.start) out.push(m);
  }
  return out;
}

/**
 * Reads "@token" at `pos`. The '@' must not follow a word character or a dot (an e-mail address),
 * and the token must start with a letter or '_' ("@2pm" is a time, not a person).
 */
function readAtToken(text: string, pos: number): Range | null {
  if (text[pos] !== '@') return null;
  const prev = text[pos - 1];
  if (isWordChar(prev) || prev === '.' || prev === '@') return null;
  if (!/[\p{L}_]/u.test(text[pos + 1] ?? '')) return null;
  let end = pos + 2;
  while (continuesWord(text, end)) end++;
  return { start: pos, end };
}

function tokenFromMention(m: Mention, text: string, dir: Directory): AssigneeToken {
  const typed = text.slice(m.start, m.end);
  const { attendee, everyone } = resolveMention(m, typed, dir);
  return { start: m.start, end: m.end, text: typed, attendee, everyone };
}

function tokenFromAt(r: Range, text: string, dir: Directory): AssigneeToken {
  const whole = fullNameAfterAt(r, text, dir);
  if (whole) return whole;
  const typed = text.slice(r.start, r.end);
  // Spelled out: spreading two objects into one costs more than the rest of reading the token.
  const { attendee, everyone } = resolveAtToken(typed.slice(1), dir);
  return { start: r.start, end: r.end, text: typed, attendee, everyone };
}

/**
 * "@Leanne Guy" typed as text (a mention not chosen from the list, or notes pasted or imported):
 * the attendee whose full name follows the '@' and goes on past its first word, the longest such
 * name, so that the surname is not left to the description and two Jims are told apart.
 */
function fullNameAfterAt(r: Range, text: string, dir: Directory): AssigneeToken | null {
  // Cheap first: a full name goes on after a space.
  if (!isSpace(text[r.end])) return null;
  // Read as a name written without the '@' is; only one that goes on past the token counts.
  const written = matchWrittenAt(text, r.start + 1, dir);
  return written?.attendee && written.end > r.end ? { ...written, start: r.start, text: text.slice(r.start, written.end) } : null;
}

// 'All' at the start means everyone; in lower case only with a colon ("all: …"), since a
// sentence may well begin "all tests…" in a check-list item.
const EVERYONE_AT_START = /^(?:All|ALL|Everyone|EVERYONE|Everybody|EVERYBODY)/u;
const EVERYONE_WITH_COLON = /^(?:all|everyone|everybody)(?=\s*:)/iu;

/**
 * An attendee's full name or handle, or 'All', written at `pos` (not an @-mention). Handles match
 * case-sensitively, so the ordinary word "Fix" is not the handle "FIX" and "All" is not "AL"; a
 * word in capitals also matches a handle stored in another case ("KTL" for "ktl"), because initials
 * are what capitals mean there. The longest match wins; ties go to handles, then names, then 'All'.
 */
function matchWrittenAt(text: string, pos: number, dir: Directory): AssigneeToken | null {
  const candidates: Candidate[] = [];
  const consider = (end: number | null, rank: number, res: Resolution): void => {
    if (end !== null && end > pos) candidates.push({ end, rank, res });
  };
  const word = /^[\p{L}\p{N}_]+/u.exec(text.slice(pos))?.[0] ?? '';
  const capitals = word === word.toUpperCase() && (word.match(/\p{Lu}/gu)?.length ?? 0) >= 2;
  // Initials in capitals are compared with every handle: folded once.
  const initials = capitals && !continuesWord(text, pos + word.length) ? foldString(word) : null;
  for (const e of dir.entries) {
    const who: Resolution = { attendee: e.attendee, everyone: false };
    if (e.handle) {
      consider(matchPhraseAt(text, pos, e.handle, false), 0, who);
      if (initials !== null && initials === foldString(e.handle)) {
        consider(pos + word.length, 3, who);
      }
    }
    consider(matchPhraseAt(text, pos, e.name, e.multiWord), 1, who);
  }
  const rest = text.slice(pos);
  const everyone = EVERYONE_AT_START.exec(rest) ?? EVERYONE_WITH_COLON.exec(rest);
  if (everyone && !continuesWord(text, pos + everyone[0].length)) {
    consider(pos + everyone[0].length, 2, { attendee: null, everyone: true });
  }
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!best || c.end > best.end || (c.end === best.end && c.rank < best.rank)) best = c;
  }
  if (!best) return null;
  return { start: pos, end: best.end, text: text.slice(pos, best.end), attendee: best.res.attendee, everyone: best.res.everyone };
}

function matchAssigneeAt(text: string, pos: number, dir: Directory, mentions: readonly Mention[]): AssigneeToken | null {
  const mention = mentions.find((m) => m.start === pos);
  if (mention) return tokenFromMention(mention, text, dir);
  if (mentions.some((m) => m.start < pos && pos < m.end)) return null;
  const at = readAtToken(text, pos);
  if (at) return tokenFromAt(at, text, dir);
  return matchWrittenAt(text, pos, dir);
}

// Between two assignees: ",", "&", "/", "+", "and", an Oxford ", and", or just a space
// ("@JKP @jp"). Tried only when another assignee follows.
const SEPARATOR = /^(?:\s*[,&/+]\s*(?:and\s+)?|\s+and\s+|\s+)/iu;
// After the assignees: "RHL to send…", "All: update…", "KTL - write…".
const CONNECTOR = /^\s*(?::|[-\u2013\u2014](?=\s)|to(?=\s))\s*/iu;
// A join that no assignee completes: "KTL and the DM team review…" is not KTL's alone to read
// as "and the DM team review…", so the description keeps the names.
const DANGLING_JOIN = /^\s*(?:[&/+]|and(?![\p{L}\p{N}_]))/iu;

export interface LeadingAssignees {
  tokens: AssigneeToken[];
  /** Where the description starts. */
  descriptionStart: number;
}

/** Reads the assignees at the start of the body (after the marker). */
export function readLeadingAssignees(
  text: string,
  bodyStart: number,
  dir: Directory,
  mentions: readonly Mention[],
): LeadingAssignees {
  const tokens: AssigneeToken[] = [];
  let token = matchAssigneeAt(text, bodyStart, dir, mentions);
  while (token) {
    tokens.push(token);
    const sep = SEPARATOR.exec(text.slice(token.end));
    token = sep ? matchAssigneeAt(text, token.end + sep[0].length, dir, mentions) : null;
  }
  const last = tokens[tokens.length - 1];
  if (!last) return { tokens, descriptionStart: bodyStart };
  const after = text.slice(last.end);
  const connector = CONNECTOR.exec(after);
  if (connector) return { tokens, descriptionStart: last.end + connector[0].length };
  if (DANGLING_JOIN.test(after)) return { tokens, descriptionStart: bodyStart };
  let start = last.end;
  while (isSpace(text[start])) start++;
  return { tokens, descriptionStart: start };
}

/** @-mentions (nodes and typed "@handle") anywhere outside the given ranges. */
export function readInlineMentions(
  text: string,
  from: number,
  dir: Directory,
  mentions: readonly Mention[],
  taken: readonly Range[],
): AssigneeToken[] {
  const out: AssigneeToken[] = [];
  const free = (r: Range): boolean => !taken.some((t) => overlaps(t, r));
  for (const m of mentions) {
    if (m.start >= from && free(m)) out.push(tokenFromMention(m, text, dir));
  }
  for (let i = text.indexOf('@', from); i !== -1; i = text.indexOf('@', i + 1)) {
    const at = readAtToken(text, i);
    if (at && free(at) && !mentions.some((m) => overlaps(m, at))) out.push(tokenFromAt(at, text, dir));
  }
  return out.sort((a, b) => a.start - b.start);
}
