// A list that grows with "Show more …": the first row it added takes the focus, so that a keyboard
// or screen-reader user reads on where the list grew, and is not left on a button that is gone
// once everything is shown (focus would fall back to the page's start).
import { useCallback, useEffect, useRef, type RefObject } from 'react';

/**
 * `rows`: how many rows are shown; `container` and `selector` find them. Call the function it
 * returns when "Show more" is pressed.
 */
export function useFocusOnMore(rows: number, container: RefObject<HTMLElement | null>, selector: string): () => void {
  const shownBefore = useRef<number | null>(null);
  const shown = useRef(rows);
  shown.current = rows;
  useEffect(() => {
    const first = shownBefore.current;
    if (first === null || rows === first) return;
    shownBefore.current = null;
    if (rows < first) return;
    const row = container.current?.querySelectorAll(selector)[first];
    row?.querySelector<HTMLElement>('a[href], button')?.focus();
  }, [rows, container, selector]);
  return useCallback(() => {
    shownBefore.current = shown.current;
  }, []);
}
