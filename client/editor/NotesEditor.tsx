// The running-notes editor of one session: Lexical bound to the session's Yjs document.
// Setup follows shared/notes/README.md: inside <LexicalCollaboration>, editorState null, no
// HistoryPlugin (the collaboration undo undoes only your own edits), the server seeds the
// document so no client ever bootstraps it, and exactly the shared NOTE_NODES.
import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { syncCursorPositions, type SyncCursorPositionsFn } from '@lexical/yjs';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { CheckListPlugin } from '@lexical/react/LexicalCheckListPlugin';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { ClickableLinkPlugin } from '@lexical/react/LexicalClickableLinkPlugin';
import { TabIndentationPlugin } from '@lexical/react/LexicalTabIndentationPlugin';
import { TablePlugin } from '@lexical/react/LexicalTablePlugin';
import { MarkdownShortcutPlugin } from '@lexical/react/LexicalMarkdownShortcutPlugin';
import type { Doc } from 'yjs';
import type { Attendee } from '../../shared/actions/index';
import { NOTE_NODES } from '../../shared/notes/nodes';
import { asLexicalProvider, type Session } from '../collab/session';
import { theme } from './theme';
import { NOTE_MARKDOWN } from './markdown-transformers';
import { isSafeHref } from '../../shared/exports/text';
import { NOTE_HTML_EXPORT } from './mention-html';
import { ActionIdPlugin } from './plugins/ActionIdPlugin';
import { ActionChips, ActionHighlightPlugin } from './plugins/ActionHighlightPlugin';
import { createChipStore } from './chip-store';
import { MentionTypeaheadPlugin } from './plugins/MentionTypeaheadPlugin';
import { SectionPresencePlugin } from './plugins/SectionPresencePlugin';
import { EditablePlugin } from './plugins/EditablePlugin';
import { ToolbarPlugin } from './plugins/ToolbarPlugin';
import { EditorRefPlugin } from './plugins/EditorRefPlugin';
import { TableTypingPlugin } from './plugins/TableTypingPlugin';
import { UrlLinkPlugin } from './plugins/UrlLinkPlugin';
import { MarkdownPastePlugin } from './plugins/MarkdownPastePlugin';
import { CheckListRolePlugin } from './plugins/CheckListRolePlugin';
import { AgendaNavigationPlugin } from './plugins/AgendaNavigationPlugin';
import { UndoCaretPlugin } from './plugins/UndoCaretPlugin';
import { CaretSyncPlugin } from './plugins/CaretSyncPlugin';
import { SharedEditingPlugin } from './plugins/SharedEditingPlugin';
import { DriftGuardPlugin } from './plugins/DriftGuardPlugin';
import { restoreCaret, type CaretCarry } from './caret-carry';
import { createCursorLabels } from './cursor-labels';
import type { LexicalEditor } from 'lexical';

export interface NotesEditorProps {
  session: Session;
  editable: boolean;
  userName: string;
  userColor: string;
  role: 'notetaker' | 'follower';
  attendees: readonly Attendee[];
  sessionDate: string;
  ticketProjects?: readonly string[];
  onEditor?: (editor: LexicalEditor | null) => void;
  /** The editor no longer shows its document: the page rebuilds it (DriftGuardPlugin), carrying the caret over. */
  onDrift?: (caret: CaretCarry) => void;
  /** The caret of the editor this one replaces, put back once the document's characters are here. */
  caret?: CaretCarry | null;
}

