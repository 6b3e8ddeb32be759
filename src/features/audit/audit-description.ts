import { ratingName, type Rating } from '../../domain/ratings.ts';
import { capitalise, humanise } from './audit-changes.ts';

/*
 * Audit events in plain English. An event is stored as a kind of record (entity_type), what
 * happened to it (action) and the fields before and after, as JSON. Readers see a sentence
 * ("Added evidence "Audit report"") and a small table of the fields (audit-changes.ts), never
 * the JSON itself. Features write their own words for entity_type and action; the usual
 * spellings of each are folded together here, and anything unknown still reads as a sentence.
 */

type Fields = Record<string, unknown>;

export interface EventFacts {
  entityType: string;
  action: string;
  before: unknown;
  after: unknown;
}

const ENTITY_ALIASES: Record<string, string> = {
  progress_update: 'progress',
  progressupdate: 'progress',
  evidence_item: 'evidence',
  rating_event: 'rating',
  rating_challenge: 'challenge',
  recommendation_group: 'group',
  member: 'membership',
  plan_version: 'version',
  api_token: 'token',
  account: 'user',
};

const ACTION_ALIASES: Record<string, string> = {
  create: 'created',
  added: 'created',
  add: 'created',
  inserted: 'created',
  posted: 'created',
  update: 'updated',
  changed: 'updated',
  edited: 'updated',
  deleted: 'removed',
  delete: 'removed',
  unarchived: 'restored',
  reordered: 'moved',
  'moved up': 'moved',
  'moved down': 'moved',
};

export function entityKind(entityType: string): string {
  const key = entityType
    .trim()
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
  return ENTITY_ALIASES[key] ?? key;
}

function actionKind(action: string): string {
  const key = action
    .trim()
    .toLowerCase()
    .replace(/[._-]+/g, ' ');
  return ACTION_ALIASES[key] ?? key;
}

function asFields(value: unknown): Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
}

/** The first of the named fields that holds text or a number, from after, then before. */
function pick(facts: EventFacts, ...names: string[]): string | null {
  for (const source of [asFields(facts.after), asFields(facts.before)]) {
    for (const name of names) {
      const v = source[name];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      if (typeof v === 'number') return String(v);
    }
  }
  return null;
}

const RATINGS = new Set(['blue', 'green', 'amber', 'red']);

function ratingOf(facts: EventFacts): string | null {
  const r = pick(facts, 'rating', 'agreed', 'proposed', 'proposedRating', 'proposed_rating')?.toLowerCase();
  return r && RATINGS.has(r) ? ratingName(r as Rating) : null;
}

function quoted(text: string | null): string {
  return text ? ` "${text}"` : '';
}

/** "an action" and "the action", or a name when the event carries one ("recommendation 1.1"). */
function nounsFor(kind: string, facts: EventFacts): { a: string; the: string } {
  const same = (s: string) => ({ a: s, the: s });
  switch (kind) {
    case 'action':
      return { a: 'an action', the: 'the action' };
    case 'recommendation': {
      const n = pick(facts, 'number');
      return n ? same(`recommendation ${n}`) : { a: 'a recommendation', the: 'the recommendation' };
    }
    case 'finding': {
      const n = pick(facts, 'number');
      return n ? same(`finding ${n}`) : { a: 'a finding', the: 'the finding' };
    }
    case 'group': {
      const n = pick(facts, 'number');
      return n ? same(`recommendation group ${n}`) : { a: 'a recommendation group', the: 'the recommendation group' };
    }
    case 'review':
      return { a: 'the review', the: 'the review details' };
    case 'progress':
      return { a: 'a progress update', the: 'a progress update' };
    case 'evidence':
      return same(`evidence${quoted(pick(facts, 'title'))}`);
    case 'rating':
      return { a: 'a rating', the: 'the rating' };
    case 'challenge':
      return { a: 'a challenge to a rating', the: 'a challenge to a rating' };
    case 'membership':
      return { a: 'a member', the: "a member's role" };
    case 'organisation': {
      const name = pick(facts, 'name');
      return name ? same(`the organisation ${name}`) : { a: 'an organisation', the: 'the organisation' };
    }
    case 'user':
      return { a: 'a user account', the: 'a user account' };
    case 'version': {
      const n = pick(facts, 'number');
      return n ? same(`version ${n} of the plan`) : { a: 'a version of the plan', the: 'a version of the plan' };
    }
    case 'token':
      return { a: 'an API token', the: 'an API token' };
    default: {
      const words = humanise(kind).toLowerCase();
      return { a: `a ${words}`, the: `the ${words}` };
    }
  }
}

/** One plain-English sentence saying what the event did. */
export function describeEvent(facts: EventFacts): string {
  const kind = entityKind(facts.entityType);
  const action = actionKind(facts.action);
  const noun = nounsFor(kind, facts);
  const rating = ratingOf(facts);

  if (kind === 'progress' && action === 'created') return 'Posted a progress update';
  if (kind === 'review' && action === 'created') return 'Created the review';
  if (kind === 'review' && action === 'demo loaded') return 'Loaded the demo review';
  if (kind === 'review' && action === 'moved in') return 'Moved the review in from another Clasp';
  if (kind === 'user' && (action === 'signed in' || action === 'signed out')) return capitalise(action);
  if (kind === 'version' && (action === 'created' || action === 'issued')) return `Issued ${noun.a}`;
  if (kind === 'token' && action === 'revoked') return 'Revoked an API token';

  if (kind === 'evidence') {
    const status = action === 'updated' ? pick(facts, 'status') : null;
    if (action === 'accepted' || status === 'accepted') return `Accepted ${noun.a}`;
    if (action === 'rejected' || status === 'rejected') return `Rejected ${noun.a}`;
  }

  if (kind === 'rating' || kind === 'challenge') {
    const ratingKind =
      kind === 'challenge' ? 'challenged' : action === 'created' ? (pick(facts, 'kind') ?? action) : action;
    const which = rating ? ` ${rating}` : '';
    if (ratingKind === 'agreed') return `Agreed the rating${which}`;
    if (ratingKind === 'proposed') return `Proposed the rating${which}`;
    if (ratingKind === 'challenged') return `Challenged the proposed rating${which}`;
  }

  if (action === 'moved') {
    const direction = pick(facts, 'direction') ?? /\b(up|down)\b/.exec(facts.action.toLowerCase())?.[1] ?? null;
    return `Moved ${noun.the}${direction === 'up' || direction === 'down' ? ` ${direction}` : ''}`;
  }

  switch (action) {
    case 'created':
      return `Added ${noun.a}`;
    case 'updated':
      return `Changed ${noun.the}`;
    case 'archived':
      return `Archived ${noun.the}`;
    case 'restored':
      return `Restored ${noun.the}`;
    case 'removed':
      return `Removed ${noun.the}`;
    case 'withdrawn':
      return `Withdrew ${noun.the}`;
    default:
      return `${capitalise(humanise(facts.action))}: ${noun.the}`;
  }
}
