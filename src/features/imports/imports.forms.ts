import { z } from 'zod';
import { formatLongDate } from '../../domain/dates.ts';
import { choice, file, flag, optionalDate } from '../../platform/form-schema.ts';
import { uploadLimitText } from '../actions/evidence/evidence.service.ts';
import { PLAN_FIELDS, type ColumnChoice, type PlanColumn } from './drafts.ts';

/*
 * The import forms and their JSON twins: the file to read (a CQC report or an existing plan),
 * what a plan's columns hold, and the date a report was received. One schema each, so a page
 * and a script are told the same things. Dates are three boxes on the page and 'YYYY-MM-DD' in
 * JSON; a page sends each column's meaning as its own select, a script sends them as a list.
 */

/** A file to import, as the services read it. */
export type ImportFile = { fileName: string; content: Uint8Array };

/** The form field that carries the file, on the pages and in the API. */
export const IMPORT_FILE_FIELD = 'file';

/**
 * The field a problem with the import as a whole is reported against (it was confirmed or
 * discarded meanwhile, say): on the preview page its message links to the page's heading.
 */
export const IMPORT_FIELD = 'import';

/** What the upload form is checked against. */
export interface UploadRules {
  /** What to say when no file was sent: a page asks for one to be chosen, the API says how to send it. */
  missing: string;
  /** The upload limit: a file cut short at it is refused as too large, never read in part. */
  limitBytes: number;
  /** The virus scan: null when the file may be read, else why not. */
  scan: (bytes: Uint8Array) => Promise<string | null>;
}

/** How a page and a script are asked for the file they did not send. */
export function missingFile(what: 'CQC report' | 'action plan', from: 'page' | 'api'): string {
  return from === 'page'
    ? `Select the ${what} to import`
    : `Send the ${what} as a multipart/form-data field named "${IMPORT_FILE_FIELD}".`;
}

/** The upload of a CQC report or of an existing plan: one file, within the upload limit. */
export function uploadForm(rules: UploadRules) {
  return z.object({
    [IMPORT_FILE_FIELD]: file.transform(async (sent, ctx): Promise<ImportFile> => {
      if (!sent) {
        ctx.addIssue({ code: 'custom', message: rules.missing });
        return z.NEVER;
      }
      if (sent.truncated) {
        ctx.addIssue({
          code: 'custom',
          message:
            `The selected file must be smaller than ${uploadLimitText(rules.limitBytes)}. ` +
            'Check you chose the right file. ' +
            'If you did, make it smaller (for example, save it without pictures) and upload it again.',
        });
        return z.NEVER;
      }
      const virus = await rules.scan(sent.bytes);
      if (virus) {
        ctx.addIssue({ code: 'custom', message: virus });
        return z.NEVER;
      }
      return {
        fileName: sent.fileName || 'upload',
        content: new Uint8Array(sent.bytes.buffer, sent.bytes.byteOffset, sent.bytes.byteLength),
      };
    }),
  });
}

/** An uploaded file, checked: what the services read. */
export type UploadCommand = z.output<ReturnType<typeof uploadForm>>;

/** The select of one column on the preview page. */
export function columnFieldName(c: { table: number; column: number }): string {
  return `column-${c.table}-${c.column}`;
}

/** What the columns form is checked against: the columns as the file was read, and the choices made before. */
export interface ColumnRules {
  columns: readonly PlanColumn[];
  chosen: readonly ColumnChoice[];
}

const COLUMNS_EXAMPLE = 'Send the columns as {"columns": [{"table": 0, "column": 2, "field": "lead"}]}.';

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * The choices a script sends: [{table, column, field}], tables and columns counted from 0 as the
 * preview lists them. Null when none were sent (a page sends its selects instead).
 */
const columnList = z
  .unknown()
  .optional()
  .transform((value, ctx): ColumnChoice[] | null => {
    if (value === undefined) return null;
    const refuse = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return null;
    };
    if (!Array.isArray(value)) return refuse(COLUMNS_EXAMPLE);
    const choices: ColumnChoice[] = [];
    for (const item of value as unknown[]) {
      const { table, column, field } = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
      if (!isCount(table) || !isCount(column)) {
        return refuse('Each column needs a "table" and a "column": whole numbers counted from 0, as in the preview.');
      }
      const planField = PLAN_FIELDS.find((f) => f === field);
      if (planField === undefined) return refuse(`"field" must be one of: ${PLAN_FIELDS.join(', ')}.`);
      choices.push({ table, column, field: planField });
    }
    return choices;
  });

/**
 * What each column of the plan holds. A page sends a select for each column (named by
 * columnFieldName): every column whose meaning was changed is added to the choices made before.
 * A script sends the list {"columns": [...]}: that list is the choices.
 */
export function columnsForm(rules: ColumnRules) {
  const selects = rules.columns.map((c) => ({
    column: c,
    name: columnFieldName(c),
    schema: choice(PLAN_FIELDS, `Choose what column ${c.column + 1} of table ${c.table + 1} holds`, {
      required: false,
    }),
  }));
  return z
    .object({ columns: columnList })
    .catchall(z.unknown())
    .transform((form, ctx): { columns: ColumnChoice[] } => {
      if (form.columns) return { columns: form.columns };
      const choices = new Map(rules.chosen.map((c) => [columnFieldName(c), c]));
      let sentAny = false;
      for (const { column, name, schema } of selects) {
        const sent = schema.safeParse(form[name]);
        if (!sent.success) {
          for (const issue of sent.error.issues) ctx.addIssue({ code: 'custom', path: [name], message: issue.message });
          sentAny = true;
          continue;
        }
        if (sent.data === '') continue;
        sentAny = true;
        if (sent.data !== column.field) {
          choices.set(name, { table: column.table, column: column.column, field: sent.data });
        }
      }
      // Neither the list nor any select: a script that did not say what to change.
      if (!sentAny) ctx.addIssue({ code: 'custom', path: ['columns'], message: COLUMNS_EXAMPLE });
      return { columns: [...choices.values()] };
    });
}

