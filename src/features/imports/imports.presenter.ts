import type { z } from 'zod';
import { plural } from '../../domain/words.ts';
import { formatDate } from '../../domain/dates.ts';
import { dateBoxes, dateInputFrom, fieldText, type FieldValues } from '../../platform/forms.ts';
import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { ORGANISATION_KIND_NAMES } from '../../domain/organisations.ts';
import { PLAN_FIELDS, planJson, reportJson, type PlanColumn, type PlanField } from './drafts.ts';
import {
  ACCEPT_MISMATCH_FIELD,
  AGENCY_AS_READ,
  AGENCY_NONE,
  agencyFieldName,
  columnFieldName,
  IMPORT_FIELD,
} from './imports.forms.ts';
import { mismatchWarning } from './plan-fit.ts';
import type { ConfirmResult, ImportView, listReviewImports, revertPreview } from './imports.service.ts';
import type { RevertCounts } from './import-revert.repository.ts';
import type { ImportRow } from './imports.repository.ts';
import type {
  confirmedSchema,
  discardedSchema,
  importSchema,
  readingSchema,
  revertedSchema,
  startedPlanSchema,
  startedReportSchema,
} from './imports.schemas.ts';
import type { ReportImportResult } from './report-import.ts';
import { noChanges, type PlanChanges } from './plan-import.ts';

/* Imports -> what the upload and preview pages show, and what the API answers. */

/** What each plan field means, in the words of the plans' own headings. */
export const FIELD_LABELS: Record<PlanField, string> = {
  number: 'Recommendation number',
  recommendation: 'Recommendation',
  action: 'Action',
  outcome: 'Outcome of the recommendation',
  agency: 'Agency or service',
  lead: 'Lead officer',
  responsibleOfficer: 'Responsible officer',
  due: 'By when (date of action)',
  assurance: 'Assurance',
  measure: 'How we will know it is complete',
  rating: 'Rating (RAG or BRAG)',
  progress: 'Progress and evidence',
  anticipatedEvidence: 'Anticipated evidence',
  findings: 'Findings (See …)',
  dueDate: 'Due date (a date on its own, beside the date words)',
  evidence: 'Evidence items (one a line, as Clasp exports them)',
  takingPart: 'Organisations taking part',
  addressedTo: "Recommendation group's heading (addressed to)",
  ratingStatus: 'Rating status (agreed or proposed, disputed)',
  agreedBy: 'Rating agreed by',
  agreedOn: 'Rating agreed on',
  ignore: 'Not used: leave this column out',
};

const ROLE_WORDS = {
  provider: 'Provider covered by the review',
  commissioner: 'Commissioner covered by the review',
  addressee: 'Named in a recommendation group',
};

export const REPORT_ACCEPT = '.pdf,.docx,.html,.htm,.txt,.md';
export const PLAN_ACCEPT = '.docx,.xlsx,.csv';

/**
 * A refused form's problems: the summary at the top and each field's own message. The date
 * links to its day box; a problem with the import as a whole links to the page's heading.
 */
function problems(refused: RefusedForm | null) {
  const errors = refused?.failure.errors;
  if (!errors?.any) return { errors: [], fieldErrors: {} as Record<string, string> };
  return {
    errors: errors.summary({
      received: '#received-day',
      [IMPORT_FIELD]: '#preview',
      [ACCEPT_MISMATCH_FIELD]: `#${ACCEPT_MISMATCH_FIELD}`,
    }),
    fieldErrors: errors.fields,
  };
}

function title(text: string, refused: RefusedForm | null): string {
  return refused?.failure.errors.any ? `Error: ${text}` : text;
}

const reviewsCrumb = { text: 'Reviews', href: '/reviews' };

export function presentReportUpload(uploadLimit: string, refused: RefusedForm | null) {
  return {
    pageTitle: title('Import a CQC report', refused),
    breadcrumbs: [reviewsCrumb],
    ...problems(refused),
    formAction: '/reviews/import',
    accept: REPORT_ACCEPT,
    fileHint: `A PDF, Word document (.docx), web page (.html), text or Markdown file, smaller than ${uploadLimit}.`,
  };
}

type ImportedBefore = Awaited<ReturnType<typeof listReviewImports>>[number];

