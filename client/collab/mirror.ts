// A read-only view of a session document, for followers.
//
// Lexical's binding writes to its document even when nobody types: when remote edits leave two
// text nodes side by side (two people starting a line at once), every editor merges them and
// deletes one node's marker in Yjs. A follower's server drops such writes, so its document would
// drift from the server's and its page would count an unsaved change forever. So a follower's
// editor is bound to this view: every change of the synced document flows in, nothing flows back,
// and the synced document only ever holds what the server sent. The notetakers' editors make the
// same merge, so the view and the server's document usually end up alike; when they do not (a
// merge the notetakers resolved differently), the page's drift guard, which compares the editor
// with the synced document, rebuilds the editor over a fresh view.
import * as Y from 'yjs';

const FROM_SOURCE = Symbol('quorum:mirror');

export interface Mirror {
  readonly view: Y.Doc;
  dispose(): void;
}

export function mirrorDocument(source: Y.Doc): Mirror {
  const view = new Y.Doc({ gc: source.gc });
  // The binding tells its own caret from others' in awareness by client id: same as the source.
  // Safe because neither document ever sends what it writes locally.
  view.clientID = source.clientID;
  Y.applyUpdate(view, Y.encodeStateAsUpdate(source), FROM_SOURCE);
  const onUpdate = (update: Uint8Array): void => Y.applyUpdate(view, update, FROM_SOURCE);
  source.on('update', onUpdate);
  return {
    view,
    dispose() {
      source.off('update', onUpdate);
      view.destroy();
    },
  };
}
