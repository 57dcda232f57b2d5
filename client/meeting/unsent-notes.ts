// Notes the server refused. Closing a meeting (or a notetaker's link becoming a follower's) makes
// the server refuse writes, and a page holding edits it never confirmed (typed offline, or in the
// moment of the close) must then drop its copy and load the server's, or it would never agree with
// anyone again. What it drops was typed by someone: the lines of the dropped copy that the
// server's lacks are kept in this browser and shown to the notetaker to copy, until dismissed.

/** The refused lines of one session's notes, and why they were refused. */
export interface UnsentNotes {
  text: string;
  reason: string;
}

/**
 * The lines of `before` (the dropped copy's blocks, in order) that `after` (the server's) does not
 * hold; a line edited since counts as missing whole. Empty lines are not notes.
 */
export function missingLines(before: readonly string[], after: readonly string[]): string[] {
  const held = new Map<string, number>();
  for (const line of after) held.set(line, (held.get(line) ?? 0) + 1);
  return before.filter((line) => {
    if (line.trim() === '') return false;
    const count = held.get(line) ?? 0;
    if (count > 0) {
      held.set(line, count - 1);
      return false;
    }
    return true;
  });
}

const key = (docName: string) => `quorum:unsent:${docName}`;

export function storedUnsent(docName: string): UnsentNotes | null {
  try {
    const stored = localStorage.getItem(key(docName));
    return stored ? (JSON.parse(stored) as UnsentNotes) : null;
  } catch {
    return null;
  }
}

/** Kept with what an earlier refusal left, if it is still there. */
export function storeUnsent(docName: string, unsent: UnsentNotes): UnsentNotes {
  const earlier = storedUnsent(docName);
  const kept = earlier ? { ...unsent, text: `${earlier.text}\n${unsent.text}` } : unsent;
  localStorage.setItem(key(docName), JSON.stringify(kept));
  return kept;
}

export function clearUnsent(docName: string): void {
  localStorage.removeItem(key(docName));
}
