// The notes layer warms the action grammar up before the server's first connection
// (server/notes/warm-up.ts). Warming up only works while its lines go through the whole grammar:
// each must read as an action, with its assignees, and, where it has one, its due date and ticket.
import { expect, test } from 'vitest';
import { warmUpActionGrammar } from '../../server/notes/warm-up.js';

test('every warm-up line is read as an action, through assignees, due dates and tickets', () => {
  const parsed = warmUpActionGrammar();
  expect(parsed).toHaveLength(4);
  for (const action of parsed) {
    expect(action).not.toBeNull();
    expect(action!.assignees.length + (action!.everyone ? 1 : 0)).toBeGreaterThan(0);
    expect(action!.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  expect(parsed.flatMap((action) => action!.tickets)).toContain('DM-12345');
  expect(parsed.some((action) => action!.done)).toBe(true);
});
