/**
 * `npx tsx scripts/bench/extraction-pass.ts` — what one keystroke's extraction pass costs, in
 * process, at two meeting lengths (300 and 30,000 words of notes, an action every twentieth
 * line), for the two ways of reading a session document:
 *   - full: what the notes worker did until now, a fresh headless Lexical editor over a copy of
 *     the whole document, every block read and parsed;
 *   - incremental: server/notes/extractor.ts on the live document, re-reading only the blocks
 *     the keystroke touched.
 * Prints medians over many keystrokes typed at the end of random lines.
 */
import * as Y from 'yjs';
import { parseActionBlock } from '../../shared/actions/index.js';
import { createReader } from '../../shared/notes/headless.js';
import { $readBlocks } from '../../shared/notes/read.js';
import { SessionExtractor } from '../../server/notes/extractor.js';
import { meetingNotes } from './lib/long-doc.js';
import { appendParagraph, rootOf } from './lib/notes-shape.js';
import { ATTENDEES } from './lib/meetings.js';
import { median } from './lib/report.js';
import { loadAverage } from './lib/proc.js';
import { newDoc } from '../../shared/notes/client-id.js';

const context = { attendees: ATTENDEES, sessionDate: '2026-11-19' };
const KEYSTROKES = Number(process.env.KEYSTROKES ?? 200);

function keystroke(doc: Y.Doc, n: number): void {
  const lines = rootOf(doc).toDelta() as Array<{ insert: unknown }>;
  const line = lines[(n * 7919) % lines.length]!.insert as Y.XmlText;
  line.insert(line.length, 'x');
}

/** Enter at the end of the notes, then the first letter of the new line. */
function newLine(doc: Y.Doc, n: number): void {
  appendParagraph(rootOf(doc), n % 4 === 0 ? 'ACTION: @KTL f' : 'f');
}

function fullPass(doc: Y.Doc): number {
  const reader = createReader();
  Y.applyUpdate(reader.doc, Y.encodeStateAsUpdate(doc));
  reader.flush();
  const blocks = reader.editor.getEditorState().read(() => $readBlocks());
  let actions = 0;
  for (const b of blocks) if (parseActionBlock(b, context.attendees, context.sessionDate)) actions++;
  reader.dispose();
  reader.doc.destroy();
  return actions;
}

function measure(words: number): { words: number; blocks: number; full: number; incremental: number; enter: number; firstRead: number } {
  const notes = meetingNotes(words);
  const doc = newDoc();
  Y.applyUpdate(doc, notes.update);
  const extractor = new SessionExtractor(doc);
  let at = performance.now();
  const first = extractor.pass(context);
  const firstRead = performance.now() - at;
  const full: number[] = [];
  const incremental: number[] = [];
  const enter: number[] = [];
  for (let n = 0; n < KEYSTROKES; n++) {
    if (n % 8 === 0) {
      newLine(doc, n / 8);
      at = performance.now();
      extractor.pass(context);
      enter.push(performance.now() - at);
    }
    keystroke(doc, n);
    at = performance.now();
    extractor.pass(context);
    incremental.push(performance.now() - at);
    if (n % 10 === 0) {
      at = performance.now();
      fullPass(doc);
      full.push(performance.now() - at);
    }
  }
  extractor.dispose();
  return { words, blocks: first.read, full: median(full)!, incremental: median(incremental)!, enter: median(enter)!, firstRead };
}

// Warm up the JIT on a middling document first.
measure(3_000);
const small = measure(300);
const large = measure(30_000);
const row = (r: typeof small): string =>
  `| ${r.words.toLocaleString('en')} | ${r.blocks} | ${r.full.toFixed(2)} ms | ${r.incremental.toFixed(3)} ms | ${r.enter.toFixed(3)} ms | ${r.firstRead.toFixed(1)} ms |`;
process.stdout.write(
  [
    `Extraction pass per keystroke (medians of ${KEYSTROKES}; full read every tenth keystroke). Load: ${loadAverage()}`,
    '',
    '| words | blocks | full read (fresh Lexical editor) | incremental: a keystroke in a line | incremental: Enter and a new line | first incremental pass (reads all, writes ids) |',
    '|---:|---:|---:|---:|---:|---:|',
    row(small),
    row(large),
    '',
    `30,000 words ÷ 300 words: full ${(large.full / small.full).toFixed(1)}×, keystroke ${(large.incremental / small.incremental).toFixed(2)}×, new line ${(large.enter / small.enter).toFixed(2)}×`,
    '',
  ].join('\n'),
);
