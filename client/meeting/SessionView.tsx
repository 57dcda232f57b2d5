// One session's live page area: presence and connection on top, the notes in the middle, the
// Actions panel on the right. Owns the session's Yjs connection for as long as it is shown.
import { useCallback, useEffect, useRef, useState, type JSX, type ReactNode } from 'react';
import type { LexicalEditor } from 'lexical';
import { $getRoot } from 'lexical';
import type { Attendee } from '../../shared/actions/index';
import { $getAgendaItemId } from '../../shared/notes/agenda-state';
import { openSession, type Session } from '../collab/session';
import { useStoreField } from '../collab/store';
import { useParticipants } from '../collab/presence';
import { NotesEditor } from '../editor/NotesEditor';
import { $readBlocks } from '../../shared/notes/read';
import { ConnectionIndicator } from '../panels/ConnectionIndicator';
import { PresenceList } from '../panels/PresenceList';
import { AgendaOutline, type OutlineAttachments } from '../panels/AgendaOutline';
import { actionLineHref, ActionsPanel, PastActions, useMeetingActions } from '../panels/ActionsPanel';
import type { ActionRecord } from '../../shared/api/index';
import type { Identity } from '../identity';
import type { CaretCarry } from '../editor/caret-carry';
import type { DaySchedule } from './agenda-clock';
import type * as Y from 'yjs';
import { notesOutline, readNotesState } from '../../shared/notes/outline';
import { clearUnsent, missingLines, storedUnsent, storeUnsent, type UnsentNotes } from './unsent-notes';
import { UnsentNotesPanel } from './UnsentNotesPanel';

export interface SessionViewProps {
  docName: string;
  token: string | null;
  role: 'notetaker' | 'follower';
  /**
   * Whether the meeting's details say this page may not write (the meeting is closed): a session
   * starts from it, and follows it when the details are read again; the server's `access`
   * messages update it in between.
   */
  detailsReadOnly?: boolean;
  /**
   * Called when what the page shows beside the notes may have changed: the server said so (the
   * meeting edited, closed or reopened, this connection's access changed, an attachment added or
   * removed), or the page synced again after a break, in which it may have missed saying so.
   */
  onMeetingChange?: (changed: 'details' | 'attachments' | 'all') => void;
  identity: Identity;
  attendees: readonly Attendee[];
  sessionDate: string;
  /** TICKET_PROJECTS, for highlighting the tickets the server extracts. */
  ticketProjects?: readonly string[];
  /** Reads the meeting's actions (GET /api/meetings/:id/actions), when there is a meeting. */
  loadActions: (() => Promise<ActionRecord[]>) | null;
  exportBase?: string | null;
  /** Shows the series' carried-over actions above this meeting's. */
  meetingId?: string | null;
  /** This session's id and every session's date, to label actions typed on other days. */
  sessionId?: string | null;
  sessionDates?: Readonly<Record<string, string>>;
  /** The session's day of the agenda with its times, for the item on now. */
  schedule?: DaySchedule;
  /** Extra controls for the header (agenda item form). */
  renderTools?: (editor: LexicalEditor | null, editable: boolean) => ReactNode;
  /** Files and links attached to the agenda items, shown under them in the agenda panel. */
  attachments?: OutlineAttachments;
  /** An agenda item to scroll to once the notes are shown (a search result's link). */
  revealItem?: string | null;
  /** An action to scroll to once the notes hold its line (from the tracker). */
  revealAction?: string | null;
}

/** The node key of an action's line in the notes, if they hold it. */
function $actionLineKey(actionId: string): string | undefined {
  return $readBlocks().find((block) => block.actionId === actionId)?.key;
}

/** The notes' lines, as a fresh reader of the document reads them. */
function noteLines(doc: Y.Doc): string[] {
  return notesOutline(readNotesState(doc)).map((line) => line.split('|').slice(3).join('|'));
}

/**
 * Re-opens the session (fresh doc, no local copy) when the server refused our writes, and keeps
 * the lines the dropped copy held that the server's lacks (`unsent`), for the notetaker to copy.
 */
