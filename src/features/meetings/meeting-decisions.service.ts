import type { Trx } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { recordAudit } from '../../platform/audit.ts';
import { failpoint } from '../../platform/failpoints.ts';
import { FormInvalid, formInput, parseForm } from '../../platform/form-schema.ts';
import { FormErrors } from '../../platform/forms.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { MinutesRecord } from '../../domain/meeting-records.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { ratingName } from '../../domain/ratings.ts';
import { readRatingDecision, writeRatingDecision } from '../actions/rating/rating.service.ts';
import { readEvidenceDecision, writeEvidenceDecision } from '../actions/evidence/decision.service.ts';
import { readDueDateDecision, writeDueDateDecision } from '../actions/due-dates/due-dates.service.ts';
import type { AppContext } from '../context.ts';
import {
  insertRequest,
  listActionLeads,
  listItems,
  listMeetings,
  updateItem,
  updateMeeting,
  type ItemRow,
  type MeetingRow,
} from './meetings.repository.ts';
import { itemForm, requestDueForm, type ItemDecision } from './meetings.forms.ts';
import {
  auditMeeting,
  auditOf,
  digestOf,
  getMeetingAccess,
  lockOpenMeeting,
  markMinutesDraft,
  meetingName,
  refuseIfFrozen,
  requireChair,
} from './meeting-access.service.ts';
import { meetingWithDraftMinutes } from './meeting-agenda.service.ts';
import { draftMinutes } from './meeting-records.service.ts';

/*
 * The chair's decisions on a meeting's agenda, sent together (docs/meetings.md). Each decision is
 * read with the same form and rules as the action's own page, then all are written in ONE
 * transaction through the same write functions, which record the meeting on the decision row and
 * in its audit event. If any item is refused nothing is written: each problem is reported against
 * its item (field item-<id>-<field>) and the chair's entries are shown again.
 */

/** One agenda item's entries: decision, reason, rating, rationale, overrideReason, version, request… */
export interface ItemEntries {
  itemId: number;
  fields: Record<string, unknown>;
}

/** A page's item-<id>-<field> fields as one record per item (date boxes already gathered). */
export function entriesFromPage(body: unknown): ItemEntries[] {
  const byItem = new Map<number, Record<string, unknown>>();
  for (const [key, value] of Object.entries(formInput(body))) {
    const match = /^item-(\d{1,9})-(.+)$/.exec(key);
    if (!match?.[1] || !match[2]) continue;
    const itemId = Number(match[1]);
    const fields = byItem.get(itemId) ?? {};
    fields[match[2]] = value;
    byItem.set(itemId, fields);
  }
  return [...byItem].map(([itemId, fields]) => ({ itemId, fields }));
}

/** The API's {items: [{itemId, decision, …}]} as the same records. */
export function entriesFromJson(body: unknown): ItemEntries[] {
  const items = body && typeof body === 'object' && 'items' in body ? body.items : null;
  if (!Array.isArray(items)) throw FormInvalid.of('items', 'Send items: a list of {itemId, decision, …}');
  return items.flatMap((raw: unknown) => {
    if (!raw || typeof raw !== 'object') return [];
    const { itemId, ...fields } = raw as Record<string, unknown>;
    return typeof itemId === 'number' ? [{ itemId, fields }] : [];
  });
}

/** The decisions each kind of item can take. */
export function decisionsFor(item: Pick<ItemRow, 'kind' | 'action_id'>): ItemDecision[] {
  const request: ItemDecision[] = item.action_id === null ? [] : ['request'];
  switch (item.kind) {
    case 'evidence':
      return ['accept', 'reject', ...request, 'defer', 'note'];
    case 'rating':
      return ['agree', 'challenge', ...request, 'defer', 'note'];
    case 'due_date':
      return ['agree', 'refuse', ...request, 'defer', 'note'];
    case 'minutes':
      return ['approve', 'defer'];
    default:
      return [...request, 'defer', 'note'];
  }
}

type Checked =
  | { item: ItemRow; kind: 'evidence'; write: (trx: Trx) => Promise<string> }
  | { item: ItemRow; kind: 'other'; write: (trx: Trx) => Promise<string> };

/** Reports a refusal of one item against that item's fields. */
function addItemErrors(errors: FormErrors, itemId: number, error: unknown): void {
  if (error instanceof FormInvalid) {
    for (const [field, message] of Object.entries(error.errors.fields)) errors.add(`item-${itemId}-${field}`, message);
    if (error.stale) errors.add(`item-${itemId}-decision`, error.stale.message);
  } else if (error instanceof ForbiddenError || error instanceof NotFoundError) {
    errors.add(`item-${itemId}-decision`, error.message);
  } else {
    throw error;
  }
}

