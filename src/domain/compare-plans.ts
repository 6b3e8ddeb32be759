// What changed between two snapshots of a plan, in the words users read: the comparison page
// and the board report's "what changed since the last board" both take this. Pure: snapshots
// in, plain data out. Items are matched by id, so renumbering or reordering an action is not
// mistaken for removing one and adding another. Either direction works; comparing a later
// snapshot with an earlier one simply reads the other way round.
import { formatDate } from './dates.ts';
import type { ActionRef, ComparedSide, FieldChange, PlanComparison } from './plan-comparison.ts';
import type { PlanSnapshot, SnapshotAction, SnapshotEvidence, SnapshotRecommendation } from './plan-snapshot.ts';

/** What an empty text or date reads as, as on the editing pages. */
const NOT_GIVEN = 'Not given';
/** What an empty list reads as. */
const NONE = 'None';

const EVIDENCE_STATUS_WORDS: Record<SnapshotEvidence['status'], string> = {
  submitted: 'Submitted, not yet decided',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

const showText = (value: string): string => value.trim() || NOT_GIVEN;

/** One field as users know it, and how its value reads in one snapshot. */
interface FieldSpec<T> {
  field: string;
  show: (item: T, snapshot: PlanSnapshot) => string;
  /** For fields holding ids: whether the item still points at the same things, whatever they are called now. */
  same?: (before: T, after: T) => boolean;
}

const RECOMMENDATION_FIELDS: FieldSpec<SnapshotRecommendation>[] = [
  { field: 'Number', show: (r) => showText(r.number) },
  { field: 'Recommendation', show: (r) => showText(r.text) },
  { field: 'Outcome', show: (r) => showText(r.outcome) },
  { field: 'Anticipated evidence', show: (r) => showText(r.anticipatedEvidence) },
  { field: 'Assurance', show: (r) => showText(r.assurance) },
  { field: 'Responsible officer', show: (r) => showText(r.responsibleOfficer) },
  // The plan prints these as "(See 4.1 4.2 4.6)": numbers separated by spaces.
  { field: 'Findings (See …)', show: (r) => r.findingNumbers.join(' ') || NONE },
];

const ACTION_FIELDS: FieldSpec<SnapshotAction>[] = [
  { field: 'Agency/service', show: (a) => showText(a.agency) },
  { field: 'SMART action', show: (a) => showText(a.action) },
  { field: 'Lead officer', show: (a) => showText(a.lead) },
  // The words as written ("Jan-16", "On-going") and the date derived from them are separate
  // fields: either can change without the other.
  { field: 'Date of action', show: (a) => showText(a.dateWords) },
  { field: 'Due date', show: (a) => formatDate(a.dueDate, NOT_GIVEN) },
  { field: 'How we will know', show: (a) => showText(a.measure) },
  { field: 'Assurance', show: (a) => showText(a.assurance) },
  // Compared by id: renaming an organisation, or renumbering a recommendation, changes
  // what every action shows without anyone touching the action.
  {
    field: 'Organisations',
    show: (a, s) => organisationNamesOf(s, a.organisationIds),
    same: (a, b) => sameIds(a.organisationIds, b.organisationIds),
  },
  {
    field: 'Recommendation',
    show: (a, s) => recommendationNumberOf(s, a.recommendationId) || NOT_GIVEN,
    same: (a, b) => a.recommendationId === b.recommendationId,
  },
];

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  const sorted = (ids: readonly number[]) => [...new Set(ids)].sort((x, y) => x - y).join(',');
  return sorted(a) === sorted(b);
}

function recommendationNumberOf(snapshot: PlanSnapshot, recommendationId: number): string {
  return snapshot.recommendations.find((r) => r.id === recommendationId)?.number ?? '';
}

/** Names as each snapshot knew them, in alphabetical order so the order they were picked in does not matter. */
function organisationNamesOf(snapshot: PlanSnapshot, ids: readonly number[]): string {
  const names = [...new Set(ids)].map(
    (id) => snapshot.organisations.find((o) => o.id === id)?.name ?? `Organisation ${id}`,
  );
  return names.sort((a, b) => a.localeCompare(b, 'en-GB')).join(', ') || NONE;
}

/** Values are compared as shown, so a difference nobody could see is not reported. */
function fieldChanges<T>(
  fields: readonly FieldSpec<T>[],
  before: T,
  beforeIn: PlanSnapshot,
  after: T,
  afterIn: PlanSnapshot,
): FieldChange[] {
  return fields.flatMap(({ field, show, same }) => {
    if (same?.(before, after)) return [];
    const change = { field, before: show(before, beforeIn), after: show(after, afterIn) };
    return change.before !== change.after ? [change] : [];
  });
}

function sideOf(snapshot: PlanSnapshot, label: string | undefined): ComparedSide {
  const version = snapshot.version;
  // A plan assessed as at an earlier date (the demo's 31 July 2016) says so on both sides, so
  // a heading never reads backwards from a version issued today to "now" years ago.
  const asAt = `as at ${formatDate(snapshot.asOf)}`;
  const takenOn = snapshot.takenAt.slice(0, 10);
  let defaultLabel: string;
  if (!version) defaultLabel = takenOn === snapshot.asOf ? `Now (${formatDate(snapshot.asOf)})` : `Now (${asAt})`;
  else if (!version.issuedOn) defaultLabel = `Version ${version.number}`;
  else if (version.issuedOn === snapshot.asOf)
    defaultLabel = `Version ${version.number} (${formatDate(version.issuedOn)})`;
  else defaultLabel = `Version ${version.number} (issued ${formatDate(version.issuedOn)}, ${asAt})`;
  return {
    label: label ?? defaultLabel,
    number: version?.number ?? null,
    takenAt: snapshot.takenAt,
    asOf: snapshot.asOf,
  };
}

