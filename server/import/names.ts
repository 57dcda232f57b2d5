// People as old minutes name them: an attendee list ("Kian-Tat Lim (KTL)", "Unknown User
// (mbutler)", "@wom"), and everywhere else names damaged by the copy out of the wiki: broken by
// stray spaces ("Ki an-Tat Lim"), or two run together ("Tim JennessFrossie Economou"). Repairs
// are made only against the attendee list, and each is reported as a guess.

import type { AttendeeInput } from '../../shared/api/index.js';

const HANDLE = /^[A-Za-z0-9._-]{1,32}$/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for a name that tolerates a stray space inside its words. */
function brokenNamePattern(name: string): string {
  return name
    .split(/\s+/)
    .map((word) => [...word].map(escape).join(' ?'))
    .join('\\s+');
}

export class NameBook {
  private readonly people: AttendeeInput[] = [];
  private readonly repaired = new Set<string>();

  /** Adds the people of one list entry or line ("A, B; C (X)"). */
  addList(text: string): void {
    for (const raw of text.split(/[,;\n\t]|\s+and\s+/)) {
      for (const entry of this.splitRunTogether(raw.replace(/^[\s*•◦▪-]+|[\s.]+$/g, ''))) this.add(entry);
    }
  }

  private add(entry: string): void {
    if (entry === '' || entry.length > 120) return;
    // A Confluence mention before the name it shows ("@frossie Frossie Economou (FE)").
    entry = entry.replace(/^@[A-Za-z0-9._-]+\s+(?=\p{Lu})/u, '');
    let name = entry;
    let handle: string | null = null;
    const unknown = /^unknown user\s*\(([^)]+)\)$/i.exec(entry);
    const paren = /^(.+?)\s*\(([^)]+)\)$/.exec(entry);
    if (unknown && HANDLE.test(unknown[1]!.trim())) {
      name = unknown[1]!.trim();
      handle = name;
    } else if (paren) {
      name = paren[1]!.trim();
      // "(KTL)" is a handle; "(remote)" or "(chair, DM)" is a remark.
      if (HANDLE.test(paren[2]!.trim()) && !/^(remote|chair|virtual|guest|absent|regrets?)$/i.test(paren[2]!.trim())) handle = paren[2]!.trim();
    } else if (/^@[A-Za-z0-9._-]+$/.test(entry)) {
      name = entry.slice(1);
      handle = name;
    }
    if (!/\p{L}/u.test(name)) return;
    const existing = this.people.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (existing) {
      existing.handle ??= handle;
      return;
    }
    this.people.push({ name: name.slice(0, 120), handle });
  }

  /** "Tim JennessFrossie Economou": two names whose space was lost, split where a word turns capital. */
  private splitRunTogether(entry: string): string[] {
    const words = entry.split(/\s+/);
    if (words.length < 3 || /[()@]/.test(entry)) return [entry];
    const at = words.findIndex((word, i) => i > 0 && i < words.length - 1 && /^\p{Lu}\p{Ll}+\p{Lu}\p{Ll}+$/u.test(word) && !/^(Mc|Mac|De|Van|Von|O)\p{Lu}/u.test(word));
    if (at < 0) return [entry];
    const split = /^(\p{Lu}\p{Ll}+)(\p{Lu}\p{Ll}+)$/u.exec(words[at]!)!;
    const first = [...words.slice(0, at), split[1]!].join(' ');
    const second = [split[2]!, ...words.slice(at + 1)].join(' ');
    this.repaired.add(`"${entry}" read as two people: ${first}, ${second}`);
    return [first, second];
  }

  attendees(): AttendeeInput[] {
    return this.people.map((p) => ({ ...p }));
  }

  /** Repairs the attendees' names in a line of text: stray spaces removed, run-together names parted. */
  repairText(text: string): string {
    // Confluence's placeholder for a deactivated account keeps the user name.
    let out = text.replace(/\bUnknown User \(([A-Za-z0-9._-]+)\)/g, '@$1');
    for (const person of this.people) {
      if (person.name.length < 4 || !/\s/.test(person.name)) continue;
      const pattern = new RegExp(`(?<![\\p{L}])${brokenNamePattern(person.name)}(?![\\p{Ll}])`, 'gu');
      out = out.replace(pattern, (found) => {
        if (found !== person.name) this.repaired.add(`"${found}" read as ${person.name}`);
        return person.name;
      });
    }
    for (const a of this.people) {
      for (const b of this.people) {
        if (a === b || !/\s/.test(a.name) || !/\s/.test(b.name)) continue;
        const joined = `${a.name}${b.name}`;
        if (out.includes(joined)) {
          out = out.split(joined).join(`${a.name}, ${b.name}`);
          this.repaired.add(`"${joined}" read as ${a.name}, ${b.name}`);
        }
      }
    }
    return out;
  }

  /** Names in a coordinator cell ("KTL, WOM", "Tim Jenness & Leanne Guy"). */
  splitNames(cell: string): string[] {
    return this.repairText(cell)
      .split(/[,;/&\n]|\s+and\s+/)
      .map((name) => name.trim())
      .filter((name) => name !== '' && name.length <= 120)
      .slice(0, 50);
  }

  /**
   * Whether the text starts with an attendee's name or handle (a task whose checkbox was lost):
   * `fullName` only full names, `verb` only when a capitalised word follows ("Robert Lupton
   * Convene…"), `everyone` also "All".
   */
  startsWithName(text: string, options: { fullName?: boolean; verb?: boolean; everyone?: boolean } = {}): boolean {
    const lower = text.toLowerCase();
    const candidates = this.people.flatMap((p) => (options.fullName ? [p.name] : [p.name, p.handle]));
    if (options.everyone) candidates.push('All', 'Everyone');
    return candidates.some((candidate) => {
      if (!candidate || candidate.length < 2 || (options.fullName && !/\s/.test(candidate))) return false;
      if (!lower.startsWith(candidate.toLowerCase()) || /[\p{L}\p{N}]/u.test(text.charAt(candidate.length))) return false;
      return !options.verb || /^\s+\p{Lu}\p{Ll}/u.test(text.slice(candidate.length));
    });
  }

  /**
   * Splits a line where a new sentence is an action: one starting with a marker (ACTION:, TODO:,
   * DONE, ✓) or with an attendee's full name and a capitalised verb.
   */
  splitSentences(text: string): string[] {
    const parts: string[] = [];
    let rest = text;
    for (;;) {
      let cut = -1;
      for (const m of rest.matchAll(/[.;!?]\s+(?=\S)/g)) {
        const next = rest.slice(m.index + m[0].length);
        if (/^(ACTION|TODO|DONE)\b|^✓/i.test(next) || this.startsWithName(next, { fullName: true, verb: true })) {
          cut = m.index + m[0].length;
          break;
        }
      }
      if (cut < 0) break;
      parts.push(rest.slice(0, cut).trim());
      rest = rest.slice(cut);
    }
    parts.push(rest.trim());
    return parts.filter((part) => part !== '');
  }

  guesses(): string[] {
    return [...this.repaired];
  }
}
