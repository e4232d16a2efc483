/**
 * SSDM offices (`shared/domain.md` §3 `offices` feed): when an office counts as open. The
 * rollout's month-by-month aggregates over the whole history are in `$lib/indicators/rollout`.
 */
import { sql } from 'drizzle-orm';

/**
 * Whether office `o` is open at the end of period `p` (a row with an `end_date`): opened on or
 * before that day and not closed by then; a closure on day d closes the office that day. The
 * definition behind `offices_open` and `commune_office_coverage`; the rollout view's
 * `officesOpenByMonth` states it in TypeScript, and a test checks that the two agree.
 */
export const OPEN_AT_END = sql`o.opened_on <= p.end_date
	AND (o.closed_on IS NULL OR o.closed_on > p.end_date)`;