export interface MeetingDecisions {
  decided: number;
}

/**
 * Records the chair's decisions on the agenda, all or nothing. Evidence is decided first, so a
 * rating agreed at the same meeting counts the evidence accepted there, as it would on the
 * action's own pages one after the other.
 */
export async function decideAtMeeting(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  entries: readonly ItemEntries[],
): Promise<MeetingDecisions> {
  const { meeting } = await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireChair(actor, reviewId);
  refuseIfFrozen(meeting);
  const items = (await listItems(ctx.db, meetingId)).filter((i) => i.removed_at === null);
  const leads = await listActionLeads(ctx.db, reviewId);
  const meetings = await listMeetings(ctx.db, reviewId);
  const errors = new FormErrors();
  const checked: Checked[] = [];
  const accepting = new Set(
    items
      .filter((i) => i.kind === 'evidence' && entries.find((e) => e.itemId === i.id)?.fields.decision === 'accept')
      .map((i) => i.action_id),
  );

  for (const item of items) {
    const fields = entries.find((e) => e.itemId === item.id)?.fields ?? {};
    try {
      const base = await parseForm(itemForm({ today: ctx.today(), allowed: decisionsFor(item) }), fields);
      const decision = base.decision;
      if (decision === '') continue;
      checked.push(
        await checkDecision(ctx, actor, {
          reviewId,
          meeting,
          meetings,
          item,
          decision,
          fields,
          leads,
          base,
          accepting,
        }),
      );
    } catch (error) {
      addItemErrors(errors, item.id, error);
    }
  }
  for (const e of entries) {
    if (!items.some((i) => i.id === e.itemId))
      errors.add(`item-${e.itemId}-decision`, 'This item is not on the agenda');
  }
  if (errors.any) throw new FormInvalid(errors);
  if (!checked.length) throw FormInvalid.of('form', 'Select a decision for at least one item');

  const time = ctx.now();
  const ordered = [...checked.filter((c) => c.kind === 'evidence'), ...checked.filter((c) => c.kind !== 'evidence')];
  await ctx.db.transaction().execute(async (trx) => {
    const current = await lockOpenMeeting(trx, reviewId, meetingId);
    const written = new FormErrors();
    for (const c of ordered) {
      try {
        await c.write(trx);
        await failpoint('meeting-decisions');
      } catch (error) {
        addItemErrors(written, c.item.id, error);
      }
    }
    if (written.any) throw new FormInvalid(written, { status: 409 });
    await markMinutesDraft(trx, current, time.toISOString());
    const after = { items: ordered.map((c) => c.item.title) };
    await auditMeeting(trx, actor, reviewId, meetingId, { action: 'decisions', after }, time);
  });
  return { decided: checked.length };
}

interface DecisionInput {
  reviewId: number;
  meeting: MeetingRow;
  meetings: MeetingRow[];
  item: ItemRow;
  decision: ItemDecision;
  fields: Record<string, unknown>;
  leads: Awaited<ReturnType<typeof listActionLeads>>;
  base: { request: string; note: string };
  /** Actions whose evidence this batch accepts. */
  accepting: Set<number | null>;
}

