// The plan as one table, one row per action, shared by the Excel sheet and the CSV file.
//
// The headers are chosen so that Clasp's own plan importer (imports/plan/columns.ts) reads
// each column it imports for what it is, and leaves the rest alone: the importer takes a row
// as the heading row only when two in three of its headers name a field it knows, and every
// column it recognises is imported. So the date cell is headed "Complete by" (a header naming
// a date would be joined to the date words), the organisations "Taking part" (a header naming
// organisations would be joined to the agency). The importer reads "Taking part", "Evidence
// items", "Rating status", "Rating agreed by" and "Rating agreed on" back into the plan by
// those exact headings, and knows the columns it works out for itself ("Times moved", "Rating
// basis: accepted evidence" …) and leaves them alone without a warning (columns.ts).
import { formatLongDate } from '../../../domain/dates.ts';
import { evidenceLine } from '../../../domain/evidence-lines.ts';
import { LASTING_ASSURANCE_NAMES, type LastingAssuranceState } from '../../../domain/lasting-assurance.ts';
import { RATING_NAMES, ratingLabel, type Rating, type RatingScale } from '../../../domain/ratings.ts';
import {
  agreedAtWords,
  dueDateHistoryOf,
  snapshotLastingAssurance,
  type PlanSnapshot,
  type SnapshotAction,
  type SnapshotEvidence,
  type SnapshotGroup,
  type SnapshotRecommendation,
} from '../../../domain/plan-snapshot.ts';

/** One cell of the table, typed so each format can write it its own way. */
export type PlanValue =
  | { kind: 'text'; text: string }
  /** A calendar day, YYYY-MM-DD, or null for an empty cell. */
  | { kind: 'date'; date: string | null }
  | { kind: 'count'; count: number }
  | { kind: 'rating'; rating: Rating | null; words: string };

/** Everything one row draws on. */
export type ActionContext = {
  action: SnapshotAction;
  recommendation: SnapshotRecommendation | null;
  group: SnapshotGroup | null;
  organisationNames: string[];
  exceptionReasons: string[];
  scale: RatingScale;
  /** Where a completed action's assurance stands on the snapshot's day; 'not_complete' when it cannot say. */
  lasting: LastingAssuranceState;
};

export type PlanTableColumn = {
  header: string;
  /** Width in Excel's character units. */
  width: number;
  value: (row: ActionContext) => PlanValue;
};

export type PlanTable = { columns: PlanTableColumn[]; rows: PlanValue[][] };

const text = (value: string | null | undefined): PlanValue => ({ kind: 'text', text: value ?? '' });
const date = (value: string | null | undefined): PlanValue => ({ kind: 'date', date: value ?? null });

/** "(See 3.3 3.4 3.5)", as the plan prints the findings behind a recommendation. */
export function seeList(findingNumbers: readonly string[]): string {
  return findingNumbers.length === 0 ? '' : `(See ${findingNumbers.join(' ')})`;
}

/**
 * Every progress entry on a line of its own, each starting with its date and a dash
 * ("14 July 2015 – …"): the form the importer splits back into dated entries (cells.ts,
 * splitProgress).
 */
export function progressLines(action: SnapshotAction): string {
  return action.progress.map((p) => `${progressLabel(p)}${p.text}`).join('\n');
}

/**
 * "14 July 2015 – ", unless the entry's own words already start with that date: an entry that
 * came in from an exported plan keeps its label (the importer keeps entries as written), and
 * exporting it again must not date it twice.
 */
export function progressLabel(entry: { on: string; text: string }): string {
  const date = formatLongDate(entry.on);
  return new RegExp(`^${date}\\s*[–—-]`).test(entry.text) ? '' : `${date} – `;
}

/** An evidence item in the one-line form the importer reads back (domain/evidence-lines.ts). */
export function evidenceItemLine(item: SnapshotEvidence): string {
  return evidenceLine({
    kind: item.kind,
    title: item.title,
    effectiveOn: item.effectiveOn,
    periodStart: item.periodStart ?? null,
    fileName: item.fileName,
    sha256: item.sha256,
    url: item.url,
    note: item.note,
    status: item.status,
    statusReason: item.statusReason,
    statusBy: item.statusBy,
    statusOn: item.statusOn,
    addedBy: item.addedBy,
  });
}

/** Every evidence item of the action, one a line, oldest first. */
export function evidenceLines(action: SnapshotAction): string {
  return action.evidence.map(evidenceItemLine).join('\n');
}

export function lastProgressOn(action: SnapshotAction): string | null {
  return action.progress.reduce<string | null>((latest, p) => (latest === null || p.on > latest ? p.on : latest), null);
}

/** The rating's standing in words: whether it was agreed or only proposed, and whether it is disputed. */
export function ratingStatusWords(action: SnapshotAction): string {
  const base =
    action.ratingStatus === 'agreed' ? 'Agreed' : action.ratingStatus === 'proposed' ? 'Proposed' : RATING_NAMES.none;
  return action.disputed ? `${base} (disputed)` : base;
}

export function acceptedEvidence(action: SnapshotAction): number {
  return action.evidence.filter((e) => e.status === 'accepted').length;
}

/** How often the agreed due date moved; empty for a version frozen before moves were kept. */
function movesValue(action: SnapshotAction): PlanValue {
  const { moves } = dueDateHistoryOf(action);
  return moves === null ? text('') : { kind: 'count', count: moves };
}

