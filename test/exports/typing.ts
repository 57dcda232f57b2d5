// Types notes into a session document as a notetaker's editor would: a stock y-websocket client,
// blocks made by a headless Lexical editor with the client's node classes. Then waits for the
// server's extraction to list the actions.

import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot, type LexicalNode } from 'lexical';
import { $createListItemNode, $createListNode } from '@lexical/list';
import type { TestServer } from '../helpers/server.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { waitFor } from '../helpers/wait.js';
import { api, linkToken, type Account } from '../server/support/api.js';
import { createWriter } from '../../shared/notes/headless.js';
import type { ActionList, ActionRecord } from '../../shared/api/index.js';

type Line = string | { check: string; checked?: boolean };

/** Appends blocks to a session document the way the editor would make them. */
export function $block(line: Line): LexicalNode {
  if (typeof line === 'string') return $createParagraphNode().append($createTextNode(line));
  return $createListNode('check').append($createListItemNode(line.checked ?? false).append($createTextNode(line.check)));
}

export async function typeNotes(
  server: TestServer,
  meeting: { sessions: readonly { doc: string }[]; links: readonly { role: string; token: string }[] },
  lines: Line[],
): Promise<ProviderClient> {
  const client = connectProvider(server.collabUrl, meeting.sessions[0]!.doc, { params: { token: linkToken(meeting, 'notetaker') } });
  await client.synced();
  // The server seeds the agenda on first load; type below whatever is there.
  await waitFor(() => client.doc.get('root', Y.XmlText).length > 0, { message: 'document not seeded' });
  editNotes(client, () => $getRoot().append(...lines.map($block)));
  return client;
}

/** Edits what a connected client has, as its editor would; the provider sends the change. */
export function editNotes(client: ProviderClient, edit: () => void): void {
  const writer = createWriter(Y.encodeStateAsUpdate(client.doc));
  writer.editor.update(edit, { discrete: true });
  Y.applyUpdate(client.doc, writer.diff());
  writer.dispose();
}

export async function actionsOf(server: TestServer, meetingId: string, account: Account, count: number): Promise<ActionRecord[]> {
  let items: ActionRecord[] = [];
  await waitFor(
    async () => {
      const response = await api<ActionList>(server, 'GET', `/api/meetings/${meetingId}/actions`, { cookie: account.cookie });
      items = response.body.items ?? [];
      return items.length === count;
    },
    // Generous: extraction runs in a worker on a machine shared with other suites.
    { message: `meeting ${meetingId} never had ${count} actions`, timeout: 30_000, interval: 50 },
  );
  return items;
}

