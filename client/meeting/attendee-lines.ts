// Attendees pasted as a list, one a line, the way wiki pages list them.
import type { AttendeeInput } from '../../shared/api/index';

/** `Robert Lupton (RHL)`, `Robert Lupton (RHL) <rhl@example.org>`, or a bare name; list bullets and trailing commas are ignored. */
export function parseAttendeeLines(text: string): AttendeeInput[] {
  const out: AttendeeInput[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/^[\s*•-]+/, '').trim();
    if (!line) continue;
    let email: string | null = null;
    const mail = /<([^<>\s]+@[^<>\s]+)>|\b([^\s()<>]+@[^\s()<>]+)\b/.exec(line);
    if (mail) {
      email = mail[1] ?? mail[2] ?? null;
      line = line.replace(mail[0], '').trim();
    }
    line = line.replace(/[,;]+$/, '').trim();
    let handle: string | null = null;
    const paren = /\(([^()\s]{1,32})\)\s*$/.exec(line);
    if (paren) {
      handle = paren[1]!;
      line = line.slice(0, paren.index).trim();
    }
    line = line.replace(/[,;]+$/, '').trim();
    if (!line) continue;
    out.push({ name: line, handle, email });
  }
  return out;
}
