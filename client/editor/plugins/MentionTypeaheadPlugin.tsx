// `@` opens a list of the meeting's attendees; choosing one inserts a mention node, which the
// grammar reads as an exact assignee (no guessing from the text), and a space after it.
import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { createPortal } from 'react-dom';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, MenuOption, useBasicTypeaheadTriggerMatch, type TriggerFn } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import {
  $createRangeSelection,
  $createTextNode,
  $getSelection,
  $isRangeSelection,
  $isTextNode,
  COLLABORATION_TAG,
  COMMAND_PRIORITY_CRITICAL,
  HISTORIC_TAG,
  COMMAND_PRIORITY_HIGH,
  KEY_DOWN_COMMAND,
  KEY_SPACE_COMMAND,
  mergeRegister,
  TextNode,
  type LexicalEditor,
  type NodeKey,
  type RangeSelection,
} from 'lexical';
import type { Attendee } from '../../../shared/actions/index';
import { $createMentionNode } from '../../../shared/notes/nodes';

class AttendeeOption extends MenuOption {
  constructor(readonly attendee: Attendee) {
    super(String(attendee.id ?? attendee.handle ?? attendee.name));
  }
}

const MAX_OPTIONS = 8;

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function matches(attendee: Attendee, query: string): boolean {
  if (query === '') return true;
  const q = fold(query);
  if (attendee.handle && fold(attendee.handle).startsWith(q)) return true;
  return fold(attendee.name)
    .split(/[\s-]+/)
    .some((part) => part.startsWith(q)) || fold(attendee.name).startsWith(q);
}

/**
 * The "@query" that ends at the caret, as the document holds it now, and a range over it. Read
 * across the text nodes before the caret: the menu may already have split the query in two.
 */
function $typedQuery(editor: LexicalEditor, triggerFn: TriggerFn): { query: string; range: RangeSelection } | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed() || selection.anchor.type !== 'text') return null;
  const caret = selection.anchor.getNode();
  if (!$isTextNode(caret) || !caret.isSimpleText()) return null;
  const runs: { node: TextNode; text: string }[] = [{ node: caret, text: caret.getTextContent().slice(0, selection.anchor.offset) }];
  for (let node = caret.getPreviousSibling(); $isTextNode(node) && node.isSimpleText(); node = node.getPreviousSibling()) {
    runs.unshift({ node, text: node.getTextContent() });
  }
  const match = triggerFn(runs.map((r) => r.text).join(''), editor);
  if (match === null) return null;
  // The node and offset where the typed "@…" begins.
  let back = match.replaceableString.length;
  let start = runs.length - 1;
  while (back > runs[start]!.text.length && start > 0) back -= runs[start--]!.text.length;
  const range = $createRangeSelection();
  range.anchor.set(runs[start]!.node.getKey(), runs[start]!.text.length - back, 'text');
  range.focus.set(caret.getKey(), selection.anchor.offset, 'text');
  return { query: match.matchingString, range };
}

/** Whether the caret stands right after the space that follows the mention `key`. */
function $caretAfterSpaceAfter(key: NodeKey): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed() || selection.anchor.type !== 'text' || selection.anchor.offset !== 1) return false;
  const node = selection.anchor.getNode();
  return node.getTextContent().startsWith(' ') && node.getPreviousSibling()?.getKey() === key;
}

/** Whether `node`, right after the mention `key`, starts with two spaces and the caret stands after the second. */
function $secondSpace(node: TextNode, key: NodeKey): boolean {
  const selection = $getSelection();
  return (
    node.getPreviousSibling()?.getKey() === key &&
    node.getTextContent().startsWith('  ') &&
    $isRangeSelection(selection) &&
    selection.isCollapsed() &&
    selection.anchor.key === node.getKey() &&
    selection.anchor.offset === 2
  );
}

