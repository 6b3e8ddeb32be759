import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Trx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import type { Actor } from '../../domain/permissions.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { EXCEPTION_HEADINGS, EXCEPTION_SECTIONS, type ExceptionKind } from '../../domain/exceptions.ts';
import { ratingName } from '../../domain/ratings.ts';
import type { AgendaItemKind } from '../../domain/meeting-records.ts';
import { planOfReview } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import {
  insertItems,
  listItems,
  listMeetings,
  listOpenQuestions,
  listWaitingEvidence,
  updateItem,
  type ItemRow,
  type MeetingRow,
} from './meetings.repository.ts';
import type { AddItemCommand } from './meetings.forms.ts';
import {
  auditMeeting,
  auditOf,
  getMeetingAccess,
  lockOpenMeeting,
  meetingName,
  requireCoordinator,
} from './meeting-access.service.ts';

/*
 * A meeting's agenda, proposed from what waits for assurance in the review (docs/meetings.md):
 * evidence submitted, ratings proposed, revised due dates proposed, exceptions new since the last
 * meeting and unanswered questions, grouped per organisation (by name, then in plan order). The
 * first item approves the last meeting's draft minutes, when there are any. The coordinator
 * reorders, removes (kept, with removed_at) and adds items.
 */

interface Candidate {
  kind: AgendaItemKind;
  action_id: number | null;
  evidence_item_id: number | null;
  question_id: number | null;
  organisation_id: number | null;
  title: string;
  order: [string, number, number];
}

const KIND_ORDER: AgendaItemKind[] = ['minutes', 'evidence', 'rating', 'due_date', 'exception', 'question', 'other'];

/** Exceptions that are agenda items of their own; awaiting decisions and revised dates are items already. */
const EXCEPTION_ITEMS: readonly ExceptionKind[] = EXCEPTION_SECTIONS.chasing.filter(
  (k) => k !== 'awaiting_decision' && k !== 'revised_date_proposed',
);

