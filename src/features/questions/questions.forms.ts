import { z } from 'zod';
import { ALWAYS, choice, date, optionalId, text, version } from '../../platform/form-schema.ts';
import { FORUM_NAMES, FORUMS, type Forum } from '../../domain/meeting-records.ts';

/*
 * The questions forms and their JSON twins: recording a question, drafting its response,
 * approving (publishing) it, and the number of days a question may wait for an answer.
 * The service gives the rules that read the plan: what a question may be about, the review's
 * meetings and organisations, and today's date.
 */

/** What a question is about, as the form sends it: 'review', 'recommendation:12' or 'action:34'. */
export type AboutChoice = { kind: 'review' } | { kind: 'recommendation'; id: number } | { kind: 'action'; id: number };

/** Who answers, as the form sends it: '' lets Clasp choose, 'coordinator' is the plan coordinator. */
export type AnswererChoice = { kind: 'default' } | { kind: 'coordinator' } | { kind: 'organisation'; id: number };

export interface AskRules {
  /** Today's date in England: a question cannot have been asked later. */
  today: string;
  isSubject(about: AboutChoice): boolean;
  /** The review's meetings, by id, with their forum. */
  meetings: ReadonlyMap<number, Forum>;
  isOrganisation(organisationId: number): boolean;
}

function aboutField() {
  return text({ max: 40, label: 'What the question is about' }).transform((value, ctx): AboutChoice => {
    if (value === '' || value === 'review') return { kind: 'review' };
    const match = /^(recommendation|action):(\d{1,9})$/.exec(value);
    if (match?.[1] && match[2]) return { kind: match[1] as 'recommendation' | 'action', id: Number(match[2]) };
    ctx.addIssue({ code: 'custom', message: 'Choose what the question is about from the list' });
    return { kind: 'review' };
  });
}

function answererField() {
  return text({ max: 20, label: 'The organisation that answers' }).transform((value, ctx): AnswererChoice => {
    if (value === '') return { kind: 'default' };
    if (value === 'coordinator') return { kind: 'coordinator' };
    if (/^\d{1,9}$/.test(value)) return { kind: 'organisation', id: Number(value) };
    ctx.addIssue({ code: 'custom', message: 'Choose the organisation that answers from the list' });
    return { kind: 'default' };
  });
}

export function askQuestionForm(rules: AskRules) {
  return z
    .object({
      about: aboutField(),
      text: text({ required: 'Enter the question', max: 4000, label: 'The question' }),
      askedBy: text({ required: 'Enter who asked the question', max: 200, label: 'Who asked' }),
      forum: choice(FORUMS, 'Choose the forum the question was asked in'),
      meetingId: optionalId('Choose a meeting of this review from the list'),
      meetingWords: text({ max: 200, label: 'The name of the meeting' }),
      askedOn: date('the question was asked', {
        notAfter: rules.today,
        notAfterMessage: 'The date the question was asked must be today or in the past',
        jsonMessage: 'iso',
      }),
      organisationId: answererField(),
    })
    .superRefine((form, ctx) => {
      if (!rules.isSubject(form.about)) {
        ctx.addIssue({
          code: 'custom',
          path: ['about'],
          message: 'Choose what the question is about from the list: a recommendation or action of this plan',
        });
      }
      if (form.meetingId !== null) {
        const forum = rules.meetings.get(form.meetingId);
        if (forum === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['meetingId'],
            message: 'Choose a meeting of this review from the list, or type the name of the meeting instead',
          });
        } else if (form.forum !== '' && forum !== form.forum) {
          ctx.addIssue({
            code: 'custom',
            path: ['meetingId'],
            message:
              `The meeting you chose belongs to another forum (${FORUM_NAMES[forum]}): ` +
              'choose that forum or another meeting',
          });
        }
      }
      if (form.organisationId.kind === 'organisation' && !rules.isOrganisation(form.organisationId.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisationId'],
          message: 'Choose the organisation that answers from the list of organisations in this review',
        });
      }
    }, ALWAYS)
    .transform((form) => ({ ...form, forum: form.forum as Forum }));
}

export type AskQuestionCommand = z.output<ReturnType<typeof askQuestionForm>>;

export const draftResponseForm = z.object({
  response: text({ required: 'Enter the response', max: 10_000, label: 'The response' }),
  version,
});

export type DraftResponseCommand = z.output<typeof draftResponseForm>;

export const approveResponseForm = z.object({ version });

export type ApproveResponseCommand = z.output<typeof approveResponseForm>;

export const questionDaysForm = z.object({
  questionDays: text({
    required: 'Enter the number of days, for example 28',
    max: 10,
    label: 'The number of days',
  }).transform((value, ctx): number => {
    if (value === '') return 0;
    if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 365) {
      ctx.addIssue({ code: 'custom', message: 'Enter the number of days as a whole number from 1 to 365' });
      return 0;
    }
    return Number(value);
  }),
});

export type QuestionDaysCommand = z.output<typeof questionDaysForm>;
