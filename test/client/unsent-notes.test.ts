// The lines a refused copy held that the server's does not (client/meeting/unsent-notes.ts): what
// a notetaker is shown to copy when a closed meeting refused their last changes.
import { expect, test } from 'vitest';
import { missingLines } from '../../client/meeting/unsent-notes.js';

test('the lines only the dropped copy held, in its order; a line edited since counts whole', () => {
  const server = ['09:00 · Welcome', 'RHL: budget first', '', '09:30 · Gen3'];
  const dropped = ['09:00 · Welcome', 'RHL: budget first, then the plan', 'KT: agreed', '', '09:30 · Gen3', 'ACTION: TJ to circulate the plan'];
  expect(missingLines(dropped, server)).toEqual(['RHL: budget first, then the plan', 'KT: agreed', 'ACTION: TJ to circulate the plan']);
});

test('a line typed twice is missing once when the server holds it once; empty lines are not notes', () => {
  expect(missingLines(['ok', 'ok', '  ', 'new'], ['ok'])).toEqual(['ok', 'new']);
  expect(missingLines(['a', 'b'], ['b', 'a'])).toEqual([]);
});