export function NotesEditor({ session, editable, userName, userColor, role, attendees, sessionDate, ticketProjects, onEditor, onDrift, caret }: NotesEditorProps): JSX.Element {
  const initialConfig = useMemo<InitialConfigType>(
    () => ({
      namespace: 'quorum-notes',
      nodes: [...NOTE_NODES],
      // Under collaboration the Yjs document is the only source of the content.
      editorState: null,
      editable,
      theme,
      html: { export: NOTE_HTML_EXPORT },
      onError(error: Error) {
        // Surfaces in the console and in tests (which fail on page errors).
        throw error;
      },
    }),
    // The composer reads its config once; editability changes go through EditablePlugin.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const providerFactory = useCallback(
    (id: string, docMap: Map<string, Doc>) => {
      docMap.set(id, session.view);
      return asLexicalProvider(session.provider);
    },
    [session],
  );
  // The binding syncs the carets after every change it renders from the document: the first one
  // that brings the carried caret's characters puts it back. Stable, as the plugin subscribes with it.
  const carried = useRef(caret ?? null);
  const labels = useMemo(createCursorLabels, []);
  useEffect(() => () => labels.dispose(), [labels]);
  const syncCursors = useCallback<SyncCursorPositionsFn>(
    (binding, provider, options) => {
      syncCursorPositions(binding, provider, options);
      labels.update(binding, provider);
      if (carried.current && restoreCaret(binding, carried.current)) carried.current = null;
    },
    [labels],
  );
  // Stable identity: CollaborationPlugin reconnects when awarenessData changes.
  const awarenessData = useMemo(() => ({ role }), [role]);
  const chips = useMemo(createChipStore, []);
  const [shell, setShell] = useState<HTMLDivElement | null>(null);
  const cursorsRef = useRef<HTMLDivElement | null>(null);

  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        {editable && <ToolbarPlugin />}
        <div className={`editor-shell${editable ? '' : ' read-only'}`} ref={setShell}>
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                className="notes-content"
                aria-label={editable ? 'Running notes' : 'Running notes (read-only)'}
                aria-readonly={!editable}
                spellCheck
              />
            }
            placeholder={<div className="notes-placeholder">{editable ? 'Type the running notes…' : 'No notes yet.'}</div>}
            ErrorBoundary={LexicalErrorBoundary}
          />
          <ActionChips store={chips} sessionDate={sessionDate} />
          <div ref={cursorsRef} className="cursors" />
        </div>
        <CollaborationPlugin
          id={session.docName}
          providerFactory={providerFactory}
          shouldBootstrap={false}
          username={userName}
          cursorColor={userColor}
          cursorsContainerRef={cursorsRef}
          awarenessData={awarenessData}
          syncCursorPositionsFn={syncCursors}
        />
        <EditablePlugin editable={editable} />
        <SharedEditingPlugin />
        {onDrift && <DriftGuardPlugin bound={session.view} synced={session.doc} awareness={session.provider.awareness} onDrift={onDrift} />}
        <ListPlugin />
        <CheckListPlugin />
        <CheckListRolePlugin />
        <LinkPlugin validateUrl={isSafeHref} />
        <ClickableLinkPlugin disabled={editable} />
        <TabIndentationPlugin />
        {/* Plain grids (merged cells are split, colours dropped): what the exports can write. */}
        <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} hasHorizontalScroll />
        <MarkdownShortcutPlugin transformers={NOTE_MARKDOWN} />
        {editable && <TableTypingPlugin />}
        {editable && <MarkdownPastePlugin />}
        {editable && <UrlLinkPlugin container={shell} />}
        <ActionIdPlugin enabled={editable} />
        <ActionHighlightPlugin attendees={attendees} sessionDate={sessionDate} {...(ticketProjects ? { ticketProjects } : {})} onChips={chips.setChips} container={shell} />
        {editable && <MentionTypeaheadPlugin attendees={attendees} />}
        {editable && <SectionPresencePlugin awareness={session.provider.awareness} />}
        {editable && <AgendaNavigationPlugin />}
        {editable && <CaretSyncPlugin doc={session.view} />}
        {editable && <UndoCaretPlugin awareness={session.provider.awareness} />}
        {onEditor && <EditorRefPlugin onEditor={onEditor} />}
      </LexicalComposer>
    </LexicalCollaboration>
  );
}