/** The columns as they are to be read. */
export type ColumnsCommand = z.output<ReturnType<typeof columnsForm>>;

/** What the confirm form is checked against. */
export interface ConfirmRules {
  today: string;
  /** Only a pending report asks the date it was received; a plan, or an import already decided, asks nothing. */
  asksReceived: boolean;
  /** The report's publication date, as read: it cannot have been received before it was published. */
  published: string | null;
}

const RECEIVED_IN_FUTURE = 'The date the report was received must be today or in the past';

function receivedBeforePublished(published: string): string {
  return `The date the report was received must be on or after its publication date, ${formatLongDate(published)}`;
}

/** Why a report cannot have been received on this day, or null when it could have been. */
export function receivedProblem(received: string, rules: Omit<ConfirmRules, 'asksReceived'>): string | null {
  if (received > rules.today) return RECEIVED_IN_FUTURE;
  if (rules.published && received < rules.published) return receivedBeforePublished(rules.published);
  return null;
}

/** Confirming an import: for a report, the date it reached the area (the plan is due 20 working days later). */
export function confirmForm(rules: ConfirmRules) {
  return z.object({
    /** "This is the plan for this review": needed when the file does not look like it (plan-fit.ts). */
    acceptMismatch: flag,
    received: rules.asksReceived
      ? optionalDate('the report was received', {
          notAfter: rules.today,
          notAfterMessage: RECEIVED_IN_FUTURE,
          notBefore: rules.published,
          notBeforeMessage: rules.published ? receivedBeforePublished(rules.published) : undefined,
        })
      : z
          .unknown()
          .optional()
          .transform((): string | null => null),
  });
}

/** A confirmation, checked: the date the report was received, or null to take its publication date. */
export type ConfirmCommand = z.output<ReturnType<typeof confirmForm>>;

/** The field that says a plan which does not look like the review's is its plan all the same. */
export const ACCEPT_MISMATCH_FIELD = 'acceptMismatch';

/** The organisation an agency cell stands for, as a coordinator chooses it on the preview. */
export type AgencyChoice = {
  /** The cell's words. */
  agency: string;
  /** The organisations they stand for; empty for none; null to go back to reading the words by name. */
  organisationIds: number[] | null;
};

/** What the agencies form is checked against: the agencies the preview lists, and the organisations to choose from. */
export interface AgencyRules {
  agencies: readonly string[];
  organisationIds: readonly number[];
}

/** The select of one agency on the preview page. */
export function agencyFieldName(index: number): string {
  return `agency-${index}`;
}

/** On the page: "" leaves the words read by name, "none" says they stand for no organisation. */
export const AGENCY_AS_READ = '';
export const AGENCY_NONE = 'none';

const AGENCIES_EXAMPLE =
  'Send the agencies as {"agencies": [{"agency": "TRFT", "organisationIds": [3]}]}: ' +
  'an empty list for no organisation, null to read the words by name again.';

/**
 * Which organisation each agency cell stands for. A page sends a select per agency listed on the
 * preview (named by agencyFieldName, in the preview's order); a script sends a list.
 */
export function agenciesForm(rules: AgencyRules) {
  const known = new Set(rules.organisationIds);
  return z
    .object({ agencies: z.unknown().optional() })
    .catchall(z.unknown())
    .transform((form, ctx): { agencies: AgencyChoice[] } => {
      const refuse = (path: string, message: string) => {
        ctx.addIssue({ code: 'custom', path: [path], message });
        return { agencies: [] };
      };
      const choices: AgencyChoice[] = [];
      if (form.agencies !== undefined) {
        if (!Array.isArray(form.agencies)) return refuse('agencies', AGENCIES_EXAMPLE);
        for (const item of form.agencies as unknown[]) {
          const { agency, organisationIds } = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
          if (typeof agency !== 'string' || !rules.agencies.includes(agency))
            return refuse('agencies', `Each "agency" must be one the preview lists. ${AGENCIES_EXAMPLE}`);
          if (organisationIds === null) {
            choices.push({ agency, organisationIds: null });
            continue;
          }
          if (!Array.isArray(organisationIds) || !organisationIds.every((id) => known.has(id as number)))
            return refuse(
              'agencies',
              `"organisationIds" for "${agency}" must list organisations the preview offers ("organisations"). ` +
                AGENCIES_EXAMPLE,
            );
          choices.push({ agency, organisationIds: [...new Set(organisationIds as number[])] });
        }
        return { agencies: choices };
      }
      let sentAny = false;
      for (const [index, agency] of rules.agencies.entries()) {
        const name = agencyFieldName(index);
        const sent = form[name];
        if (sent === undefined) continue;
        sentAny = true;
        const value = typeof sent === 'string' ? sent.trim() : '';
        if (value === AGENCY_AS_READ) choices.push({ agency, organisationIds: null });
        else if (value === AGENCY_NONE) choices.push({ agency, organisationIds: [] });
        else if (/^\d{1,9}$/.test(value) && known.has(Number(value)))
          choices.push({ agency, organisationIds: [Number(value)] });
        else ctx.addIssue({ code: 'custom', path: [name], message: `Choose the organisation "${agency}" stands for` });
      }
      if (!sentAny) ctx.addIssue({ code: 'custom', path: ['agencies'], message: AGENCIES_EXAMPLE });
      return { agencies: choices };
    });
}

export type AgenciesCommand = z.output<ReturnType<typeof agenciesForm>>;