function importedBefore(rows: readonly ImportedBefore[]) {
  return rows.map((r) => {
    const reverted = r.reverted_at
      ? `Reverted on ${formatDate(r.reverted_at)} by ${r.reverted_by_name ?? 'someone'}`
      : null;
    const revertHref = r.revert.can ? `/reviews/${r.review_id ?? 0}/imports/${r.id}/revert` : null;
    const summary = r.summary
      ? (JSON.parse(r.summary) as Partial<PlanChanges['counts']> & Partial<ReportImportResult>)
      : null;
    const what =
      r.kind === 'report'
        ? 'The CQC report'
        : summary
          ? `${plural(summary.actionsNew ?? 0, 'new action')}, ` +
            plural(summary.progressNew ?? 0, 'progress entry', 'progress entries')
          : 'An action plan';
    return { fileName: r.file_name, by: r.actor_name, on: formatDate(r.decided_at), what, reverted, revertHref };
  });
}

export function presentPlanUpload(
  review: { id: number; title: string; area: string },
  imports: readonly ImportedBefore[],
  uploadLimit: string,
  refused: RefusedForm | null,
) {
  const reviewHref = `/reviews/${review.id}`;
  return {
    pageTitle: title(`Import an existing plan – ${review.area || review.title}`, refused),
    breadcrumbs: [reviewsCrumb, { text: review.area || review.title, href: reviewHref }],
    ...problems(refused),
    caption: review.title,
    reviewHref,
    formAction: `${reviewHref}/import`,
    accept: PLAN_ACCEPT,
    fileHint: `A Word document (.docx), Excel workbook (.xlsx) or CSV file (.csv), smaller than ${uploadLimit}.`,
    importedBefore: importedBefore(imports),
  };
}

/** Who started the import and when it was decided: for the pages of imports already confirmed or discarded. */
function decision(view: ImportView) {
  const { row } = view;
  return {
    status: row.status,
    fileName: row.file_name,
    startedBy: row.actor_name,
    decidedOn: formatDate(row.decided_at),
    confirmAction: `/imports/${row.id}/confirm`,
    discardAction: `/imports/${row.id}/discard`,
  };
}

function dateRange(from: string | null, to: string | null): string {
  if (from && to) return from === to ? formatDate(from) : `${formatDate(from)} to ${formatDate(to)}`;
  return formatDate(from ?? to, 'Not found in the report');
}

/** The date received as typed, when the confirm form was sent; else the date the preview takes. */
function receivedBoxes(fields: FieldValues | undefined, preview: string | null) {
  if (fields && ['received-day', 'received-month', 'received-year'].some((name) => name in fields)) {
    return dateBoxes(fields, 'received');
  }
  return dateInputFrom(preview);
}

export function presentReportPreview(view: Extract<ImportView, { kind: 'report' }>, refused: RefusedForm | null) {
  const { preview, draft, row } = view;
  const r = draft.review;
  const done = row.status === 'imported' && row.summary ? (JSON.parse(row.summary) as ReportImportResult) : null;
  const counts = done?.counts ?? preview.counts;
  return {
    pageTitle: title(
      row.status === 'pending' ? 'Check the report before creating the review' : 'CQC report import',
      refused,
    ),
    breadcrumbs: [reviewsCrumb, { text: 'Import a CQC report', href: '/reviews/import' }],
    ...problems(refused),
    ...decision(view),
    reviewTitle: preview.title,
    details: [
      { key: 'Title', value: preview.title },
      { key: 'Area', value: preview.area ?? 'Not found in the report' },
      { key: 'Dates of review', value: dateRange(r.reviewStart, r.reviewEnd) },
      { key: 'Report published', value: formatDate(r.published, 'Not found in the report') },
      { key: 'Lead organisation', value: preview.lead ?? 'Not found in the report' },
      ...(r.inspectors.length ? [{ key: 'Inspectors', value: r.inspectors.join(', ') }] : []),
      ...(r.childrenCases !== null
        ? [{ key: 'Children’s experiences taken into account', value: String(r.childrenCases) }]
        : []),
    ],
    counts: [
      { key: 'Findings', value: String(counts.findings) },
      { key: 'Recommendation groups', value: String(counts.groups) },
      { key: 'Recommendations', value: String(counts.recommendations) },
      { key: 'Links from findings to recommendations', value: String(counts.pointers) },
    ],
    organisations: preview.organisations.map((o) => ({
      name: o.name,
      kind: ORGANISATION_KIND_NAMES[o.kind],
      role: ROLE_WORDS[o.role],
      inClasp: o.existing ? `Already in Clasp as ${o.existing.name}` : 'Will be added to Clasp',
      isNew: o.existing === null,
    })),
    warnings: preview.warnings,
    alreadyImportedAs: preview.alreadyImportedAs && {
      title: preview.alreadyImportedAs.title,
      href: preview.alreadyImportedAs.id === null ? null : `/reviews/${preview.alreadyImportedAs.id}`,
    },
    received: receivedBoxes(refused?.fields, preview.received),
    planDue: preview.planDue ? formatDate(preview.planDue) : null,
    receivedOn: preview.received ? formatDate(preview.received) : null,
    uploadAgainHref: '/reviews/import',
    done: done && {
      reviewHref: `/reviews/${done.reviewId}`,
      organisationsAdded: done.organisationsAdded,
    },
  };
}