function shorten(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function keyOf(item: Pick<Candidate, 'kind' | 'action_id' | 'evidence_item_id' | 'question_id' | 'title'>): string {
  const title = item.kind === 'exception' || item.kind === 'minutes' ? item.title.split(':')[0] : '';
  return [item.kind, item.action_id, item.evidence_item_id, item.question_id, title].join('|');
}

/** The latest meeting of the review before this one whose minutes wait for approval. */
export function meetingWithDraftMinutes(meetings: readonly MeetingRow[], before: { id: number; starts_at: string }) {
  return meetings
    .filter((m) => m.id !== before.id && m.starts_at < before.starts_at && m.minutes_status === 'draft')
    .at(-1);
}

/** What waits for assurance in the review now, as agenda items in agenda order. Reads outside any transaction. */
async function agendaCandidates(
  ctx: AppContext,
  review: ReviewRow,
  meeting: { id: number; starts_at: string },
): Promise<Candidate[]> {
  const plan = await planOfReview(ctx, review);
  const [evidence, questions, meetings] = await Promise.all([
    listWaitingEvidence(ctx.db, review.id),
    listOpenQuestions(ctx.db, review.id),
    listMeetings(ctx.db, review.id),
  ]);
  const earlier = meetings.filter((m) => m.id !== meeting.id && m.starts_at < meeting.starts_at).at(-1);
  const earlierKeys = new Set(earlier ? (await listItems(ctx.db, earlier.id)).map(keyOf) : []);

  const organisations = new Map(plan.state.organisations.map((o) => [o.id, o.name]));
  const actions = new Map(plan.state.actions.map((a, index) => [a.id, { action: a, index }]));
  const whose = (actionId: number | null, organisationId: number | null = null): [number | null, string] => {
    const ids = actionId === null ? [] : (actions.get(actionId)?.action.organisationIds ?? []);
    const named = [...(organisationId === null ? [] : [organisationId]), ...ids]
      .map((id): [number, string] => [id, organisations.get(id) ?? ''])
      .filter(([, name]) => name)
      .sort((a, b) => a[1].localeCompare(b[1]));
    return named[0] ?? [null, '\uffff'];
  };
  const candidate = (
    kind: AgendaItemKind,
    actionId: number | null,
    title: string,
    extra: { evidence?: number; question?: number; organisation?: number | null } = {},
  ): Candidate => {
    const [organisationId, organisationName] = whose(actionId, extra.organisation ?? null);
    return {
      kind,
      action_id: actionId,
      evidence_item_id: extra.evidence ?? null,
      question_id: extra.question ?? null,
      organisation_id: organisationId,
      title,
      order: [
        organisationName,
        actionId === null ? Number.MAX_SAFE_INTEGER : (actions.get(actionId)?.index ?? Number.MAX_SAFE_INTEGER),
        KIND_ORDER.indexOf(kind),
      ],
    };
  };

  const found: Candidate[] = [];
  for (const e of evidence) {
    if (actions.has(e.action_id)) {
      found.push(candidate('evidence', e.action_id, `Evidence submitted: ${e.title}`, { evidence: e.id }));
    }
  }
  for (const [actionId, status] of plan.analysis.actionStatus) {
    if (!actions.has(actionId)) continue;
    if (status.awaitingDecisionSince !== null) {
      found.push(candidate('rating', actionId, `Rating proposed: ${ratingName(status.rating)}`));
    }
    const pending = status.dueDate.pending;
    if (pending) {
      found.push(candidate('due_date', actionId, `Revised due date proposed: ${formatLongDate(pending.proposedDate)}`));
    }
  }
  // A rating on the agenda already raises whether it is evidenced: no second item for the same question.
  const ratingsOnAgenda = new Set(found.filter((c) => c.kind === 'rating').map((c) => c.action_id));
  for (const exception of plan.analysis.exceptions) {
    const actionId = Number(exception.subject.id);
    if (exception.kind === 'unevidenced' && ratingsOnAgenda.has(actionId)) continue;
    if (exception.subject.type !== 'action' || !EXCEPTION_ITEMS.includes(exception.kind) || !actions.has(actionId)) {
      continue;
    }
    const item = candidate('exception', actionId, `${EXCEPTION_HEADINGS[exception.kind]}: ${exception.reason}`);
    // Only exceptions new since the last meeting: one already on its agenda is not raised again.
    if (!earlierKeys.has(keyOf(item))) found.push(item);
  }
  for (const q of questions) {
    const actionId = q.action_id !== null && actions.has(q.action_id) ? q.action_id : null;
    found.push(
      candidate('question', actionId, `Question from ${q.asked_by}: ${shorten(q.text)}`, {
        question: q.id,
        organisation: q.organisation_id,
      }),
    );
  }
  found.sort((a, b) => a.order[0].localeCompare(b.order[0]) || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
  const drafted = meetingWithDraftMinutes(meetings, meeting);
  const minutes: Candidate[] = drafted
    ? [
        {
          kind: 'minutes',
          action_id: null,
          evidence_item_id: null,
          question_id: null,
          organisation_id: null,
          title: `Minutes: approve the draft minutes of the ${meetingName(drafted)}`,
          order: ['', 0, 0],
        },
      ]
    : [];
  return [...minutes, ...found];
}

/** The agenda a new meeting starts with, worked out before the transaction that writes it. */
export async function proposedAgenda(ctx: AppContext, review: ReviewRow, startsAt: string) {
  return agendaCandidates(ctx, review, { id: 0, starts_at: startsAt });
}

/** Writes a proposed agenda for a new meeting in the caller's transaction; returns the items' titles. */
export async function writeProposedAgenda(trx: Trx, meetingId: number, items: Candidate[], now: string) {
  await insertItems(
    trx,
    items.map(({ order: _, ...item }, index) => ({
      ...item,
      meeting_id: meetingId,
      position: index + 1,
      created_at: now,
    })),
  );
  return items.map((i) => i.title);
}

export type ProposedItems = Candidate[];

/**
 * Proposes the agenda again while the meeting is open: what now waits is added at the end;
 * proposed items still open that no longer wait are removed (kept, with removed_at); items
 * removed by hand stay removed and added items stay.
 */
export async function refreshAgenda(ctx: AppContext, actor: Actor, reviewId: number, meetingId: number) {
  const { review, meeting } = await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireCoordinator(actor, reviewId);
  const candidates = await agendaCandidates(ctx, review, meeting);
  const time = ctx.now();
  const now = time.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await lockOpenMeeting(trx, reviewId, meetingId);
    const items = await listItems(trx, meetingId);
    const have = new Set(items.map(keyOf));
    const wanted = new Set(candidates.map(keyOf));
    const added = candidates.filter((c) => !have.has(keyOf(c)));
    const dropped = items.filter(
      (i) => i.removed_at === null && i.outcome === 'open' && i.kind !== 'other' && !wanted.has(keyOf(i)),
    );
    for (const item of dropped) await updateItem(trx, meetingId, item.id, { removed_at: now });
    const last = Math.max(0, ...items.map((i) => i.position));
    await insertItems(
      trx,
      added.map(({ order: _, ...item }, index) => ({
        ...item,
        meeting_id: meetingId,
        position: last + index + 1,
        created_at: now,
      })),
    );
    const after = { added: added.map((i) => i.title), removed: dropped.map((i) => i.title) };
    await auditMeeting(trx, actor, reviewId, meetingId, { action: 'agenda_refreshed', after }, time);
    return { added: added.length, removed: dropped.length };
  });
}