export function MentionTypeaheadPlugin({ attendees }: { attendees: readonly Attendee[] }): JSX.Element | null {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  const triggerFn = useBasicTypeaheadTriggerMatch('@', { minLength: 0, maxLength: 40 });
  // The mention just chosen, until the next key: the space typed right after it by habit ("@RH",
  // Enter, space, "to send…") is the one already put in, not a second. A keyboard's space is
  // swallowed on its keydown; a phone's keyboard sends text without key events (or keys named
  // "Unidentified"), so its space is taken back from the text once it is in (`$secondSpace`).
  const justChosen = useRef<NodeKey | null>(null);
  /** Whether the update that inserted the mention is over: the next one that changes text is the next keystroke. */
  const armed = useRef(false);
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (event) => {
            if (event.key !== ' ' && event.key !== 'Unidentified' && event.key !== 'Process') justChosen.current = null;
            return false;
          },
          COMMAND_PRIORITY_CRITICAL,
        ),
        editor.registerNodeTransform(TextNode, (node) => {
          const mention = justChosen.current;
          if (mention === null || !armed.current || !$secondSpace(node, mention)) return;
          justChosen.current = null;
          node.spliceText(0, 1, '', false);
          node.select(1, 1);
        }),
        editor.registerUpdateListener(({ dirtyLeaves, tags }) => {
          if (justChosen.current === null || tags.has(COLLABORATION_TAG) || tags.has(HISTORIC_TAG)) return;
          if (!armed.current) armed.current = true;
          else if (dirtyLeaves.size > 0) justChosen.current = null;
        }),
        editor.registerCommand(
          KEY_SPACE_COMMAND,
          (event) => {
            const mention = justChosen.current;
            justChosen.current = null;
            if (mention === null || !$caretAfterSpaceAfter(mention)) return false;
            event.preventDefault();
            return true;
          },
          COMMAND_PRIORITY_HIGH,
        ),
      ),
    [editor],
  );

  const options = useMemo(
    () => (query === null ? [] : attendees.filter((a) => matches(a, query)).slice(0, MAX_OPTIONS).map((a) => new AttendeeOption(a))),
    [attendees, query],
  );

  const onSelectOption = useCallback(
    (option: AttendeeOption, _textNode: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        closeMenu();
        // The menu's query is React state, a keystroke behind when Enter comes before it renders
        // again (a busy page, a fast typist): what it matched ("@R") is not all that was typed
        // ("@RH"), and replacing it left the rest beside the mention ("@@RHL"), or picked from a
        // list meant for another query. So the query is read again from the text at the caret.
        const typed = $typedQuery(editor, triggerFn);
        if (typed === null) return;
        const attendee = matches(option.attendee, typed.query) ? option.attendee : attendees.find((a) => matches(a, typed.query));
        if (!attendee) return;
        typed.range.removeText();
        const label = attendee.handle ? `@${attendee.handle}` : `@${attendee.name}`;
        const mention = $createMentionNode(label, String(attendee.id ?? ''), attendee.handle ?? '');
        const space = $createTextNode(' ');
        typed.range.insertNodes([mention, space]);
        // Chosen before a space already there ("send @RH the notes"): that one is the space after
        // it, and the caret stays right after the mention, where the typist was.
        const next = space.getNextSibling();
        if ($isTextNode(next) && next.isSimpleText() && next.getTextContent().startsWith(' ')) {
          space.remove();
          next.select(0, 0);
          return;
        }
        space.select(1, 1);
        justChosen.current = mention.getKey();
        armed.current = false;
      });
    },
    [editor, attendees, triggerFn],
  );

  if (attendees.length === 0) return null;
  return (
    <LexicalTypeaheadMenuPlugin<AttendeeOption>
      onQueryChange={setQuery}
      onSelectOption={onSelectOption}
      triggerFn={triggerFn}
      options={options}
      menuRenderFn={(anchor, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
        anchor.current && options.length > 0
          ? createPortal(
              // The anchor Lexical gives is the listbox (`#typeahead-menu`), and the editor names
              // the highlighted option by its id (`typeahead-item-N`, aria-activedescendant).
              <ul className="typeahead" role="presentation" ref={(ul) => ul?.parentElement?.setAttribute('aria-label', 'Attendees')}>
                {options.map((option, index) => (
                  <li
                    key={option.key}
                    id={`typeahead-item-${index}`}
                    ref={(el) => option.setRefElement(el)}
                    role="option"
                    aria-selected={selectedIndex === index}
                    className={selectedIndex === index ? 'selected' : undefined}
                    onMouseEnter={() => setHighlightedIndex(index)}
                    onMouseDown={(event) => {
                      event.preventDefault();
                      selectOptionAndCleanUp(option);
                    }}
                  >
                    <span className="typeahead-name">{option.attendee.name}</span>
                    {option.attendee.handle && <span className="typeahead-handle">{option.attendee.handle}</span>}
                  </li>
                ))}
              </ul>,
              anchor.current,
            )
          : null
      }
    />
  );
}
