// Which of this browser's edits the page tells the user are not saved yet.
//
// Every keystroke is an edit the server has not confirmed for the few hundred milliseconds until
// the next confirmation (see PendingTracker in session.ts), so a count of them flickers at every
// keystroke: noise to the eye, a screen reader announcing it again and again (the indicator is a
// live region), and a React commit per keystroke, each of which measures the caret's offset in
// the whole notes (React's selection bookkeeping walks the focused editable element, ~1–2 ms in a
// three-day meeting). So the count is shown only when it is news: once an edit has waited longer
// than UNSAVED_NOTICE_MS for its confirmation, or at once while the link to the server is down.

/** How long an edit may wait for the server's confirmation before the page says it is not saved. */
export const UNSAVED_NOTICE_MS = 2_000;

export interface UnsavedOptions {
  /** Told the count to show whenever it changes (0: say nothing). */
  show: (count: number) => void;
  now?: () => number;
  noticeMs?: number;
}

export class UnsavedNotice {
  /** When each unconfirmed edit was made, oldest first (edits of an earlier page load: -Infinity). */
  private made: number[] = [];
  /** Whether the server is reachable: the first connection or an open one. */
  private linkUp = true;
  private shown = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly show: (count: number) => void;
  private readonly now: () => number;
  private readonly noticeMs: number;

  constructor({ show, now = () => performance.now(), noticeMs = UNSAVED_NOTICE_MS }: UnsavedOptions) {
    this.show = show;
    this.now = now;
    this.noticeMs = noticeMs;
  }

  /** Edits an earlier load of the page left unconfirmed: old news, shown at once. */
  carried(count: number): void {
    for (let i = 0; i < count; i++) this.made.push(-Infinity);
    this.update();
  }

  /** One local edit, sent or queued. */
  edited(): void {
    this.made.push(this.now());
    this.update();
  }

  /** The server confirmed the `count` oldest unconfirmed edits. */
  confirmed(count: number): void {
    this.made.splice(0, count);
    this.update();
  }

  /** Whether the server can be reached now; while it cannot, every unconfirmed edit counts. */
  link(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    this.update();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private update(): void {
    this.dispose();
    const oldest = this.made[0];
    let count = 0;
    if (oldest !== undefined) {
      const waited = this.now() - oldest;
      if (!this.linkUp || waited >= this.noticeMs) count = this.made.length;
      // Looked at again when the oldest edit has waited long enough to be news.
      else this.timer = setTimeout(() => this.update(), this.noticeMs - waited);
    }
    if (count === this.shown) return;
    this.shown = count;
    this.show(count);
  }
}
