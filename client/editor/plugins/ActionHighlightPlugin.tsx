// Shows action items as they are typed, with the same grammar the server extracts with: the
// block gets `data-action` (and `data-done`), assignee / due / ticket spans are highlighted with
// the CSS Custom Highlight API (no DOM is added inside Lexical's tree), and chips with the
// resolved assignees and due date sit in the margin beside the block.
import { useEffect, type JSX } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { parseActionBlock, type Attendee, type ActionSpanKind } from '../../../shared/actions/index';
import { $blockInput, $blockNodesOf } from '../../../shared/notes/read';
import { ActionReadings, type ActionReading } from '../action-readings';
import { TopLevelReadings } from '../top-level-readings';
import type { ActionChip, ChipStore } from '../chip-store';
import { useStoreField } from '../../collab/store';
import { formatDue } from '../../dates';

const HIGHLIGHT_NAMES: Record<ActionSpanKind, string> = {
  marker: 'action-marker',
  assignee: 'action-assignee',
  due: 'action-due',
  ticket: 'action-ticket',
};

interface HighlightRegistry {
  set(name: string, value: unknown): void;
  delete(name: string): void;
}
/** The Highlight API is in every current browser but not yet in TypeScript's DOM lib for ES2023. */
const highlightApi = (globalThis as { CSS?: { highlights?: HighlightRegistry } }).CSS?.highlights;
const HighlightCtor = (globalThis as { Highlight?: new (...ranges: Range[]) => object }).Highlight;

/** A DOM Range over characters [start, end) of an element's text (text nodes and <br> as one char). */
function rangeFor(root: HTMLElement, start: number, end: number): Range | null {
  const range = document.createRange();
  let offset = 0;
  let started = false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    // Nested lists belong to other blocks.
    if (node instanceof HTMLElement && (node.tagName === 'UL' || node.tagName === 'OL')) break;
    const length = node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '').length : (node as HTMLElement).tagName === 'BR' ? 1 : 0;
    if (length === 0) continue;
    if (node.nodeType !== Node.TEXT_NODE) {
      offset += length;
      continue;
    }
    if (!started && start < offset + length) {
      range.setStart(node, start - offset);
      started = true;
    }
    if (started && end <= offset + length) {
      range.setEnd(node, end - offset);
      return range;
    }
    offset += length;
  }
  return null;
}

export function ActionHighlightPlugin({
  attendees,
  sessionDate,
  ticketProjects,
  onChips,
  container,
}: {
  attendees: readonly Attendee[];
  sessionDate: string;
  /** TICKET_PROJECTS from the meeting: the same tickets the server extracts. */
  ticketProjects?: readonly string[];
  onChips: (chips: readonly ActionChip[]) => void;
  /** The element the chips are positioned in (offsets are relative to it). */
  container: HTMLElement | null;
}): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let frame = 0;
    const marked = new Set<HTMLElement>();
    const options = ticketProjects && ticketProjects.length > 0 ? { ticketProjects: [...ticketProjects] } : {};
    const readings = new ActionReadings((block) => {
      try {
        return parseActionBlock(block, attendees, sessionDate, options);
      } catch {
        return null;
      }
    });
    // Each top-level node's blocks and what they parse to, read again only where an update touched them.
    const blocks = new TopLevelReadings<ActionReading[]>((node, previous) =>
      readings.read(
        $blockNodesOf(node).map((block) => [block.getKey(), $blockInput(block)] as const),
        previous,
      ),
    );
    const render = () => {
      frame = 0;
      const ranges: Record<ActionSpanKind, Range[]> = { marker: [], assignee: [], due: [], ticket: [] };
      const chips: ActionChip[] = [];
      const stillMarked = new Set<HTMLElement>();
      const base = container?.getBoundingClientRect().top ?? 0;
      editor.getEditorState().read(() => {
        for (const node of blocks.$values()) {
          for (const { key, action } of node) {
            if (!action) continue;
            const element = editor.getElementByKey(key);
            if (!element) continue;
            stillMarked.add(element);
            // Written only when changed: an attribute set, even to its value, is a DOM mutation.
            if (element.dataset.action !== action.kind) element.dataset.action = action.kind;
            if (action.done && element.dataset.done !== 'true') element.dataset.done = 'true';
            else if (!action.done && element.dataset.done !== undefined) delete element.dataset.done;
            for (const span of action.spans) {
              const range = rangeFor(element, span.start, span.end);
              if (range) ranges[span.kind].push(range);
            }
            chips.push({ key, top: element.getBoundingClientRect().top - base, action });
          }
        }
      });
      for (const element of marked) {
        if (!stillMarked.has(element)) {
          delete element.dataset.action;
          delete element.dataset.done;
        }
      }
      marked.clear();
      for (const element of stillMarked) marked.add(element);
      if (highlightApi && HighlightCtor) {
        for (const kind of Object.keys(ranges) as ActionSpanKind[]) {
          highlightApi.set(HIGHLIGHT_NAMES[kind], new HighlightCtor(...ranges[kind]));
        }
      }
      onChips(chips);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    };
    const removeUpdate = editor.registerUpdateListener(({ dirtyElements, dirtyLeaves }) => {
      blocks.updated(dirtyElements, dirtyLeaves);
      schedule();
    });
    const observer = new ResizeObserver(schedule);
    if (container) observer.observe(container);
    schedule();
    return () => {
      removeUpdate();
      observer.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
      if (highlightApi) for (const name of Object.values(HIGHLIGHT_NAMES)) highlightApi.delete(name);
    };
  }, [editor, attendees, sessionDate, ticketProjects, onChips, container]);
  return null;
}

export function assigneeLabel(action: { everyone: boolean; assignees: readonly { name: string; handle?: string | null }[]; assigneeText: readonly string[] }): string {
  if (action.everyone) return 'All';
  if (action.assignees.length > 0) return action.assignees.map((a) => a.handle || a.name).join(', ');
  if (action.assigneeText.length > 0) return action.assigneeText.join(', ');
  return 'Unassigned';
}

/** The margin beside the notes: one row of chips per action block, level with it. */
export function ActionChips({ store, sessionDate }: { store: ChipStore; sessionDate: string }): JSX.Element {
  const chips = useStoreField(store, 'chips');
  // Decorative: the same facts are in the text (highlighted) and in the Actions panel.
  return (
    <div className="action-chips" aria-hidden="true">
      {chips.map(({ key, top, action }) => (
        <div key={key} className="action-chip-row" style={{ top }} data-done={action.done || undefined}>
          <span className={`chip chip-assignee${action.assignees.length === 0 && !action.everyone ? ' chip-muted' : ''}`}>{assigneeLabel(action)}</span>
          {action.due && <span className="chip chip-due">{formatDue(action.due, sessionDate)}</span>}
        </div>
      ))}
    </div>
  );
}
