// Keeps each notetaker's words whole when several type at the same spot: a small patch of
// @lexical/yjs 0.52 (1–5) and one of yjs 13.6 (6); a quarter of an open document's memory off
// (yjs, 7–8); no node's type rewritten in place (@lexical/yjs, 9–10); and a redo that every
// copy of the document places alike (yjs, 11), an undo that does not throw (yjs, 12), and an
// empty text node removed from the document with the editor's (lexical, 13); a keystroke the page
// is slow to handle applied once (lexical, 14). Applied by `npm install` (postinstall) and checked by
// the client build. Tests that fail without it: test/client/concurrency-fuzz.test.ts and
// test/client/same-spot-start.test.ts (headless), test/e2e/same-spot.test.ts and
// test/e2e/late-keystrokes.test.ts (Chromium).
//
// 1. Carets stick to the character on their left. @lexical/yjs keeps every user's caret in awareness as a Yjs relative position and, after
// each remote change, puts the local selection back from it. For a collapsed caret 0.52 creates
// that position with assoc 0, which sticks to the character on the caret's RIGHT (or to "the end
// of the paragraph"). When someone else inserts at the very spot where you are typing, their
// character lands to the right of your caret's anchor, so your caret is put back AFTER it and your
// next keystroke follows their character: three people typing at the end of one paragraph
// produced "raloepnd gha er tbwero…". With assoc -1 the caret sticks to the character on its LEFT
// (the one you just typed), others' characters stay to its right, and each person's run of text
// stays together (what y-prosemirror does by restoring selections from relative positions after
// every remote transaction, and OT editors by a tie-break). Non-collapsed selections keep 0.52's
// choice: each end sticks to the selected text.
//   That holds while the character on your left is your own. A caret just put after someone
// else's character (you clicked at the end of the line while they were mid-word) keeps 0.52's
// right association, so their next letters go in before your caret rather than after it and
// their word is not cut in two by yours; your first keystroke makes the character on your left
// yours.
//
// 2. A typed character goes into Yjs exactly where the caret is. The binding learns what changed
// in a text node by diffing its old and new text, with the caret as a hint; but it lets the common
// prefix run up to the caret AFTER the keystroke, so a space typed just before someone else's
// space is written after it (" " → "  " looks the same either way) and the typist's next letters
// then follow the other person's text. The hint is moved back by the length of what was inserted.
//
// 3. A caret that points at a node which no longer exists is left where it is. After a remote
// change, the binding puts the local caret back through its map of collaboration nodes; an entry
// can outlive its Lexical node (seen with undo racing another notetaker's edit), and setting a
// selection point on a missing node throws, which aborts the whole remote update: the editor then
// no longer shows what its document holds. Lexical recovers such a selection on its own.
//
// 4. Dangling text is removed where it is. When a remote change leaves characters with no text
// node of their own (someone typed into a text node another notetaker deleted at that moment,
// so the letters now follow a line break or another block's element), the binding deletes them
// from the shared type, but at their offset inside a node instead of their index in the
// paragraph: it deleted the paragraph's FIRST characters instead (the first text node's marker,
// then that node's text as dangling in turn), and a line such as "first line⏎second" typed into
// during a concurrent delete lost "first line" for everyone. The deletion is made at the
// characters' own index, and the index walk no longer counts them. (The typist's page then
// writes its own letters back: client/collab/rescue.ts.) Test: test/client/tab-run.test.ts.
//
// 5. A marker with no type is removed where it is. Yjs's undo brings a deleted text node's marker
// (a Y.Map) back as a new, empty map and then puts back the properties it may; when it may not,
// the marker stays with no `__type`. The binding skipped such a marker without counting it, so
// every index after it in that paragraph was off by one: a page opened on that document showed a
// letter more than it held, and its first write (joining two text nodes) deleted a letter someone
// had typed (seed 164 of the seeded test at 300 seeds). The editor that meets it now deletes it,
// in a transaction of the binding's own, so its own observer does not apply the deletion twice.
// Test: test/client/undo-marker.test.ts.
//
// 6. A typed character sticks to the character on its left, even when deleted characters follow
// it (a patch of yjs 13.6, not of the binding). Y.Text's insert walks right past every deleted
// item after the insertion point and takes the last one as the new character's left neighbour.
// Deleted items right after a caret are common when several people start typing at one spot:
// each one's first keystroke in an empty paragraph makes a text node of its own, and the
// editor that receives another's node next to its own merges the two (Lexical normalises
// adjacent plain text nodes) by deleting the other's node marker. The typist's next letter was
// then anchored to that deleted marker, which in everyone else's document stands after letters
// a third notetaker typed meanwhile, so the word was cut in two around them: "al" + "red green
// …" + "pha bravo …" (CI; test/client/same-spot-start.test.ts meets it in 13 of 200 seeded
// starts). Walking past deleted items serves only Y.Text's formatting attributes, which the
// binding never uses (Lexical keeps formats in each text node's marker); equal formats are
// still walked past.
//
// 7. A decoded property value is kept in an array of its own length (yjs). Lexical writes every
// node's properties (`__type`, `__format`, …) as Yjs map entries, each one a ContentAny holding
// an array of one value. Decoding built that array with push() into an empty array, for which V8
// reserves 17 slots: 152 bytes where 24 do, ~54 KB of the ~240 KB of heap that a meeting of 20 KB
// of notes held open on the server (scripts/bench, scenario 3), and as much in every page. The
// array is now made at its length; the values that are short strings (`paragraph`, `text`, …)
// are shared, one string for all documents (at most 1,024 of them, each at most 64 characters,
// the first met: a cache nobody can grow without bound).
//
// 8. A map entry's key (`parentSub`, the property's name) is one shared string too, from the same
// table: each decoded item held a copy of its name, ~9 KB a meeting.
// Test: test/server/yjs-memory.test.ts (heap snapshot of decoded documents).
//
// 9. A block's children are written only into their own collaboration nodes. To write an edit,
// the binding walks an element's children and its list of collaboration nodes side by side and
// writes each child into the node at the same index. After an undo that races another
// notetaker's edit, that list can be out of step with the children (the seeded fuzzer meets it
// in 40 seeds with undo: ~600 writes; a third of them because Lexical drops an empty text node,
// whose marker the undo rule keeps, while applying a remote change, and the binding is not told),
// and a child's properties were written into a neighbour's node: its `__type` too. The fuzzer's
// typists never type a tab, so there it wrote "text" onto text markers; the e2e test's press Tab
// in paragraphs, and what CI met is most likely a page putting "tab" on a text node's marker:
// every other page took that type into an existing Lexical node, and Lexical threw on every export
// of that editor's state from then on (its error #130). A child is now written only into the node
// that is its own (same key); one out of step is left alone, and the page's drift guard rebuilds
// the editor.
// Test: test/client/binding-slip.test.ts.
//
// 10. A node's type is never taken from the document into an existing node. A type is fixed when
// a node is made; one that changes afterwards (only ever by the slip 9 fixes, or a page without
// it) would make a node Lexical cannot export. The node keeps its type; the drift guard sees
// that the editor differs from its document and rebuilds it. Test: the same file.
//
// 11. A redo puts text back between neighbours in their order (yjs's UndoManager). Redoing a
// deletion re-inserts each item between the copies of its old neighbours, each traced on its own
// through the copies earlier redos made. When a block and its text come back in more than one
// step while others edit beside it, the traced right neighbour can come out BEFORE the left one.
// An item made so is placed by the page that made it in one spot and by every other copy of the
// document, which place it from the same two neighbours, in another: the notetaker then saw
// " njkkkm  minm  cefae " where the server and everyone else had " njkkkm  cefae  minm ", for
// good, and the drift guard cannot see it (the page's editor does show the page's own document).
// When the right neighbour is not to the right of the left one, the item now goes right after
// the left one, as a keystroke there would. Test: test/client/concurrency-fuzz.test.ts, seed 129
// at two keystrokes of latency (the seeded fuzzer met 9 such redos in 400 seeds at one keystroke,
// 2 at two; only that seed's ended in two different documents), and test/client/yjs-redo.test.ts,
// three plain Yjs copies of nested paragraphs (stock Yjs ends seed 178 of 3,000 in two documents).
//
// 12. An undo or redo does not throw when a paragraph's latest copy is gone (yjs's UndoManager).
// Putting text back into a block follows the block's own copies (earlier undos and redos made
// them) to the latest one and inserts into its content. When that copy has since been deleted and
// collected, its content is a ContentDeleted with no type: stock Yjs read `.type` of it and threw a
// TypeError out of undo() or redo() part way through the stack item; when the copy sat in a block
// that was deleted and collected too (a list item in a list), the copy is a GC struct, and Yjs
// looked up its `redone` id, which it lacks, and threw. Now the text is not put back, as when the
// block's first copy cannot come back (redoItem returns null). Test: test/client/yjs-redo.test.ts,
// the seeds of 30,000 (paragraphs) and 20,000 (paragraphs in lists) at which its generators threw.
//
// 13. An empty text node that Lexical's normalisation removes is deleted from the document too
// (lexical). Normalisation removes an empty simple text node, and joins two adjacent ones alike;
// only the join is counted in `normalizedNodes`, which is all the binding writes back of an update
// that applied a remote change. So when a line received an empty text node (an undo keeps the
// markers it made, for others' letters typed after them), the binding kept its marker in its list
// of the line's children, one longer than the editor's, and the next join or keystroke there was
// written one child off ("plain word dones" for "plain words done") until the drift guard rebuilt
// the page. Each removal now counts as a normalisation: the binding deletes the marker (a text
// node with no text, so nothing anyone sees), as it deletes a joined node's. In the seeded fuzzer
// with undo (1,000 seeds) the drift guard had to rebuild an editor in 5 seeds instead of 70. Test:
// test/client/undo-others.test.ts.
//
// 14. A keystroke the page is slow to handle is applied once (lexical). Lexical inserts a typed
// character from its `input` event, and its mutation observer leaves alone the DOM text change
// the same keystroke made, but only within 100 ms of the keystroke's `textInput` event (by the
// event's timeStamp). When the page's thread stalls for longer in the middle of handling a
// keystroke (a collection, the machine giving the core to another process), the observer, which
// runs before Lexical's `input` handler (React's listener on the root runs first, and pending
// microtasks run after each listener), applied the DOM's text itself and the handler applied it
// again: a markdown shortcut kept its space ("[ ] check" gave " check"), a character could come
// twice, or the rest of the line go into the next block (CI, most likely this: an action typed
// under one agenda item landed at the start of the next item's heading). Now a text change made
// in the task that handled a keystroke is always left to the input handler, and the 100 ms run
// from when the page handled the keystroke rather than from the event's timeStamp. Test:
// test/e2e/late-keystrokes.test.ts (a page that stalls 150 ms at every keystroke).
//
// Each fix is rewritten in every build it appears in (the binding's development and production
// builds; yjs's ES module and CommonJS builds, the same code). The script is
// idempotent, and fails loudly when the code it expects is not there (a new version of either
// package: check which fixes upstream made, then update or drop them here).
//
//   node scripts/patch-lexical-yjs.mjs           apply (postinstall)
//   node scripts/patch-lexical-yjs.mjs --check   exit 1 unless both builds are patched

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The versions the edits below were written for, per package. */
export const PATCHED_VERSIONS = { lexical: '0.52.0', '@lexical/yjs': '0.52.0', yjs: '13.6.33' };

