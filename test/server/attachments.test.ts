// Attachments of agenda items over real HTTP, with files in a real DATA_DIR: uploads checked by
// content (an HTML page renamed .pdf is refused), by size, by name and by role, each refusal clear
// and leaving nothing stored; downloads always as downloads; links; exports; deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server.js';
import type { Attachment, CreatedMeeting } from '../../shared/api/index.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';

const LIMIT = 64 * 1024;
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

let server: TestServer;
let admin: Account;
let meeting: CreatedMeeting;
let itemId: string;

beforeAll(async () => {
  server = await startServer({ maxAttachmentBytes: LIMIT });
  admin = await setupAdmin(server);
  meeting = await createMeeting(server, admin, {
    startDate: '2031-03-04',
    agenda: [{ date: '2031-03-04', blocks: [{ items: [{ time: '09:00', topic: 'Roadmap', preNotes: 'Milestones to agree' }] }] }],
  });
  itemId = meeting.agenda[0]!.blocks[0]!.items[0]!.id;
});
afterAll(async () => {
  await server.close();
});

interface Upload {
  name: string;
  bytes: Uint8Array;
  credentials?: { cookie?: string; bearer?: string };
  contentType?: string;
}

async function upload({ name, bytes, credentials = { cookie: admin.cookie }, contentType = 'application/octet-stream' }: Upload): Promise<{ status: number; body: Attachment & { error?: string } }> {
  const headers: Record<string, string> = { 'content-type': contentType, origin: server.url };
  if (credentials.cookie) headers.cookie = credentials.cookie;
  if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
  const response = await fetch(`${server.url}/api/meetings/${meeting.id}/items/${itemId}/attachments/files?name=${encodeURIComponent(name)}`, { method: 'POST', headers, body: Buffer.from(bytes) });
  return { status: response.status, body: (await response.json()) as Attachment & { error?: string } };
}

