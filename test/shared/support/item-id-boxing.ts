// Run with `node --allow-natives-syntax --import tsx`: prints how V8 holds the client of an item
// id decoded after the process has seen what makes it box them (see shared/notes/client-id.ts).
import * as Y from 'yjs';
import { newDoc } from '../../../shared/notes/client-id.js';

// `plain`: documents made as Yjs makes them, given the same small ids as `newDoc` draws.
const plain = process.argv[2] === 'plain';
const writer = (): Y.Doc => {
  if (!plain) return newDoc();
  const doc = new Y.Doc();
  doc.clientID = 54_321;
  return doc;
};

// Any document may draw a large id in Yjs's constructor: this one does, for certain.
const large = new Y.Doc();
large.clientID = 3_000_000_000;
// The server's own writes (seeds, action ids) into documents it holds.
const own = writer();
own.getText('notes').insert(0, 'ACTION: WOM to send the slides');
// An item a client wrote under a small id, as the server decodes it.
const client = writer();
client.clientID = 12_345;
client.getText('notes').insert(0, 'typed in the page');
const held = writer();
Y.applyUpdate(held, Y.encodeStateAsUpdate(client));
const item = held.getText('notes')._start!;
if (item.id.client !== 12_345) throw new Error('not the decoded item');
eval('%DebugPrint(item.id)');