/** Per package and build: the code of the version above and its replacement. */
export const EDITS = [
  {
    // 1. Collapsed carets get assoc -1 on both ends.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: 'const anchorAssoc = isBackward ? -1 : 0;\n    const focusAssoc = !isCollapsed && !isBackward ? -1 : 0;',
    to: 'const anchorAssoc = isCollapsed || isBackward ? -1 : 0;\n    const focusAssoc = isCollapsed || !isBackward ? -1 : 0;',
  },
  {
    // Minified: t = isCollapsed, n = isBackward, s = anchorAssoc, i = focusAssoc.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 's=n?-1:0,i=t||n?0:-1',
    to: 's=t||n?-1:0,i=t||!n?-1:0',
  },
  {
    // 1b. ...unless the character on the caret's left is someone else's.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '      focusPos = createRelativePosition(nextSelection.focus, binding, focusAssoc);\n    } else {',
    to:
      '      focusPos = createRelativePosition(nextSelection.focus, binding, focusAssoc);\n' +
      '      if (isCollapsed && anchorPos !== null && anchorPos.item !== null && anchorPos.item.client !== binding.doc.clientID) {\n' +
      '        anchorPos = createRelativePosition(nextSelection.anchor, binding, 0);\n' +
      '        focusPos = createRelativePosition(nextSelection.focus, binding, 0);\n' +
      '      }\n' +
      '    } else {',
  },
  {
    // Minified: e = binding, o = selection, t = isCollapsed, h/g = anchorPos/focusPos, At = createRelativePosition.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'Se(e)?(h=At(o.anchor,e,s),g=At(o.focus,e,i)):',
    to: 'Se(e)?(h=At(o.anchor,e,s),g=At(o.focus,e,i),t&&null!==h&&null!==h.item&&h.item.client!==e.doc.clientID&&(h=At(o.anchor,e,0),g=At(o.focus,e,0))):',
  },
  {
    // 2. The diff's caret hint is where the insertion began, not where it ended.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '      cursorOffset = anchor.offset;\n',
    to: '      cursorOffset = anchor.offset - Math.max(0, nextText.length - prevText.length);\n',
  },
  {
    // Minified: e = anchor, n = previous text, o = next text, l = the hint.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'e.key===t&&(l=e.offset)}const c=re(n,o,l)',
    to: 'e.key===t&&(l=e.offset-Math.max(0,o.length-n.length))}const c=re(n,o,l)',
  },
  {
    // 3. Skip a caret point whose node is gone.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '    let anchorNode = $getNodeByKey(key);\n    if (anchorNode !== null && !$isElementNode(anchorNode) && !$isTextNode(anchorNode)) {',
    to: '    let anchorNode = $getNodeByKey(key);\n    if (anchorNode === null) {\n      return;\n    }\n    if (!$isElementNode(anchorNode) && !$isTextNode(anchorNode)) {',
  },
  {
    // Minified: Rt = $setPoint, t = $getNodeByKey, i = the node.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'let i=t(n);if(null!==i&&!r(i)&&!o(i))',
    to: 'let i=t(n);if(null===i)return;if(!r(i)&&!o(i))',
  },
  {
    // 4a. Dangling text after a deleted text node (an undo), deleted at its index.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '                  this._xmlText.delete(offset, danglingText.length);',
    to: '                  this._xmlText.delete(currIndex, danglingText.length);',
  },
  {
    // Minified: o = currIndex outside the text-node branch (shadowed inside it), so it is kept.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'for(;e>0;){const{node:t,nodeIndex:s,offset:i,length:r}=We(this,o,!1);',
    to: 'for(;e>0;){const{node:t,nodeIndex:s,offset:i,length:r}=We(this,o,!1),danglingAt=o;',
  },
  {
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'l instanceof ue?l._text+=e:this._xmlText.delete(i,e.length)',
    to: 'l instanceof ue?l._text+=e:this._xmlText.delete(danglingAt,e.length)',
  },
  {
    // 4b. Inserted text with no text node to go into, deleted at its index and not counted.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '            this._xmlText.delete(offset, insertDelta.length);\n          }\n          currIndex += insertDelta.length;',
    to: '            this._xmlText.delete(currIndex, insertDelta.length);\n            currIndex -= insertDelta.length;\n          }\n          currIndex += insertDelta.length;',
  },
  {
    // Minified: e = node, t = offset, l = the inserted string, o = currIndex.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'e instanceof ue?e._text=Be(e._text,t,0,l):this._xmlText.delete(t,l.length),o+=l.length',
    to: 'e instanceof ue?(e._text=Be(e._text,t,0,l),o+=l.length):this._xmlText.delete(o,l.length)',
  },
  {
    // 5. A marker with no type (an undo brought it back without its properties) is removed where it is.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '          if (getNodeTypeFromSharedType(sharedType) === undefined) {\n            continue;\n          }',
    to:
      '          if (getNodeTypeFromSharedType(sharedType) === undefined) {\n' +
      '            if (sharedType instanceof Map$1 && sharedType._item !== null && !sharedType._item.deleted && sharedType._item.parentSub === null) {\n' +
      '              binding.doc.transact(() => this._xmlText.delete(currIndex, 1), binding);\n' +
      '            }\n' +
      '            continue;\n          }',
  },
  {
    // Minified: je = getNodeTypeFromSharedType, t = the shared type, z = Y.Map, o = currIndex, e = binding.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'const t=l;if(void 0===je(t))continue;',
    to: 'const t=l;if(void 0===je(t)){t instanceof z&&null!==t._item&&!t._item.deleted&&null===t._item.parentSub&&e.doc.transact(()=>this._xmlText.delete(o,1),e);continue}',
  },
  {
    // 9. A child is written only into its own collaboration node.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: '    const nextChildNode = $getNodeByKeyOrThrow(key);\n    if (childCollabNode instanceof CollabElementNode && $isElementNode(nextChildNode)) {',
    to:
      '    const nextChildNode = $getNodeByKeyOrThrow(key);\n' +
      '    // Quorum (scripts/patch-lexical-yjs.mjs, 9): never into a neighbour\'s node.\n' +
      '    if (childCollabNode === undefined || childCollabNode._key !== key) {\n      return;\n    }\n' +
      '    if (childCollabNode instanceof CollabElementNode && $isElementNode(nextChildNode)) {',
  },
  {
    // Minified: f = the collaboration node at the index, s = the child's key.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: '_syncChildFromLexical(t,n,s,i,l,a){const f=this._children[n],u=c(s);',
    to: '_syncChildFromLexical(t,n,s,i,l,a){const f=this._children[n],u=c(s);if(void 0===f||f._key!==s)return;',
  },
  {
    // 10. A node's type is not taken from the document into an existing node.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.dev.js',
    from: "    if (isExcludedProperty(property, lexicalNode, binding)) {\n      if (property === '__state'",
    to: "    if (property === '__type' || isExcludedProperty(property, lexicalNode, binding)) {\n      if (property === '__state'",
  },
  {
    // Minified: r = the property, Me = isExcludedProperty.
    pkg: '@lexical/yjs',
    file: 'LexicalYjs.prod.js',
    from: 'if(Me(r,n,e)){"__state"===r',
    to: 'if("__type"===r||Me(r,n,e)){"__state"===r',
  },
  ...['yjs.mjs', 'yjs.cjs'].map((file) => ({
    // 6. Y.Text's insert keeps the character before the insertion point as the left neighbour.
    pkg: 'yjs',
    file,
    // Its own line in insertText (formatText makes the same call and keeps it).
    from: '  minimizeAttributeChanges(currPos, attributes);\n  const negatedAttributes = insertAttributes(transaction, parent, currPos, attributes);\n  // insert content\n',
    to: '  // Quorum (scripts/patch-lexical-yjs.mjs, 6): the left neighbour stays the character before the insertion point; only equal formats are walked past.\n  while (currPos.right !== null && !currPos.right.deleted && currPos.right.content.constructor === ContentFormat && equalAttrs(attributes[currPos.right.content.key] ?? null, currPos.right.content.value)) currPos.forward();\n  const negatedAttributes = insertAttributes(transaction, parent, currPos, attributes);\n  // insert content\n',
  })),
  ...['yjs.mjs', 'yjs.cjs'].map((file) => ({
    // 7. A decoded ContentAny's array is as long as its values, and short strings are shared.
    pkg: 'yjs',
    file,
    from: 'const readContentAny = decoder => {\n  const len = decoder.readLen();\n  const cs = [];\n  for (let i = 0; i < len; i++) {\n    cs.push(decoder.readAny());\n  }\n  return new ContentAny(cs)\n};',
    to:
      '// Quorum (scripts/patch-lexical-yjs.mjs, 7): an array of the values\' own length (a first push() reserves 17 slots), short strings shared.\n' +
      'const SHARED_STRINGS_MAX = 1024;\n' +
      'const sharedStrings = new Map();\n' +
      'const shareString = s => {\n' +
      '  if (s.length > 64) return s\n' +
      '  const known = sharedStrings.get(s);\n' +
      '  if (known !== undefined) return known\n' +
      '  if (sharedStrings.size < SHARED_STRINGS_MAX) sharedStrings.set(s, s);\n' +
      '  return s\n' +
      '};\n' +
      'const readContentAny = decoder => {\n  const len = decoder.readLen();\n  const cs = len <= 64 ? new Array(len) : [];\n  for (let i = 0; i < len; i++) {\n    const value = decoder.readAny();\n    cs[i] = typeof value === \'string\' ? shareString(value) : value;\n  }\n  return new ContentAny(cs)\n};',
  })),
  ...[
    ['yjs.mjs', 'binary'],
    ['yjs.cjs', 'binary__namespace'],
  ].map(([file, binary]) => ({
    // 8. A map entry's key (parentSub) is one shared string, not a copy per decoded item.
    pkg: 'yjs',
    file,
    from: `            cantCopyParentInfo && (info & ${binary}.BIT6) === ${binary}.BIT6 ? decoder.readString() : null, // parentSub\n            readItemContent(decoder, info) // item content\n          );`,
    to: `            cantCopyParentInfo && (info & ${binary}.BIT6) === ${binary}.BIT6 ? shareString(decoder.readString()) : null, // parentSub (Quorum, scripts/patch-lexical-yjs.mjs, 8)\n            readItemContent(decoder, info) // item content\n          );`,
  })),
  ...['yjs.mjs', 'yjs.cjs'].map((file) => ({
    // 11. A redone item's right neighbour is to the right of its left one.
    pkg: 'yjs',
    file,
    from: '  const nextClock = getState(store, ownClientID);\n  const nextId = createID(ownClientID, nextClock);\n  const redoneItem = new Item(',
    to:
      '  // Quorum (scripts/patch-lexical-yjs.mjs, 11): the right neighbour must be to the right of the left one.\n' +
      '  if (item.parentSub === null && right !== null) {\n' +
      '    let next = left === null ? parentType._start : left.right;\n' +
      '    while (next !== null && next !== right) next = next.right;\n' +
      '    if (next === null) right = left === null ? parentType._start : left.right;\n' +
      '  }\n' +
      '  const nextClock = getState(store, ownClientID);\n  const nextId = createID(ownClientID, nextClock);\n  const redoneItem = new Item(',
  })),
  ...['yjs.mjs', 'yjs.cjs'].map((file) => ({
    // 12. No redo into a parent whose latest copy is gone.
    pkg: 'yjs',
    file,
    from: '      parentItem = getItemCleanStart(transaction, parentItem.redone);\n    }\n  }\n',
    to:
      '      parentItem = getItemCleanStart(transaction, parentItem.redone);\n    }\n' +
      '    // Quorum (scripts/patch-lexical-yjs.mjs, 12): its latest copy was deleted and collected.\n' +
      '    if (parentItem.content.constructor !== ContentType) return null\n' +
      '  }\n',
  })),
  ...['yjs.mjs', 'yjs.cjs'].map((file) => ({
    // 12, nested: nor into one whose latest copy was collected with the block it sat in.
    pkg: 'yjs',
    file,
    from: '    while (parentItem.redone !== null) {\n',
    to:
      '    while (parentItem.redone !== null) {\n' +
      '      // Quorum (scripts/patch-lexical-yjs.mjs, 12): a copy collected with the block it sat in (a GC struct, no `redone`).\n' +
      '      if (parentItem.constructor === GC) return null\n',
  })),
  // 13. An empty text node that normalisation removes while a remote change is applied leaves the
  // document too, as a merged one does (the binding deletes its marker).
  ...[
    ["  if (node.__text === '' && node.isSimpleText() && !node.isUnmergeable()) {\n    node.remove();", 'node', '    '],
    ["    if (previousNode.__text === '') {\n      previousNode.remove();", 'previousNode', '      '],
    ["    if (nextNode.__text === '') {\n      nextNode.remove();", 'nextNode', '      '],
  ].map(([from, node, indent]) => ({
    pkg: 'lexical',
    file: 'Lexical.dev.js',
    from,
    to: from.replace(
      `${indent}${node}.remove();`,
      `${indent}getActiveEditor()._normalizedNodes.add(${node}.__key); // Quorum (scripts/patch-lexical-yjs.mjs, 13)\n${indent}${node}.remove();`,
    ),
  })),
  {
    // Minified: Fe = $normalizeTextNode, Vs = getActiveEditor.
    pkg: 'lexical',
    file: 'Lexical.prod.js',
    from: 'if(""!==e.__text){if(Me(e,o)){o=Ae(e,o);break}break}e.remove()}for(;null!==(n=o.getNextSibling())&&ki(n)&&n.isSimpleText()&&!n.isUnmergeable();){if(""!==n.__text){if(Me(o,n)){o=Ae(o,n);break}break}n.remove()}}else o.remove()}',
    to: 'if(""!==e.__text){if(Me(e,o)){o=Ae(e,o);break}break}Vs()._normalizedNodes.add(e.__key),e.remove()}for(;null!==(n=o.getNextSibling())&&ki(n)&&n.isSimpleText()&&!n.isUnmergeable();){if(""!==n.__text){if(Me(o,n)){o=Ae(o,n);break}break}Vs()._normalizedNodes.add(n.__key),n.remove()}}else Vs()._normalizedNodes.add(o.__key),o.remove()}',
  },
  // 14. A keystroke is timed when the page handles it, and marked until the task that handled it ends.
  {
    pkg: 'lexical',
    file: 'Lexical.dev.js',
    from: 'function updateTimeStamp(event) {\n  lastTextEntryTimeStamp = event.timeStamp;\n}',
    to:
      '// Quorum (scripts/patch-lexical-yjs.mjs, 14): set from a keystroke until the task that handled it ends.\n' +
      'let quorumTextEntryInTask = false;\n' +
      'function updateTimeStamp(event) {\n' +
      '  lastTextEntryTimeStamp = performance.now();\n' +
      '  if (!quorumTextEntryInTask) {\n' +
      '    quorumTextEntryInTask = true;\n' +
      '    setTimeout(() => {\n' +
      '      quorumTextEntryInTask = false;\n' +
      '    }, 0);\n' +
      '  }\n' +
      '}',
  },
  {
    pkg: 'lexical',
    file: 'Lexical.dev.js',
    from: '  const shouldFlushTextMutations = performance.now() - lastTextEntryTimeStamp > TEXT_MUTATION_VARIANCE;',
    to: '  const shouldFlushTextMutations = !quorumTextEntryInTask && performance.now() - lastTextEntryTimeStamp > TEXT_MUTATION_VARIANCE;',
  },
  {
    // Minified: _t = lastTextEntryTimeStamp, pt = updateTimeStamp, Ct = flushMutations.
    pkg: 'lexical',
    file: 'Lexical.prod.js',
    from: 'let gt=!1,_t=0;function pt(t){_t=t.timeStamp}',
    to: 'let gt=!1,_t=0,quorumTextEntryInTask=!1;function pt(t){_t=performance.now(),quorumTextEntryInTask||(quorumTextEntryInTask=!0,setTimeout(()=>{quorumTextEntryInTask=!1},0))}',
  },
  {
    pkg: 'lexical',
    file: 'Lexical.prod.js',
    from: 'const o=performance.now()-_t>100;',
    to: 'const o=!quorumTextEntryInTask&&performance.now()-_t>100;',
  },
];