function useSession(docName: string, token: string | null, role: 'notetaker' | 'follower', readOnly: boolean, guestName: string | null) {
  const [epoch, setEpoch] = useState(0);
  const [unsent, setUnsent] = useState<UnsentNotes | null>(() => storedUnsent(docName));
  /** The dropped copy's lines, until the fresh copy is in to compare them with. */
  const refused = useRef<{ lines: string[]; reason: string; from: Session } | null>(null);
  /** The caret of the editor a reload replaced, for the next one (none after a refused write). */
  const [caret, setCaret] = useState<CaretCarry | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const lastReset = useRef(0);
  useEffect(() => {
    const created = openSession(docName, { token, guestName, persist: role === 'notetaker', readOnly: role === 'follower' || readOnly });
    let live = true;
    setSession(created);
    const off = created.onControl((message) => {
      // A refused write means our copy holds edits nobody else has: drop it and load the server's.
      if (message.type === 'denied' && message.unsaved > 0 && Date.now() - lastReset.current > 5_000) {
        lastReset.current = Date.now();
        refused.current = { lines: noteLines(created.doc), reason: message.reason, from: created };
        void created.discardLocalCopy().then(() => {
          if (!live) return;
          setCaret(null);
          setEpoch((e) => e + 1);
        });
      }
    });
    // The fresh copy, synced: what the dropped one held that it does not.
    const offSync = created.state.subscribe(() => {
      const dropped = refused.current;
      if (!dropped || dropped.from === created || created.state.get().syncs === 0 || !live) return;
      refused.current = null;
      const missing = missingLines(dropped.lines, noteLines(created.doc));
      if (missing.length > 0) setUnsent(storeUnsent(docName, { text: missing.join('\n'), reason: dropped.reason }));
    });
    return () => {
      live = false;
      off();
      offSync();
      setSession(null);
      created.destroy();
    };
    // `readOnly` is only the starting point: later changes arrive on the socket.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docName, token, role, guestName, epoch]);
  // A fresh session over the same document (the local copy stays): a new editor and binding,
  // with the caret of the one it replaces.
  const reload = useCallback((carried: CaretCarry) => {
    setCaret(carried);
    setEpoch((e) => e + 1);
  }, []);
  const dismissUnsent = useCallback(() => {
    clearUnsent(docName);
    setUnsent(null);
  }, [docName]);
  return { session, reload, caret, unsent, dismissUnsent };
}

export function SessionView(props: SessionViewProps): JSX.Element {
  const { session, reload, caret, unsent, dismissUnsent } = useSession(props.docName, props.token, props.role, props.detailsReadOnly ?? false, props.identity.kind === 'guest' ? props.identity.name : null);
  if (!session) return <div className="loading" aria-busy="true">Opening the notes…</div>;
  return (
    <>
      {unsent && <UnsentNotesPanel unsent={unsent} onDismiss={dismissUnsent} />}
      <LiveSession key={session.doc.guid} session={session} onDrift={reload} caret={caret} {...props} />
    </>
  );
}

function LiveSession({ session, onDrift, caret, role, detailsReadOnly, identity, attendees, sessionDate, loadActions, exportBase, renderTools, onMeetingChange, meetingId, sessionId, sessionDates, attachments, revealItem, revealAction, ticketProjects, schedule, token }: SessionViewProps & { session: Session; onDrift: (caret: CaretCarry) => void; caret: CaretCarry | null }): JSX.Element {
  const status = useStoreField(session.state, 'status');
  const readOnly = useStoreField(session.state, 'readOnly');
  const syncs = useStoreField(session.state, 'syncs');
  useEffect(() => {
    if (!onMeetingChange) return;
    return session.onControl((message) => {
      // A refused write: the meeting was closed (or this link made a follower's) while this page
      // was away, and nothing else will tell it.
      if (message.type === 'access' || message.type === 'denied') onMeetingChange('details');
      if (message.type === 'meeting') onMeetingChange(message.changed);
    });
  }, [session, onMeetingChange]);
  // The first sync is the page's own load; every later one follows a break.
  useEffect(() => {
    if (syncs > 1) onMeetingChange?.('all');
  }, [syncs, onMeetingChange]);
  // A session opened before the details said the meeting is closed follows them when they come:
  // one reopened after a refused write, say (closing the meeting refuses the notetaker's last
  // keystrokes), started from the details the page had then, and the server tells a connection
  // its access only when it changes, never as it joins.
  useEffect(() => {
    if (role !== 'notetaker' || detailsReadOnly === undefined) return;
    const state = session.state.get();
    if (state.readOnly !== detailsReadOnly) session.state.set({ readOnly: detailsReadOnly, reason: detailsReadOnly ? (state.reason ?? 'meeting closed') : null });
  }, [session, role, detailsReadOnly]);
  const participants = useParticipants(session.provider.awareness);
  const actions = useMeetingActions(session, loadActions);
  const [editor, setEditor] = useState<LexicalEditor | null>(null);
  const [following, setFollowing] = useState<number | null>(null);
  const editable = role === 'notetaker' && !readOnly && status !== 'closed';

  const reveal = useCallback(
    (actionId: string) => {
      if (!editor) return;
      editor.getEditorState().read(() => {
        const key = $actionLineKey(actionId);
        const element = key ? editor.getElementByKey(key) : null;
        element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
        element?.classList.add('flash');
        setTimeout(() => element?.classList.remove('flash'), 1200);
      });
    },
    [editor],
  );

  // Opened at an agenda item (a search result) or an action (the tracker): scroll to its heading
  // or line once the notes hold it.
  const target = revealAction ? `action:${revealAction}` : revealItem ? `item:${revealItem}` : null;
  const revealed = useRef<string | null>(null);
  const synced = syncs > 0;
  useEffect(() => {
    if (!editor || !target || revealed.current === target) return;
    const show = (): boolean =>
      editor.getEditorState().read(() => {
        const key = revealAction
          ? $actionLineKey(revealAction)
          : $getRoot()
              .getChildren()
              .find((node) => $getAgendaItemId(node) === revealItem)
              ?.getKey();
        const element = key ? editor.getElementByKey(key) : null;
        if (!element) return false;
        revealed.current = target;
        element.scrollIntoView({ block: revealAction ? 'center' : 'start' });
        element.classList.add('flash');
        element.setAttribute('data-revealed', 'true');
        setTimeout(() => element.classList.remove('flash'), 1200);
        return true;
      });
    if (show()) return;
    // The notes may still be arriving: look again whenever they change. An action's line is
    // looked for until the server's copy is in: reading every block of a long meeting at every
    // keystroke, for a line that is not there (removed since), would not be free.
    if (revealAction && synced) return;
    return editor.registerUpdateListener(() => {
      if (revealed.current !== target) show();
    });
  }, [editor, target, revealAction, revealItem, synced]);

  // Following a notetaker: keep the agenda item they are typing in on screen.
  const followed = participants.find((p) => p.clientId === following);
  const followedSection = followed?.section?.id ?? followed?.section?.title ?? null;
  useEffect(() => {
    if (!editor || !followed?.section) return;
    const { id, title } = followed.section;
    editor.getEditorState().read(() => {
      const heading = $getRoot()
        .getChildren()
        .find((node) => (id !== null ? $getAgendaItemId(node) === id : node.getTextContent() === title));
      const element = heading ? editor.getElementByKey(heading.getKey()) : null;
      element?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editor, followedSection]);

  return (
    <div className="session" data-role={role} data-editable={editable}>
      <div className="session-bar">
        <PresenceList participants={participants} following={following} onFollow={role === 'follower' ? setFollowing : undefined} />
        <div className="session-bar-right">
          {renderTools?.(editor, editable)}
          <ConnectionIndicator store={session.state} />
        </div>
      </div>
      <div className="session-body">
        {/* Read-only notes hold nothing to focus: the box itself takes focus, so keys scroll it. */}
        <main className="notes" aria-label="Notes" tabIndex={editable ? undefined : 0}>
          <NotesEditor
            session={session}
            editable={editable}
            userName={identity.name}
            userColor={identity.color}
            role={role}
            attendees={attendees}
            sessionDate={sessionDate}
            {...(ticketProjects ? { ticketProjects } : {})}
            onEditor={setEditor}
            onDrift={onDrift}
            caret={caret}
          />
        </main>
        <aside className="side" aria-label="Agenda and actions">
          <AgendaOutline editor={editor} participants={participants} {...(attachments ? { attachments } : {})} {...(schedule ? { schedule } : {})} />
          <ActionsPanel
            actions={actions}
            onReveal={reveal}
            exportBase={exportBase}
            canTick={role === 'notetaker' && !!meetingId}
            sessionId={sessionId}
            sessionDates={sessionDates}
            {...(meetingId ? { hrefOf: (action: ActionRecord) => actionLineHref(meetingId, action, token) } : {})}
          />
          {meetingId && (
            <PastActions
              session={session}
              meetingId={meetingId}
              canTick={role === 'notetaker'}
              referenceDate={sessionDate}
              // Earlier meetings are open to members; a share link opens this meeting only.
              {...(identity.kind === 'member' ? { hrefOf: (action: ActionRecord) => (action.meetingId ? actionLineHref(action.meetingId, action) : null) } : {})}
            />
          )}
        </aside>
      </div>
    </div>
  );
}
