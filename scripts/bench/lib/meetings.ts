/**
 * The documents a scenario's clients open, as users open them. On Quorum every document is a real
 * meeting's session, created through the API (the server seeds its agenda and the notes layer
 * reads every edit); clients join with the meeting's links (notetakers with the edit link,
 * followers with the view link). Quorum with the notes layer off and the other servers get
 * documents of no meeting, seeded by their first client with the same agenda, so every server
 * carries the same content.
 */
import * as Y from 'yjs';
import { seedSessionDocument } from '../../../server/notes/seed.js';
import type { SessionOutline } from '../../../server/notes/lookup.js';
import type { ServerKind } from './targets.js';
import { newDoc } from '../../../shared/notes/client-id.js';

/** Where a scenario's document lives on the server under test, and how clients reach it. */
export interface DocumentAccess {
  /** The document name on the server. */
  doc: string;
  /** Token for notetakers (absent where documents are open). */
  notetaker?: string;
  /** Token for followers. */
  follower?: string;
  meetingId?: string;
}

export interface Meetings {
  base: string;
  cookie: string;
  docs: Map<string, DocumentAccess>;
}

const DATE = '2026-11-17';
export const ATTENDEES = [
  { name: 'Wil O’Mullane', handle: 'WOM' },
  { name: 'Kian-Tat Lim', handle: 'KTL' },
  { name: 'Yusra AlSayyad', handle: 'YA' },
  { name: 'Leanne Guy', handle: 'LG' },
  { name: 'Tim Jenness', handle: 'TJ' },
];
const ITEMS = [
  { time: '09:00', minutes: 15, topic: 'Welcome', coordinators: ['WOM'], preNotes: 'Introductory remarks; review agenda; past actions' },
  { time: '09:15', minutes: 30, topic: 'Project news and updates', coordinators: ['WOM'] },
  { time: '09:45', minutes: 45, topic: 'Plan to end of project', coordinators: ['KTL'], preNotes: 'Burn rates; milestones' },
  { time: '11:00', minutes: 30, topic: 'Gen3 next steps', coordinators: ['TJ'] },
];

/** The agenda of every bench meeting's day, as the API takes it. */
function agenda(days: number): unknown[] {
  return Array.from({ length: days }, (_, d) => ({
    date: new Date(Date.parse(DATE) + d * 86_400_000).toISOString().slice(0, 10),
    blocks: [{ moderator: 'YA', notetaker: 'KTL', items: ITEMS }],
  }));
}

/** The same agenda as the server seeds it, for documents of no meeting. */
function outline(): SessionOutline {
  return {
    title: null,
    date: DATE,
    blocks: [
      {
        id: null,
        title: null,
        moderator: 'YA',
        notetaker: 'KTL',
        items: ITEMS.map((item, i) => ({ id: `item-${i}`, time: item.time, minutes: item.minutes, topic: item.topic, coordinators: item.coordinators, preNotes: item.preNotes ?? null })),
      },
    ],
  };
}

let seedUpdate: Uint8Array | null = null;

/** The seeded agenda as one update, applied by the first client of a document of no meeting. */
export function agendaSeed(): Uint8Array {
  if (!seedUpdate) {
    const doc = newDoc();
    seedSessionDocument(doc, outline());
    seedUpdate = Y.encodeStateAsUpdate(doc);
    doc.destroy();
  }
  return seedUpdate;
}

async function post(base: string, path: string, body: unknown, cookie = ''): Promise<Response> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path} → ${response.status} ${await response.text()}`);
  return response;
}

interface Created {
  id: string;
  sessions: Array<{ doc: string }>;
  links: Array<{ role: string; token: string }>;
}

/**
 * One meeting per name (session day `day` of a `days`-day meeting is the document), created by
 * the first admin of the fresh server; or, where there are no meetings, the name itself.
 */
export async function documentsFor(kind: ServerKind, port: number, names: string[], { days = 1, day = 0 } = {}): Promise<Meetings> {
  const base = `http://127.0.0.1:${port}`;
  const docs = new Map<string, DocumentAccess>();
  if (kind !== 'quorum') {
    for (const name of names) docs.set(name, { doc: name });
    return { base, cookie: '', docs };
  }
  const setup = await post(base, '/api/setup', { email: 'bench@example.org', password: 'bench-password', name: 'Bench' });
  const cookie = setup.headers.get('set-cookie')?.split(';', 1)[0] ?? '';
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++]!;
      const response = await post(
        base,
        '/api/meetings',
        { title: `Bench ${name}`, startDate: DATE, endDate: agenda(days).length > 1 ? (agenda(days).at(-1) as { date: string }).date : DATE, attendees: ATTENDEES, agenda: agenda(days) },
        cookie,
      );
      const meeting = (await response.json()) as Created;
      const token = (role: string): string => meeting.links.find((l) => l.role === role)!.token;
      docs.set(name, { doc: meeting.sessions[day]!.doc, notetaker: token('notetaker'), follower: token('follower'), meetingId: meeting.id });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { base, cookie, docs };
}
