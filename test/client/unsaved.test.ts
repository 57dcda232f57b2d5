// What the page says of the edits the server has not confirmed (client/collab/unsaved.ts): a
// keystroke is unconfirmed for a moment every time, which is no news; an edit that waits past the
// notice, or any edit while the server cannot be reached, is. The clock is a fake one: what is
// tested is the notice's own arithmetic of when an edit has waited long enough.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNSAVED_NOTICE_MS, UnsavedNotice } from '../../client/collab/unsaved';

let shown: number[];
let notice: UnsavedNotice;

beforeEach(() => {
  vi.useFakeTimers();
  shown = [];
  notice = new UnsavedNotice({ show: (count) => shown.push(count), now: () => Date.now() });
});

afterEach(() => {
  notice.dispose();
  vi.useRealTimers();
});

describe('the unsaved count', () => {
  it('says nothing of keystrokes the server confirms in time, however long the typing goes on', () => {
    // Typing for a minute, five keystrokes a second, each confirmed within half a second: at
    // every moment some edit is unconfirmed, and none has waited long.
    for (let second = 0; second < 60; second++) {
      for (let key = 0; key < 5; key++) {
        notice.edited();
        vi.advanceTimersByTime(100);
      }
      notice.confirmed(3);
      vi.advanceTimersByTime(300);
      notice.confirmed(2);
    }
    vi.advanceTimersByTime(10 * UNSAVED_NOTICE_MS);
    expect(shown).toEqual([]);
  });

  it('counts every unconfirmed edit once the oldest has waited past the notice, and clears when they are confirmed', () => {
    notice.edited();
    vi.advanceTimersByTime(UNSAVED_NOTICE_MS / 2);
    notice.edited();
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(UNSAVED_NOTICE_MS / 2);
    expect(shown).toEqual([2]);
    // While shown, the count follows the typing.
    notice.edited();
    expect(shown).toEqual([2, 3]);
    // The oldest two confirmed: the one left is recent, so nothing is said of it yet ...
    notice.confirmed(2);
    expect(shown).toEqual([2, 3, 0]);
    // ... until it too has waited too long.
    vi.advanceTimersByTime(UNSAVED_NOTICE_MS);
    expect(shown).toEqual([2, 3, 0, 1]);
    notice.confirmed(1);
    expect(shown).toEqual([2, 3, 0, 1, 0]);
  });

  it('counts at once while the server cannot be reached, and edits an earlier page load left unconfirmed', () => {
    notice.link(false);
    notice.edited();
    expect(shown).toEqual([1]);
    notice.edited();
    expect(shown).toEqual([1, 2]);
    // Back online: the edits are recent, so the page waits for their confirmation again.
    notice.link(true);
    expect(shown).toEqual([1, 2, 0]);
    notice.confirmed(2);
    vi.advanceTimersByTime(10 * UNSAVED_NOTICE_MS);
    expect(shown).toEqual([1, 2, 0]);

    const reloaded: number[] = [];
    const after = new UnsavedNotice({ show: (count) => reloaded.push(count), now: () => Date.now() });
    after.carried(4);
    expect(reloaded).toEqual([4]);
    after.edited();
    expect(reloaded).toEqual([4, 5]);
    after.confirmed(5);
    expect(reloaded).toEqual([4, 5, 0]);
    after.dispose();
  });
});