/** The counts of what confirming would do (or did), as rows of a summary list. */
function countRows(c: PlanChanges['counts']) {
  return [
    { key: 'New actions', value: String(c.actionsNew) },
    { key: 'Actions already in the plan', value: String(c.actionsPresent) },
    { key: 'New progress entries', value: String(c.progressNew) },
    { key: 'Ratings of new actions', value: String(c.ratings) },
    { key: 'Recommendations matched', value: String(c.recommendationsMatched) },
    { key: 'New recommendations', value: String(c.recommendationsNew) },
    { key: 'New links to findings', value: String(c.findingLinksNew) },
    // Outcome, anticipated evidence or responsible officer, where the review had none yet.
    { key: 'Recommendations with details added', value: String(c.recommendationsFilled) },
  ];
}

/**
 * The mapping form: each table's columns, numbered from 1 as people count them, each with its
 * meaning to choose (as typed, when the form was refused).
 */
/** Whether the person chose the column's meaning, and the first values it holds, so the choice can be checked. */
function columnHint(c: PlanColumn): string | undefined {
  const parts = [
    c.chosen ? 'You chose this.' : '',
    c.samples?.length ? `First values: ${c.samples.map((v) => `“${v}”`).join(', ')}` : 'No values under this heading',
  ].filter(Boolean);
  return parts.join(' ') || undefined;
}

function columnTables(columns: readonly PlanColumn[], typed: FieldValues, fieldErrors: Record<string, string>) {
  const tables = new Map<number, PlanColumn[]>();
  for (const c of columns) tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  return [...tables].map(([table, list]) => ({
    legend: `Table ${table + 1}`,
    summary: `Table ${table + 1}: ${list.map((c) => c.header.trim() || '(no heading)').join(', ')}`,
    hasError: list.some((c) => fieldErrors[columnFieldName(c)]),
    columns: list.map((c) => {
      const name = columnFieldName(c);
      const value = fieldText(typed, name) || c.field;
      return {
        name,
        label: `Column ${c.column + 1}: ${c.header.trim() || '(no heading)'}`,
        hint: columnHint(c),
        items: PLAN_FIELDS.map((f) => ({ value: f, text: FIELD_LABELS[f], selected: f === value })),
        error: fieldErrors[name],
      };
    }),
  }));
}

export function presentPlanPreview(view: Extract<ImportView, { kind: 'plan' }>, refused: RefusedForm | null) {
  const { changes, draft, row } = view;
  const problem = problems(refused);
  const reviewHref = `/reviews/${row.review_id ?? 0}`;
  const done = row.status === 'imported' && row.summary ? (JSON.parse(row.summary) as PlanChanges['counts']) : null;
  return {
    pageTitle: title(row.status === 'pending' ? 'Check the plan before importing it' : 'Action plan import', refused),
    breadcrumbs: [
      reviewsCrumb,
      { text: view.reviewTitle, href: reviewHref },
      { text: 'Import an existing plan', href: `${reviewHref}/import` },
    ],
    ...problem,
    ...decision(view),
    reviewTitle: view.reviewTitle,
    reviewHref,
    uploadAgainHref: `${reviewHref}/import`,
    counts: countRows(done ?? changes.counts),
    nothingToDo: changes.nothingToDo,
    warnings: changes.warnings,
    unplaced: draft.unplaced.map((u) => ({ where: u.source, text: u.text, why: u.reason })),
    recommendations: changes.recommendations.map((r) => ({
      number: r.draft.number,
      status: r.status === 'matched' ? 'In the review' : 'New',
      isNew: r.status === 'new',
      actionsNew: r.actions.filter((a) => a.status === 'new').length,
      actionsPresent: r.actions.filter((a) => a.status === 'present').length,
      progressNew: r.actions.reduce((n, a) => n + a.newProgress.length, 0),
    })),
    columnsAction: `/imports/${row.id}/columns`,
    columnTables: columnTables(draft.columns, refused?.fields ?? {}, problem.fieldErrors),
    ignoreLabel: FIELD_LABELS.ignore,
    done: done !== null,
    mismatch: changes.fit.mismatch ? mismatchWarning(changes.fit) : null,
    acceptMismatchField: ACCEPT_MISMATCH_FIELD,
    acceptMismatchLabel: `This is the plan for ${view.reviewTitle}: import it all the same`,
    differences: changes.differences,
    outcomesKept: changes.outcomesKept,
    sameFile:
      view.sameFile &&
      `This file was imported into this review on ${formatDate(view.sameFile.on)} by ${view.sameFile.by}.`,
    actionsWithoutOrganisation: changes.actionsWithoutOrganisation,
    agenciesAction: `/imports/${row.id}/agencies`,
    agencies: agencySelects(view, problem.fieldErrors),
  };
}

