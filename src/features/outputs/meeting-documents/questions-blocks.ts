// The questions boards and panels asked about a review, and the responses published to them,
// as the board report, the Word plan's annex and the questions document print them. Only a
// published response is shown: a draft is the organisation's work in progress, not an answer.
import { formatDate, formatLongDate, MONTH_NAMES } from '../../../domain/dates.ts';
import { FORUM_NAMES, type QuestionRecord } from '../../../domain/meeting-records.ts';
import { plural } from '../../../domain/words.ts';
import { heading, paragraph, type Block } from '../board-report/board-pdf-blocks-base.ts';

export const QUESTIONS_TITLE = 'Questions from boards and panels';

/** 'Health and Wellbeing Board, 12 January 2017', or the forum and month when no meeting was named. */
export function questionOccasion(q: QuestionRecord): string {
  if (q.meeting.trim()) return q.meeting.trim();
  const month = Number(q.askedOn.slice(5, 7));
  return `${FORUM_NAMES[q.forum]}, ${MONTH_NAMES[month - 1] ?? ''} ${q.askedOn.slice(0, 4)}`;
}

/** The questions grouped by the meeting (or forum and month) they were asked at, in the order first asked. */
export function questionsByOccasion(
  questions: readonly QuestionRecord[],
): { occasion: string; questions: QuestionRecord[] }[] {
  const groups: { occasion: string; questions: QuestionRecord[] }[] = [];
  for (const q of [...questions].sort((a, b) =>
    a.askedOn === b.askedOn ? a.id - b.id : a.askedOn < b.askedOn ? -1 : 1,
  )) {
    const occasion = questionOccasion(q);
    const group = groups.find((g) => g.occasion === occasion);
    if (group) group.questions.push(q);
    else groups.push({ occasion, questions: [q] });
  }
  return groups;
}

/** 'Asked by Councillor Jones on 12 January 2017, about Recommendation 2.1. For Rotherham CCG to answer.' */
export function questionAskedWords(q: QuestionRecord): string {
  const about = q.about === 'the review' ? 'about the review' : `about ${q.about}`;
  const answerer = q.organisation ? ` For ${q.organisation} to answer.` : '';
  return `Asked by ${q.askedBy} on ${formatLongDate(q.askedOn)}, ${about}.${answerer}`;
}

/** 'Response published 3 February 2017: …', or that it waits for one. */
export function questionResponseWords(q: QuestionRecord): string {
  if (!q.response) return 'Waiting for a response: none has been published yet.';
  const approved = q.response.approvedBy ? `, approved by ${q.response.approvedBy}` : '';
  return `Response published ${formatDate(q.response.publishedOn)}${approved}: ${q.response.text}`;
}

/** 'Of 5 questions, 3 have a published response and 2 are waiting.' */
export function questionsSummaryWords(questions: readonly QuestionRecord[]): string {
  const answered = questions.filter((q) => q.response).length;
  const waiting = questions.length - answered;
  if (questions.length === 0) return 'No questions have been recorded from boards or panels.';
  const have = `${String(answered)} ${answered === 1 ? 'has' : 'have'} a published response`;
  const wait = `${String(waiting)} ${waiting === 1 ? 'is' : 'are'} waiting`;
  return `Of ${plural(questions.length, 'question')}, ${have} and ${wait}.`;
}

/**
 * The questions as blocks, under a heading of the given level: a summary, then per meeting
 * each question, who asked it and when, and its published response or that it waits; the
 * questions still waiting are listed again at the end, so none is missed.
 */
export function questionBlocks(questions: readonly QuestionRecord[], level: 1 | 2): Block[] {
  const sub = (level + 1) as 2 | 3;
  const blocks: Block[] = [heading(level, QUESTIONS_TITLE), paragraph(questionsSummaryWords(questions))];
  for (const group of questionsByOccasion(questions)) {
    blocks.push(heading(sub, group.occasion));
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Question', width: 0.35 },
        { header: 'Asked', width: 0.25 },
        { header: 'Published response', width: 0.4 },
      ],
      rows: group.questions.map((q) => [
        { text: q.text },
        { text: questionAskedWords(q) },
        { text: questionResponseWords(q), bold: q.response === null },
      ]),
    });
  }
  const waiting = questions.filter((q) => !q.response);
  if (waiting.length > 0) {
    blocks.push(heading(sub, 'Waiting for a response'));
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Question', width: 0.5 },
        { header: 'Asked at', width: 0.3 },
        { header: 'To answer', width: 0.2 },
      ],
      rows: waiting.map((q) => [
        { text: q.text },
        { text: `${questionOccasion(q)} (${formatLongDate(q.askedOn)})` },
        { text: q.organisation ?? 'Not given' },
      ]),
    });
  }
  return blocks;
}