function refOf(action: SnapshotAction, snapshot: PlanSnapshot): ActionRef {
  return {
    actionId: action.id,
    label: action.label,
    recommendationNumber: recommendationNumberOf(snapshot, action.recommendationId),
  };
}

function byId<T extends { id: number }>(items: readonly T[]): Map<number, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** "Accepted by Peer challenge group on 22 October 2015": who decided and when, where known. */
function evidenceDecisionWords(evidence: SnapshotEvidence): string {
  const words = EVIDENCE_STATUS_WORDS[evidence.status];
  if (evidence.status === 'submitted') return words;
  const by = evidence.statusBy ? ` by ${evidence.statusBy}` : '';
  const on = evidence.statusOn ? ` on ${formatDate(evidence.statusOn)}` : '';
  return `${words}${by}${on}`;
}

function compareRecommendations(from: PlanSnapshot, to: PlanSnapshot) {
  const before = byId(from.recommendations);
  const after = byId(to.recommendations);
  const summary = (r: SnapshotRecommendation) => ({ recommendationId: r.id, number: r.number, text: r.text });
  return {
    addedRecommendations: to.recommendations.filter((r) => !before.has(r.id)).map(summary),
    removedRecommendations: from.recommendations.filter((r) => !after.has(r.id)).map(summary),
    changedRecommendations: to.recommendations.flatMap((r) => {
      const old = before.get(r.id);
      const changes = old ? fieldChanges(RECOMMENDATION_FIELDS, old, from, r, to) : [];
      return changes.length ? [{ recommendationId: r.id, number: r.number, changes }] : [];
    }),
  };
}

function compareActions(from: PlanSnapshot, to: PlanSnapshot) {
  const before = byId(from.actions);
  const after = byId(to.actions);
  const summary = (a: SnapshotAction, snapshot: PlanSnapshot) => ({
    ...refOf(a, snapshot),
    action: a.action,
    agency: a.agency,
  });
  return {
    addedActions: to.actions.filter((a) => !before.has(a.id)).map((a) => summary(a, to)),
    removedActions: from.actions.filter((a) => !after.has(a.id)).map((a) => summary(a, from)),
    changedActions: to.actions.flatMap((a) => {
      const old = before.get(a.id);
      const changes = old ? fieldChanges(ACTION_FIELDS, old, from, a, to) : [];
      return changes.length ? [{ ...refOf(a, to), changes }] : [];
    }),
    // An action that arrives already rated counts as a rating change from no rating: a board
    // should see a new Green as much as a changed one (the Rutland panel asked about Greens
    // without evidence). A removed action is not: nobody rated it away, and it is listed
    // among the removed actions already.
    ratingChanges: to.actions.flatMap((a) => {
      const old = before.get(a.id);
      const previous = old ? old.rating : null;
      return previous === a.rating ? [] : [{ ...refOf(a, to), before: previous, after: a.rating }];
    }),
  };
}

/** Progress and evidence are matched by their own ids, so an entry counts once even if its action was added. */
function compareProgressAndEvidence(from: PlanSnapshot, to: PlanSnapshot) {
  const oldProgressIds = new Set(from.actions.flatMap((a) => a.progress.map((p) => p.id)));
  const oldEvidence = new Map(from.actions.flatMap((a) => a.evidence.map((e) => [e.id, e] as const)));
  return {
    newProgress: to.actions.flatMap((a) =>
      a.progress
        .filter((p) => !oldProgressIds.has(p.id))
        .map((p) => ({ ...refOf(a, to), progressId: p.id, on: p.on, text: p.text, author: p.author })),
    ),
    newEvidence: to.actions.flatMap((a) =>
      a.evidence
        .filter((e) => !oldEvidence.has(e.id))
        .map((e) => ({
          ...refOf(a, to),
          evidenceId: e.id,
          title: e.title,
          effectiveOn: e.effectiveOn,
          status: e.status,
        })),
    ),
    evidenceDecisions: to.actions.flatMap((a) =>
      a.evidence.flatMap((e) => {
        const old = oldEvidence.get(e.id);
        if (!old || old.status === e.status) return [];
        return [
          {
            ...refOf(a, to),
            evidenceId: e.id,
            title: e.title,
            before: evidenceDecisionWords(old),
            after: evidenceDecisionWords(e),
          },
        ];
      }),
    ),
  };
}

/**
 * What changed from one snapshot to another. Labels default to "Version 3 (14 July 2015)" or
 * "Now (30 November 2026)".
 */
export function comparePlans(
  from: PlanSnapshot,
  to: PlanSnapshot,
  labels: { from?: string; to?: string } = {},
): PlanComparison {
  const lists = {
    ...compareRecommendations(from, to),
    ...compareActions(from, to),
    ...compareProgressAndEvidence(from, to),
  };
  const unchanged = Object.values(lists).every((list) => list.length === 0);
  return { from: sideOf(from, labels.from), to: sideOf(to, labels.to), ...lists, unchanged };
}
