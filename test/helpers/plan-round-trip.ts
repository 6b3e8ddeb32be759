// For the tests of the Excel and CSV writers: the demo plan's snapshot, and what the plan
// importer should read back from an export of a snapshot, field by field.
import { readFileSync } from 'node:fs';
import { formatLongDate } from '../../src/domain/dates.ts';
import { readDateWords } from '../../src/domain/date-words.ts';
import type { PlanDraft } from '../../src/features/imports/drafts.ts';
import type { PlanSnapshot, SnapshotEvidence } from '../../src/domain/plan-snapshot.ts';

/** A fresh copy each call, so a test may change it. */
export const demoSnapshot = () =>
  JSON.parse(readFileSync('test/fixtures/snapshots/rotherham-demo.json', 'utf8')) as PlanSnapshot;

export function expectedImport(s: PlanSnapshot) {
  const organisations = new Map(s.organisations.map((o) => [o.id, o.name]));
  return s.recommendations.map((r) => ({
    number: r.number,
    text: r.text,
    findings: r.findingNumbers,
    outcomes: r.outcome === '' ? [] : [r.outcome],
    anticipatedEvidence: r.anticipatedEvidence === '' ? null : r.anticipatedEvidence,
    actions: s.actions
      .filter((a) => a.recommendationId === r.id)
      .map((a) => ({
        text: a.action,
        agency: a.agency || null,
        lead: a.lead || null,
        responsibleOfficer: r.responsibleOfficer || null,
        assurance: a.assurance || null,
        measure: a.measure || null,
        due: a.dateWords === '' ? null : { text: a.dateWords, date: dueDateInFile(a) },
        rating: a.rating,
        // The importer keeps each entry's date label in its text, as plans write it.
        progress: a.progress.map((p) => ({ date: p.on, text: `${formatLongDate(p.on)} – ${p.text}` })),
        agreement:
          a.ratingStatus === 'none'
            ? null
            : { status: a.ratingStatus, by: a.agreedBy, on: a.agreedOn, disputed: a.disputed },
        takingPart: a.organisationIds.flatMap((id) => organisations.get(id) ?? []),
        evidence: a.evidence.map(evidenceInFile),
      })),
  }));
}

/** An evidence item as the importer reads it back from an exported plan: a file as a note naming it. */
export function evidenceInFile(e: SnapshotEvidence) {
  return {
    kind: e.kind === 'link' ? 'link' : 'note',
    title: e.title,
    effectiveOn: e.effectiveOn,
    periodStart: e.periodStart ?? null,
    url: e.kind === 'link' ? e.url : null,
    note:
      e.kind === 'file'
        ? `File in the exported plan: ${e.fileName ?? ''}${e.sha256 ? ` (sha256 ${e.sha256})` : ''}`
        : e.note,
    status: e.status,
    reason: e.statusReason,
    decidedBy: e.statusBy,
    decidedOn: e.statusOn,
    addedBy: e.addedBy,
  };
}

/**
 * The due date a written plan gives when read on its own: the action's, or else the day its date
 * words name. Words naming a day before the review began ("Safeguarding PLT 6 November 2014")
 * give the action no due date in its review, but a file read without its review cannot know
 * that: the import into a review drops such a date (plan-import.ts).
 */
export function dueDateInFile(a: { dateWords: string; dueDate: string | null }): string | null {
  return a.dueDate ?? readDateWords(a.dateWords).date;
}

/** A draft's recommendations without what only the preview uses (group, source). */
export function imported(draft: PlanDraft) {
  return draft.recommendations.map(({ group: _group, actions, ...r }) => ({
    ...r,
    actions: actions.map(({ source: _source, ...a }) => a),
  }));
}