function activeItems(items: readonly ItemRow[]): ItemRow[] {
  return items.filter((i) => i.removed_at === null);
}

async function changeItem(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  itemId: number,
  change: (trx: Trx, items: ItemRow[], item: ItemRow, now: string) => Promise<Record<string, unknown>>,
  action: string,
) {
  await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireCoordinator(actor, reviewId);
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockOpenMeeting(trx, reviewId, meetingId);
    const items = activeItems(await listItems(trx, meetingId));
    const item = items.find((i) => i.id === itemId);
    if (!item) throw FormInvalid.of('form', 'That item is no longer on the agenda. Look at the agenda again.', 409);
    const after = await change(trx, items, item, time.toISOString());
    await recordAudit(
      trx,
      { ...auditOf(actor, reviewId), entityType: 'meeting_item', entityId: itemId, action, after },
      time,
    );
  });
}

/** Moves an item one place up or down the agenda. */
export async function moveItem(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  itemId: number,
  direction: 'up' | 'down',
) {
  await changeItem(
    ctx,
    actor,
    reviewId,
    meetingId,
    itemId,
    async (trx, items, item) => {
      const from = items.indexOf(item);
      const to = direction === 'up' ? from - 1 : from + 1;
      if (to < 0 || to >= items.length) return { title: item.title, position: from + 1 };
      const order = [...items];
      order.splice(from, 1);
      order.splice(to, 0, item);
      // Renumbered 1, 2, 3… so the positions stay simple whatever was removed or added before.
      for (const [index, i] of order.entries()) {
        if (i.position !== index + 1) await updateItem(trx, meetingId, i.id, { position: index + 1 });
      }
      return { title: item.title, position: to + 1 };
    },
    'moved',
  );
}

/** Takes an item off the agenda; it is kept, with when it was removed. */
export async function removeItem(ctx: AppContext, actor: Actor, reviewId: number, meetingId: number, itemId: number) {
  await changeItem(
    ctx,
    actor,
    reviewId,
    meetingId,
    itemId,
    async (trx, _items, item, now) => {
      if (item.outcome !== 'open') {
        throw FormInvalid.of('form', 'This item has been decided at the meeting, so it stays on the agenda.', 409);
      }
      await updateItem(trx, meetingId, itemId, { removed_at: now });
      return { title: item.title, removed_at: now };
    },
    'removed',
  );
}

/** Adds an item of the coordinator's own at the end of the agenda. */
export async function addItem(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  command: AddItemCommand,
) {
  await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireCoordinator(actor, reviewId);
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockOpenMeeting(trx, reviewId, meetingId, 'title');
    const items = await listItems(trx, meetingId);
    const position = Math.max(0, ...items.map((i) => i.position)) + 1;
    await insertItems(trx, [
      {
        meeting_id: meetingId,
        position,
        kind: 'other',
        action_id: null,
        evidence_item_id: null,
        question_id: null,
        organisation_id: null,
        title: command.title,
        created_at: time.toISOString(),
      },
    ]);
    await auditMeeting(
      trx,
      actor,
      reviewId,
      meetingId,
      { action: 'item_added', after: { title: command.title } },
      time,
    );
  });
}