/** Reads one item's decision as the action's own form would, and returns the write that records it. */
async function checkDecision(ctx: AppContext, actor: Actor, input: DecisionInput): Promise<Checked> {
  const { reviewId, meeting, item, decision, fields, base } = input;
  const outcome = async (trx: Trx, kind: 'decided' | 'deferred' | 'noted', note: string) => {
    await updateItem(trx, meeting.id, item.id, { outcome: kind, outcome_note: note });
    return note;
  };
  if (decision === 'defer') return { item, kind: 'other', write: (trx) => outcome(trx, 'deferred', base.note) };
  if (decision === 'note') return { item, kind: 'other', write: (trx) => outcome(trx, 'noted', base.note) };

  if (decision === 'request') {
    const { requestDue } = await parseForm(requestDueForm, fields);
    const actionId = item.action_id ?? 0;
    const lead = input.leads.find((l) => l.id === actionId);
    return {
      item,
      kind: 'other',
      write: async (trx) => {
        const owner = lead?.lead_user_name ?? (lead?.lead_text || 'The action lead');
        const requestId = await insertRequest(trx, {
          review_id: reviewId,
          meeting_id: meeting.id,
          action_id: actionId,
          text: base.request,
          owner_user_id: lead?.lead_user_id ?? null,
          owner_name: owner,
          due_on: requestDue,
          created_by_name: actor.name,
          created_at: ctx.now().toISOString(),
        });
        await recordAudit(
          trx,
          {
            ...auditOf(actor, reviewId),
            actionId,
            entityType: 'meeting_request',
            entityId: requestId,
            action: 'created',
            after: { meeting_id: meeting.id, text: base.request, owner, due_on: requestDue },
          },
          ctx.now(),
        );
        return outcome(trx, 'decided', `More evidence requested from ${owner} by ${formatLongDate(requestDue)}`);
      },
    };
  }

  if (item.kind === 'evidence' && (decision === 'accept' || decision === 'reject')) {
    const evidenceId = item.evidence_item_id ?? 0;
    const { access, command } = await readEvidenceDecision(ctx, actor, reviewId, evidenceId, {
      decision,
      reason: fields.reason,
      version: fields.version,
    });
    return {
      item,
      kind: 'evidence',
      write: async (trx) => {
        await writeEvidenceDecision(ctx, trx, actor, access, evidenceId, command, meeting.id);
        return outcome(trx, 'decided', decision === 'accept' ? 'Evidence accepted' : 'Evidence rejected');
      },
    };
  }

  if (item.kind === 'rating' && (decision === 'agree' || decision === 'challenge')) {
    const { access, command } = await readRatingDecision(
      ctx,
      actor,
      reviewId,
      item.action_id ?? 0,
      {
        decision,
        rating: fields.rating,
        rationale: fields.rationale,
        overrideReason: fields.overrideReason,
      },
      { evidenceAcceptedWithIt: input.accepting.has(item.action_id) },
    );
    return {
      item,
      kind: 'other',
      write: async (trx) => {
        const result = await writeRatingDecision(ctx, trx, actor, access, command, meeting.id);
        const words =
          result.kind === 'agreed'
            ? `Rating agreed: ${ratingName(result.rating)}`
            : `Proposed rating challenged: ${ratingName(result.rating)}`;
        return outcome(trx, 'decided', words);
      },
    };
  }

  if (item.kind === 'due_date' && (decision === 'agree' || decision === 'refuse')) {
    const { access, command } = await readDueDateDecision(ctx, actor, reviewId, item.action_id ?? 0, {
      decision,
      reason: fields.reason,
    });
    return {
      item,
      kind: 'other',
      write: async (trx) => {
        const result = await writeDueDateDecision(ctx, trx, actor, access, command, meeting.id);
        return outcome(trx, 'decided', `Revised due date ${result.decision}`);
      },
    };
  }

  if (item.kind === 'minutes' && decision === 'approve') {
    const drafted = meetingWithDraftMinutes(input.meetings, meeting);
    if (!drafted) throw FormInvalid.of('decision', 'There are no draft minutes of an earlier meeting to approve');
    const review = (await getMeetingAccess(ctx, actor, reviewId, drafted.id)).review;
    const minutes = await draftMinutes(ctx, review, drafted);
    return {
      item,
      kind: 'other',
      write: async (trx) => {
        await approveMinutes(ctx, trx, actor, drafted, meeting, minutes);
        return outcome(trx, 'decided', `Minutes of the ${meetingName(drafted)} approved`);
      },
    };
  }
  throw FormInvalid.of('decision', 'Select a decision this item can take');
}

/**
 * Freezes a meeting's minutes as approved at a later meeting: the record as approved (JSON) and
 * its SHA-256 are stored, like an issued version; from then on documents come from the snapshot.
 */
async function approveMinutes(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  drafted: MeetingRow,
  approving: MeetingRow,
  minutes: MinutesRecord,
): Promise<void> {
  const approved = await lockOpenMeeting(trx, drafted.review_id, drafted.id, 'decision');
  if (approved.minutes_status !== 'draft' || approved.starts_at >= approving.starts_at) {
    throw FormInvalid.of('decision', 'These minutes can no longer be approved at this meeting', 409);
  }
  const snapshot = JSON.stringify({ ...minutes, status: 'approved', approvedAt: meetingName(approving) });
  const sha256 = digestOf(snapshot);
  const now = ctx.now().toISOString();
  await updateMeeting(trx, drafted.id, {
    minutes_status: 'approved',
    minutes_approved_meeting_id: approving.id,
    minutes_approved_at: now,
    minutes_snapshot: snapshot,
    minutes_sha256: sha256,
    updated_at: now,
  });
  await auditMeeting(
    trx,
    actor,
    drafted.review_id,
    drafted.id,
    {
      action: 'minutes_approved',
      before: { minutes_status: 'draft' },
      after: { minutes_status: 'approved', meeting_id: approving.id, minutes_sha256: sha256 },
    },
    ctx.now(),
  );
}
