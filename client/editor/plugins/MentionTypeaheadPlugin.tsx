// `@` opens a list of the meeting's attendees; choosing one inserts a mention node, which the
// grammar reads as an exact assignee (no guessing from the text).
import { useCallback, useMemo, useState, type JSX } from 'react';
import { createPortal } from 'react-dom';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, MenuOption, useBasicTypeaheadTriggerMatch } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { $createTextNode, type TextNode } from 'lexical';
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

export function MentionTypeaheadPlugin({ attendees }: { attendees: readonly Attendee[] }): JSX.Element | null {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  const triggerFn = useBasicTypeaheadTriggerMatch('@', { minLength: 0, maxLength: 40 });

  const options = useMemo(
    () => (query === null ? [] : attendees.filter((a) => matches(a, query)).slice(0, MAX_OPTIONS).map((a) => new AttendeeOption(a))),
    [attendees, query],
  );

  const onSelectOption = useCallback(
    (option: AttendeeOption, textNode: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        const { attendee } = option;
        const label = attendee.handle ? `@${attendee.handle}` : `@${attendee.name}`;
        const mention = $createMentionNode(label, String(attendee.id ?? ''), attendee.handle ?? '');
        if (textNode) textNode.replace(mention);
        const space = $createTextNode(' ');
        mention.insertAfter(space);
        space.select(1, 1);
        closeMenu();
      });
    },
    [editor],
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
              <ul className="typeahead" role="listbox" aria-label="Attendees">
                {options.map((option, index) => (
                  <li
                    key={option.key}
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