function packageDir(pkg) {
  // Neither package exports ./package.json: go up from the entry point (dist/…).
  const require = createRequire(import.meta.url);
  return dirname(dirname(require.resolve(pkg)));
}

/** 'patched' | 'unpatched' | 'unknown' for each build file. */
export function inspect() {
  return EDITS.map(({ pkg, file, from, to }) => {
    const source = readFileSync(join(packageDir(pkg), 'dist', file), 'utf8');
    const state = source.includes(to) ? 'patched' : source.split(from).length === 2 ? 'unpatched' : 'unknown';
    return { file: `${pkg}/dist/${file}`, state };
  });
}

export function apply() {
  for (const { pkg, file, from, to } of EDITS) {
    const dir = packageDir(pkg);
    const path = join(dir, 'dist', file);
    const source = readFileSync(path, 'utf8');
    if (source.includes(to)) continue;
    if (source.split(from).length !== 2) {
      const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
      throw new Error(
        `${pkg} ${version}: dist/${file} does not contain the code this patch expects (written for ${PATCHED_VERSIONS[pkg]}). ` +
          'See scripts/patch-lexical-yjs.mjs: check which of its fixes the new version makes, then update or remove them.',
      );
    }
    writeFileSync(path, source.replace(from, to));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (process.argv.includes('--check')) {
      const states = inspect();
      const bad = states.filter((s) => s.state !== 'patched');
      if (bad.length > 0) {
        process.stderr.write(`@lexical/yjs and yjs are not patched (${bad.map((s) => `${s.file}: ${s.state}`).join(', ')}); run npm install\n`);
        process.exit(1);
      }
    } else {
      apply();
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