/** Every file stored under DATA_DIR/attachments. */
function storedFiles(): string[] {
  const root = join(server.dataDir, 'attachments');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

const rows = () => (server.app.db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n;

describe('attachments of agenda items', () => {
  it('stores a PDF by its hash, lists it, and serves it only as a download', async () => {
    const { status, body } = await upload({ name: 'Roadmap slides.pdf', bytes: PDF });
    expect(status).toBe(201);
    expect(body).toMatchObject({ agendaItemId: itemId, kind: 'file', name: 'Roadmap slides.pdf', size: PDF.byteLength, contentType: 'application/pdf', url: null });
    expect(storedFiles()).toHaveLength(1);

    // A follower lists and downloads it.
    const follower = linkToken(meeting, 'follower');
    const list = await api<{ attachments: Attachment[] }>(server, 'GET', `/api/meetings/${meeting.id}/attachments`, { bearer: follower });
    expect(list.body.attachments.map((a) => a.id)).toEqual([body.id]);
    const download = await fetch(`${server.url}/api/meetings/${meeting.id}/attachments/${body.id}?token=${encodeURIComponent(follower)}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="Roadmap slides.pdf"; filename*=UTF-8''Roadmap%20slides.pdf`);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    // Someone without access gets nothing.
    expect((await fetch(`${server.url}/api/meetings/${meeting.id}/attachments/${body.id}`)).status).toBe(401);

    // The same bytes attached again are stored once.
    expect((await upload({ name: 'copy.pdf', bytes: PDF })).status).toBe(201);
    expect(storedFiles()).toHaveLength(1);
  });

  it('refuses, with a clear error and nothing stored: too large, a disallowed type, a path in the name, a follower', async () => {
    const before = { files: storedFiles().length, rows: rows() };
    const cases: Array<[Upload, number, RegExp]> = [
      [{ name: 'huge.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(LIMIT, 0x20)]) }, 413, /larger than the limit of 0\.1 MB \(MAX_ATTACHMENT_BYTES\)/],
      [{ name: 'slides.pdf', bytes: Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>') }, 400, /cannot be attached .*not what its name says/],
      [{ name: 'notes.txt', bytes: Buffer.from('<html><body><script>alert(1)</script></body></html>') }, 400, /cannot be attached/],
      [{ name: 'picture.pdf', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) }, 400, /is a PNG image, but its name ends in "\.pdf"/],
      [{ name: '../../etc/slides.pdf', bytes: PDF }, 400, /must not contain a path/],
      [{ name: 'C:\\Users\\me\\slides.pdf', bytes: PDF }, 400, /must not contain a path/],
      [{ name: 'slides.pdf', bytes: PDF, credentials: { bearer: linkToken(meeting, 'follower') } }, 403, /notetakers and the owner add and remove them/],
      [{ name: 'empty.pdf', bytes: new Uint8Array() }, 400, /empty/],
      // A text file sent as text/plain takes the same way as any upload.
      [{ name: 'plain.exe', bytes: Buffer.from('MZ this is not text'), contentType: 'text/plain' }, 400, /cannot be attached/],
    ];
    for (const [input, status, message] of cases) {
      const { status: got, body } = await upload(input);
      expect(got, input.name).toBe(status);
      expect(body.error, input.name).toMatch(message);
    }
    expect({ files: storedFiles().length, rows: rows() }).toEqual(before);
  });

  it('lets a guest notetaker attach a Markdown file and a link, which the notes exports list under the item', async () => {
    const notetaker = linkToken(meeting, 'notetaker');
    const file = await upload({ name: 'agenda notes.md', bytes: Buffer.from('# Roadmap\n\n- milestones\n'), credentials: { bearer: notetaker } });
    expect(file.status).toBe(201);
    expect(file.body.contentType).toBe('text/markdown; charset=utf-8');
    const link = await api<Attachment>(server, 'POST', `/api/meetings/${meeting.id}/items/${itemId}/attachments/links`, {
      bearer: notetaker,
      body: { url: 'https://docs.example.org/roadmap', title: 'Roadmap deck' },
    });
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({ kind: 'link', name: 'Roadmap deck', url: 'https://docs.example.org/roadmap' });
    const badLink = await api(server, 'POST', `/api/meetings/${meeting.id}/items/${itemId}/attachments/links`, { bearer: notetaker, body: { url: 'javascript:alert(1)' } });
    expect(badLink.status).toBe(400);

    const markdown = await fetch(`${server.url}/api/meetings/${meeting.id}/notes?format=md`, { headers: { cookie: admin.cookie } }).then((r) => r.text());
    expect(markdown).toContain('[Roadmap deck](<https://docs.example.org/roadmap>)');
    expect(markdown).toContain(`[agenda notes.md](<${server.config.publicUrl.replace(/:\d+$/, '')}`);
    // In the agenda's row, on a line of their own under the pre-meeting notes.
    expect(markdown).toMatch(/\| Roadmap \| {2}\| Milestones to agree<br>Attachments: \[Roadmap slides\.pdf\]/);
    const html = await fetch(`${server.url}/api/meetings/${meeting.id}/notes?format=html`, { headers: { cookie: admin.cookie } }).then((r) => r.text());
    expect(html).toContain('<a href="https://docs.example.org/roadmap" rel="noopener noreferrer">Roadmap deck</a>');

    // Notetakers remove; followers cannot.
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}/attachments/${link.body.id}`, { bearer: linkToken(meeting, 'follower') })).status).toBe(403);
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}/attachments/${link.body.id}`, { bearer: notetaker })).status).toBe(204);
  });

  it('deletes a removed file once nothing points at it, and every file with its meeting', async () => {
    const other = await createMeeting(server, admin, { startDate: '2031-03-04', agenda: [{ date: '2031-03-04', blocks: [{ items: [{ topic: 'Only item' }] }] }] });
    const otherItem = other.agenda[0]!.blocks[0]!.items[0]!.id;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);
    const response = await fetch(`${server.url}/api/meetings/${other.id}/items/${otherItem}/attachments/files?name=chart.png`, {
      method: 'POST',
      headers: { cookie: admin.cookie, origin: server.url, 'content-type': 'application/octet-stream' },
      body: png,
    });
    expect(response.status).toBe(201);
    const shared = await fetch(`${server.url}/api/meetings/${other.id}/items/${otherItem}/attachments/files?name=same.pdf`, {
      method: 'POST',
      headers: { cookie: admin.cookie, origin: server.url, 'content-type': 'application/octet-stream' },
      body: PDF,
    });
    expect(shared.status).toBe(201);
    const files = storedFiles().length;
    expect((await api(server, 'DELETE', `/api/meetings/${other.id}`, { cookie: admin.cookie })).status).toBe(204);
    // The PNG was this meeting's alone; the PDF is still attached in the first meeting.
    expect(storedFiles().length).toBe(files - 1);
    expect((server.app.db.prepare('SELECT count(*) AS n FROM attachments WHERE meeting_id = ?').get(other.id) as { n: number }).n).toBe(0);
  });

  it('refuses changes to a closed meeting’s attachments', async () => {
    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    const { status, body } = await upload({ name: 'late.pdf', bytes: PDF });
    expect(status).toBe(409);
    expect(body.error).toMatch(/closed/);
    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: admin.cookie })).status).toBe(200);
  });
});
