// The name labels over other people's carets. Lexical draws a label above each caret, over the
// line above it, for as long as the caret is there: a notetaker who stopped to listen, or a
// follower's reader scrolled to a line, keeps covering the text everyone else is reading. A
// label shows while its person types or moves their caret, and fades once they have been still
// for QUIET_MS; the caret itself stays.
import type { BaseBinding, Provider } from '@lexical/yjs';

export const QUIET_MS = 3_000;
/** The class that fades a label out (styles.css). */
export const QUIET_LABEL = 'cursor-label-quiet';

interface Watched {
  /** Where the person's selection was, as their presence last said. */
  where: string;
  label: HTMLElement;
  timer: ReturnType<typeof setTimeout>;
}

export interface CursorLabels {
  /** After Lexical has placed the carets: a label whose person moved shows again, for a while. */
  update(binding: BaseBinding, provider: Provider): void;
  dispose(): void;
}

export function createCursorLabels(quietMs = QUIET_MS): CursorLabels {
  const watched = new Map<number, Watched>();
  const forget = (clientID: number) => {
    const entry = watched.get(clientID);
    if (entry) clearTimeout(entry.timer);
    watched.delete(clientID);
  };
  return {
    update(binding, provider) {
      const states = provider.awareness.getStates();
      for (const [clientID, cursor] of binding.cursors) {
        const label = cursor.selection?.name;
        const state = states.get(clientID) as { anchorPos?: unknown; focusPos?: unknown } | undefined;
        if (!label || !state) {
          forget(clientID);
          continue;
        }
        // Their own selection, as relative positions: others typing around it do not change it.
        const where = JSON.stringify([state.anchorPos ?? null, state.focusPos ?? null]);
        const entry = watched.get(clientID);
        if (entry && entry.where === where && entry.label === label) continue;
        if (entry) clearTimeout(entry.timer);
        label.classList.remove(QUIET_LABEL);
        watched.set(clientID, { where, label, timer: setTimeout(() => label.classList.add(QUIET_LABEL), quietMs) });
      }
      for (const clientID of [...watched.keys()]) if (!binding.cursors.has(clientID)) forget(clientID);
    },
    dispose() {
      for (const clientID of [...watched.keys()]) forget(clientID);
    },
  };
}