/** What each agency cell was taken to mean, as selects: as read by name, an organisation, or none. */
function agencySelects(view: Extract<ImportView, { kind: 'plan' }>, fieldErrors: Record<string, string>) {
  const names = new Map(view.organisations.map((o) => [o.id, o.name]));
  return view.changes.agencies.map((a, index) => {
    const read = a.organisationIds.map((id) => names.get(id) ?? `organisation ${id}`);
    const chosenOne = a.how === 'chosen' && a.organisationIds.length === 1 ? a.organisationIds[0] : undefined;
    const current =
      a.how === 'chosen'
        ? chosenOne === undefined
          ? read.length
            ? AGENCY_AS_READ
            : AGENCY_NONE
          : String(chosenOne)
        : AGENCY_AS_READ;
    const asRead =
      a.how === 'matched'
        ? `As read: ${read.join(' and ')}`
        : a.how === 'none'
          ? 'As read: no organisation matches'
          : 'Read the words by name again';
    return {
      name: agencyFieldName(index),
      label: `"${a.text}" (${plural(a.actions, 'new action')})`,
      hint:
        a.how === 'chosen'
          ? `You said it stands for ${read.length ? read.join(' and ') : 'no organisation'}`
          : a.how === 'none'
            ? 'No organisation taking part in the review has this name: choose the one it stands for'
            : undefined,
      error: fieldErrors[agencyFieldName(index)],
      items: [
        { value: AGENCY_AS_READ, text: asRead, selected: current === AGENCY_AS_READ },
        ...view.organisations.map((o) => ({
          value: String(o.id),
          text: o.takingPart ? o.name : `${o.name} (not yet taking part: it will take part)`,
          selected: current === String(o.id),
        })),
        { value: AGENCY_NONE, text: 'No organisation', selected: current === AGENCY_NONE },
      ],
    };
  });
}

/* What the API answers: exactly the shapes of imports.schemas.ts. */

const pageOf = (importId: number) => `/imports/${importId}`;

/** What a plan import would do, as the API lists it. */
function planChangesJson(view: Extract<ImportView, { kind: 'plan' }>) {
  const { changes, draft } = view;
  return {
    changes: changes.counts,
    nothingToDo: changes.nothingToDo,
    warnings: changes.warnings,
    fit: { mismatch: changes.fit.mismatch, reasons: changes.fit.reasons },
    differences: changes.differences.map(({ number, review, file }) => ({ number, review, file })),
    outcomesKept: changes.outcomesKept,
    agencies: changes.agencies.map((a) => ({
      agency: a.text,
      organisationIds: a.organisationIds,
      how: a.how,
      actions: a.actions,
    })),
    actionsWithoutOrganisation: changes.actionsWithoutOrganisation,
    organisations: view.organisations,
    sameFile: view.sameFile,
    columns: draft.columns,
    unplaced: draft.unplaced,
  };
}

/** A report import just started: its preview. */
export function startedReportJson(view: ImportView): z.input<typeof startedReportSchema> {
  if (view.kind !== 'report') throw new Error('A report import read back as a plan');
  return { importId: view.row.id, preview: view.preview, page: pageOf(view.row.id) };
}

/** A plan import just started: what confirming it would do, and how its columns were read. */
export function startedPlanJson(view: ImportView): z.input<typeof startedPlanSchema> {
  if (view.kind !== 'plan') throw new Error('A plan import read back as a report');
  return { importId: view.row.id, ...planChangesJson(view), page: pageOf(view.row.id) };
}

/** The facts every import has, in the order the API has always given them. */
function importFacts<K extends ImportView['kind']>(row: ImportRow, kind: K) {
  return {
    importId: row.id,
    kind,
    status: row.status,
    fileName: row.file_name,
    startedAt: row.created_at,
    decidedAt: row.decided_at,
    reviewId: row.review_id,
  };
}

