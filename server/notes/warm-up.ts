// The action grammar's first lines cost tens of milliseconds each: chrono compiles its patterns,
// and V8 the parsers, on first use (measured: 50 ms, then 25 ms, then a few ms a line, against
// well under a millisecond warm). On the event loop that is every socket of the server held
// while the first notetaker after a restart types an action. The notes layer reads a few lines
// of every kind once, before the server takes its first connection.
import { parseActionBlock, type ParsedAction } from '../../shared/actions/index.js';

const LINES = [
  'ACTION: @KTL follow up with the camera team on the filter wheel by next Friday',
  'ACTION: WOM and Leanne Guy to draft the plan by 2026-12-18, see DM-12345',
  'DONE: All review the budget due end of the week',
  'action item: TJ send the minutes due in 2 weeks',
];
const ATTENDEES = [
  { name: 'Kian-Tat Lim', handle: 'KTL' },
  { name: 'Wil O’Mullane', handle: 'WOM' },
  { name: 'Leanne Guy', handle: 'LG' },
  { name: 'Tim Jenness', handle: 'TJ' },
];

/** Parses a few representative action lines (a few times over); what the last reading found. */
export function warmUpActionGrammar(): Array<ParsedAction | null> {
  let parsed: Array<ParsedAction | null> = [];
  for (let round = 0; round < 3; round++) parsed = LINES.map((text) => parseActionBlock({ text, mentions: [] }, ATTENDEES, '2026-11-17'));
  return parsed;
}
