import { Type, type Static } from 'typebox';
import { ClockTime, Id, IsoDate, Nullable, Timestamp } from './common.js';
import { AgendaItem, ProposalInput } from './meetings.js';


export const ProposalStatus = Type.Union([Type.Literal('unscheduled'), Type.Literal('scheduled'), Type.Literal('merged')]);
export type ProposalStatus = Static<typeof ProposalStatus>;

export const Proposal = Type.Object({
  id: Id,
  topic: Type.String(),
  requestedBy: Nullable(Type.String()),
  minutes: Nullable(Type.Integer()),
  priority: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  status: ProposalStatus,
  /** The agenda item it became, when scheduled. */
  itemId: Nullable(Id),
  /** What it was merged into: another proposal or an agenda item. */
  mergedInto: Nullable(Type.Object({ kind: Type.Union([Type.Literal('proposal'), Type.Literal('item')]), id: Id })),
  createdAt: Timestamp,
});
export type Proposal = Static<typeof Proposal>;

export const ProposalList = Type.Object({ proposals: Type.Array(Proposal) });
export const ProposalParams = Type.Object({ id: Id, proposalId: Id });

export const PatchProposalBody = Type.Partial(ProposalInput);
export type PatchProposalBody = Static<typeof PatchProposalBody>;

/**
 * Schedules a proposal as an agenda item on `date` (a day of the meeting): into `blockId` when
 * given, else into that day's block whose items surround `time`, else the day's last block
 * (a new block when the day has none).
 */
export const ScheduleBody = Type.Object({
  date: IsoDate,
  time: Type.Optional(Nullable(ClockTime)),
  minutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 24 * 60 }))),
  blockId: Type.Optional(Id),
});
export type ScheduleBody = Static<typeof ScheduleBody>;

export const ScheduleResponse = Type.Object({ proposal: Proposal, item: AgendaItem });

export const MergeBody = Type.Object({
  into: Type.Object({ kind: Type.Union([Type.Literal('proposal'), Type.Literal('item')]), id: Id }),
});
export type MergeBody = Static<typeof MergeBody>;

export const ProposalResponse = Type.Object({ proposal: Proposal });