/** What a script needs to decide whether to confirm: the same facts as the preview page. */
export function importJson(view: ImportView): z.input<typeof importSchema> {
  if (view.kind === 'reading') throw new Error('An import still being read has no preview yet');
  const { row } = view;
  const page = pageOf(row.id);
  if (view.kind === 'report') {
    return {
      ...importFacts(row, 'report'),
      summary: row.summary === null ? null : (JSON.parse(row.summary) as ReportImportResult),
      page,
      preview: view.preview,
      report: reportJson(view.draft),
    };
  }
  return {
    ...importFacts(row, 'plan'),
    summary: row.summary === null ? null : (JSON.parse(row.summary) as PlanChanges['counts']),
    page,
    reviewTitle: view.reviewTitle,
    ...planChangesJson(view),
    plan: planJson(view.draft),
  };
}

/** What confirming saved, and the review it went into. */
export function confirmedJson(done: ConfirmResult): z.input<typeof confirmedSchema> {
  const review = `/reviews/${done.reviewId}`;
  if (done.kind === 'report') return { ...done.result, kind: 'report', review };
  return { ...done.result, warnings: done.warnings, reviewId: done.reviewId, kind: 'plan', review };
}

export function discardedJson(importId: number): z.input<typeof discardedSchema> {
  return { importId, status: 'discarded' };
}

/** The page that reverts a plan import: what it added, and whether it can be reverted now. */
export function presentRevert(
  view: Awaited<ReturnType<typeof revertPreview>>,
  review: { id: number; title: string; area: string },
  refused: RefusedForm | null,
) {
  const reviewHref = `/reviews/${review.id}`;
  return {
    pageTitle: title('Revert this import', refused),
    breadcrumbs: [
      reviewsCrumb,
      { text: review.area || review.title, href: reviewHref },
      { text: 'Import an existing plan', href: `${reviewHref}/import` },
    ],
    ...problems(refused),
    fileName: view.row.file_name,
    importedBy: view.row.actor_name,
    importedOn: formatDate(view.row.decided_at),
    reviewTitle: review.title,
    reviewHref,
    added: countRows({ ...noChanges(), ...view.added }),
    canRevert: view.state.can,
    why: view.state.can ? null : view.state.why,
    formAction: `${reviewHref}/imports/${view.row.id}/revert`,
    backHref: `${reviewHref}/import`,
  };
}

/** 200 to POST /api/reviews/:reviewId/imports/:importId/revert: what was taken back out. */
export function revertedJson(importId: number, counts: RevertCounts): z.input<typeof revertedSchema> {
  return { importId, status: 'reverted', reverted: counts };
}

/** An import whose file is still being read (or whose reading failed), as the API answers it. */
export function readingJson(view: Extract<ImportView, { kind: 'reading' }>): z.input<typeof readingSchema> {
  const { row, state } = view;
  return {
    importId: row.id,
    kind: row.kind,
    status: state.stage,
    startedAt: state.stage === 'reading' ? state.startedAt : null,
    message: state.stage === 'failed' ? state.message : null,
    page: pageOf(row.id),
  };
}

/** How many seconds the reading page's script waits between checks. */
export const READING_CHECK_SECONDS = 2;

/** The page shown while a file is read in the background: it checks again until the preview is ready. */
export function presentReading(
  view: Extract<ImportView, { kind: 'reading' }>,
  now: Date,
  limitMs: number,
  refused: RefusedForm | null,
) {
  const { row, state } = view;
  const back = row.kind === 'report' ? '/reviews/import' : `/reviews/${row.review_id ?? 0}/import`;
  const seconds =
    state.stage === 'reading' ? Math.max(0, Math.round((now.getTime() - Date.parse(state.startedAt)) / 1000)) : 0;
  return {
    pageTitle: title(state.stage === 'reading' ? 'Reading the file' : 'The file could not be read', refused),
    breadcrumbs: [reviewsCrumb],
    ...problems(refused),
    fileName: row.file_name,
    reading: state.stage === 'reading',
    checkSeconds: READING_CHECK_SECONDS,
    elapsed:
      state.stage === 'reading'
        ? `Clasp has been reading it for ${seconds === 1 ? '1 second' : `${seconds} seconds`}. ` +
          `It stops after ${Math.round(limitMs / 1000)} seconds if the file cannot be read.`
        : null,
    message: state.stage === 'failed' ? state.message : null,
    pageHref: pageOf(row.id),
    uploadAgainHref: back,
  };
}
