/**
 * A series is the name its meetings share: open actions carry from one meeting of it into the
 * next, and the tracker filters by it. The name is typed by hand on every meeting, so "dmlt" or
 * "DMLT " typed for next week's meeting must join "DMLT", not start a series of its own (which
 * would silently stop the carry-over): a name is stored as the series it already names, compared
 * as `seriesKey` compares them.
 */
import { atomically, type Queries } from '../db/sql/index.js';
import { now } from '../ids.js';
import { seriesKey, tidySeries, type SeriesSummary } from '../../shared/api/index.js';

/** Every series with its meetings' count and dates, by name. */
export async function listSeries(q: Queries, exceptMeeting?: string): Promise<SeriesSummary[]> {
  let query = q
    .selectFrom('meetings')
    .select(({ fn }) => ['series', fn.countAll<number | string>().as('meetings'), fn.min('start_date').as('first'), fn.max('end_date').as('last')])
    .where('series', 'is not', null);
  if (exceptMeeting !== undefined) query = query.where('id', '!=', exceptMeeting);
  const rows = await query.groupBy('series').execute();
  return rows
    .map((row) => ({ name: row.series!, meetings: Number(row.meetings), first: row.first, last: row.last }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}

/**
 * The series a typed name stands for: the existing series it names (the spelling of its latest
 * meeting, if two spellings were stored before this rule), or the name tidied when it is new.
 * Null for a blank name. A meeting being renamed is not its own series: its name may change case.
 */
export async function resolveSeries(q: Queries, typed: string | null | undefined, exceptMeeting?: string): Promise<string | null> {
  const tidy = typed === null || typed === undefined ? '' : tidySeries(typed);
  if (!tidy) return null;
  const key = seriesKey(tidy);
  const spellings = (await listSeries(q, exceptMeeting)).filter((series) => seriesKey(series.name) === key);
  spellings.sort((a, b) => b.last.localeCompare(a.last));
  return spellings[0]?.name ?? tidy;
}

/** A series filter as the listings apply it: the series a name stands for, or the name as given. */
export async function seriesFilter(q: Queries, name: string): Promise<string> {
  return (await resolveSeries(q, name)) ?? name;
}

/** The series a member may rename: every one for an admin, otherwise those whose meetings are all theirs. */
export async function renamableSeries(q: Queries, user: { id: string; role: string }): Promise<(name: string) => boolean> {
  if (user.role === 'admin') return () => true;
  const others = await q.selectFrom('meetings').select('series').distinct().where('series', 'is not', null).where('owner_id', '!=', user.id).execute();
  const shared = new Set(others.map((row) => row.series));
  return (name) => !shared.has(name);
}

export interface SeriesRenamed {
  /** The name the meetings now share: the new name tidied, or the existing series it names. */
  name: string;
  /** Whether that was another series: the two are one now. */
  merged: boolean;
  moved: Array<{ id: string; closed: boolean; startDate: string }>;
}

/**
 * Every meeting of the series `from` (its stored name) takes the name `to`. A name that another
 * series already goes by (as `seriesKey` compares them) joins that series: open actions then carry
 * across both, in date order, as if they had always been one. A change of case or spacing only
 * renames. Null when no meeting has the name `from`.
 */
export async function renameSeries(q: Queries, from: string, to: string): Promise<SeriesRenamed | null> {
  return atomically(q, async (trx) => {
    const meetings = await trx.selectFrom('meetings').select(['id', 'closed_at', 'start_date']).where('series', '=', from).orderBy('start_date').execute();
    if (meetings.length === 0) return null;
    const tidy = tidySeries(to);
    const name = seriesKey(tidy) === seriesKey(from) ? tidy : (await resolveSeries(trx, tidy))!;
    const merged = name !== from && (await trx.selectFrom('meetings').select('id').where('series', '=', name).limit(1).executeTakeFirst()) !== undefined;
    await trx.updateTable('meetings').set({ series: name, updated_at: now() }).where('series', '=', from).execute();
    return {
      name,
      merged,
      moved: meetings.map((m) => ({ id: m.id, closed: m.closed_at !== null, startDate: m.start_date })),
    };
  });
}
