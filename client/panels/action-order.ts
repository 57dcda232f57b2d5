import type { ActionRecord } from '../../shared/api/index';

/**
 * The order of a meeting's actions in its panel: the day on screen first, then the other days in
 * date order; within a day, open actions before done ones, each in the order of their lines.
 * (`position` counts lines within one day's notes, so it only orders actions of the same day.)
 */
export function orderActions(actions: readonly ActionRecord[], sessionId: string | null | undefined, sessionDates: Readonly<Record<string, string>> = {}): ActionRecord[] {
  const day = (action: ActionRecord) => (action.sessionId === sessionId ? '' : (sessionDates[action.sessionId] ?? action.sessionId));
  return [...actions].sort((a, b) => {
    const byDay = day(a) < day(b) ? -1 : day(a) > day(b) ? 1 : 0;
    return byDay || Number(a.done) - Number(b.done) || a.position - b.position;
  });
}