/** The columns in plan order: the recommendation first, then the action, its rating and its record. */
export function planTableColumns(scale: RatingScale): PlanTableColumn[] {
  return [
    { header: 'Recommendation number', width: 14, value: (r) => text(r.recommendation?.number) },
    { header: 'Recommendation', width: 50, value: (r) => text(r.recommendation?.text) },
    { header: 'Addressed to', width: 30, value: (r) => text(r.group?.heading) },
    { header: 'Findings (See …)', width: 16, value: (r) => text(seeList(r.recommendation?.findingNumbers ?? [])) },
    { header: 'Outcome', width: 40, value: (r) => text(r.recommendation?.outcome) },
    { header: 'Anticipated evidence', width: 40, value: (r) => text(r.recommendation?.anticipatedEvidence) },
    { header: 'Responsible officer', width: 24, value: (r) => text(r.recommendation?.responsibleOfficer) },
    { header: 'Label', width: 18, value: (r) => text(r.action.label) },
    { header: 'Agency/service', width: 24, value: (r) => text(r.action.agency) },
    { header: 'Taking part', width: 30, value: (r) => text(r.organisationNames.join('\n')) },
    { header: 'SMART action', width: 60, value: (r) => text(r.action.action) },
    { header: 'Lead officer', width: 26, value: (r) => text(r.action.lead) },
    { header: 'Date of action', width: 20, value: (r) => text(r.action.dateWords) },
    { header: 'Complete by', width: 18, value: (r) => date(r.action.dueDate) },
    // Named so the plan importer reads neither as the due date: it imports the agreed one above.
    { header: 'Originally agreed', width: 18, value: (r) => date(dueDateHistoryOf(r.action).original) },
    { header: 'Times moved', width: 10, value: (r) => movesValue(r.action) },
    { header: 'Measure (how we will know)', width: 40, value: (r) => text(r.action.measure) },
    { header: 'Assurance', width: 40, value: (r) => text(r.action.assurance) },
    {
      header: `${scale} rating`,
      width: 22,
      value: (r) => ({ kind: 'rating', rating: r.action.rating, words: ratingLabel(r.scale, r.action.rating) }),
    },
    { header: 'Rating status', width: 14, value: (r) => text(ratingStatusWords(r.action)) },
    { header: 'Rating agreed by', width: 24, value: (r) => text(r.action.agreedBy) },
    { header: 'Rating agreed on', width: 18, value: (r) => date(r.action.agreedOn) },
    {
      header: 'Rating agreed at',
      width: 30,
      value: (r) => text(r.action.agreedAt ? agreedAtWords(r.action.agreedAt) : ''),
    },
    { header: 'Rating: lasting assurance', width: 24, value: (r) => text(lastingWords(r.lasting)) },
    { header: 'Rating: fresh evidence due', width: 18, value: (r) => date(r.action.reassuranceDueOn ?? null) },
    {
      header: 'Rating basis: accepted evidence',
      width: 16,
      value: (r) => ({ kind: 'count', count: acceptedEvidence(r.action) }),
    },
    { header: 'Progress', width: 70, value: (r) => text(progressLines(r.action)) },
    // Not "Evidence" alone: other plans head their progress column so, and the importer reads it as progress.
    { header: 'Evidence items', width: 70, value: (r) => text(evidenceLines(r.action)) },
    { header: 'Last updated', width: 18, value: (r) => date(lastProgressOn(r.action)) },
    { header: 'Exceptions', width: 40, value: (r) => text(r.exceptionReasons.join('\n')) },
  ];
}

/** Each action with the recommendation, group, organisations and exceptions it is shown with, in plan order. */
export function actionContexts(snapshot: PlanSnapshot): ActionContext[] {
  const recommendations = new Map(snapshot.recommendations.map((r) => [r.id, r]));
  const groups = new Map(snapshot.groups.map((g) => [g.id, g]));
  const organisations = new Map(snapshot.organisations.map((o) => [o.id, o.name]));
  const reasons = new Map<number, string[]>();
  for (const e of snapshot.exceptions) {
    if (e.subjectType !== 'action') continue;
    reasons.set(e.subjectId, [...(reasons.get(e.subjectId) ?? []), e.reason]);
  }
  return snapshot.actions.map((action) => {
    const recommendation = recommendations.get(action.recommendationId) ?? null;
    return {
      action,
      recommendation,
      group: recommendation ? (groups.get(recommendation.groupId) ?? null) : null,
      organisationNames: action.organisationIds.flatMap((id) => organisations.get(id) ?? []),
      exceptionReasons: reasons.get(action.id) ?? [],
      scale: snapshot.review.ratingScale,
      lasting: snapshotLastingAssurance(snapshot, action) ?? 'not_complete',
    };
  });
}

/** Only a completed action has lasting assurance to speak of; the cell is empty for the rest. */
export function lastingWords(state: LastingAssuranceState): string {
  return state === 'not_complete' ? '' : LASTING_ASSURANCE_NAMES[state];
}

/** The whole table: its columns and one row of values per action. */
export function planTable(snapshot: PlanSnapshot): PlanTable {
  const columns = planTableColumns(snapshot.review.ratingScale);
  const rows = actionContexts(snapshot).map((context) => columns.map((column) => column.value(context)));
  return { columns, rows };
}
