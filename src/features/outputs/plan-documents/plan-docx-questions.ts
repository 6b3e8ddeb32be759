// The annex of the Word plan: the questions boards and panels asked, grouped by the meeting
// they were asked at, each with its published response or a plain "waiting". Left out when
// none were asked, or for versions frozen before questions were kept.
import { HeadingLevel, Paragraph, TextRun } from 'docx';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import {
  QUESTIONS_TITLE,
  questionAskedWords,
  questionResponseWords,
  questionsByOccasion,
  questionsSummaryWords,
} from '../meeting-documents/questions-blocks.ts';
import { textRun } from './plan-docx-parts.ts';

export const QUESTIONS_ANNEX_TITLE = `Annex: ${QUESTIONS_TITLE.toLowerCase()}`;

export function questionsAnnex(snapshot: PlanSnapshot): Paragraph[] {
  const questions = snapshot.questions ?? [];
  if (questions.length === 0) return [];
  const out: Paragraph[] = [
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: true,
      keepNext: true,
      children: [new TextRun(QUESTIONS_ANNEX_TITLE)],
    }),
    new Paragraph(questionsSummaryWords(questions)),
  ];
  for (const group of questionsByOccasion(questions)) {
    out.push(
      new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, children: [new TextRun(group.occasion)] }),
    );
    for (const q of group.questions) {
      out.push(
        new Paragraph({ keepNext: true, children: [textRun({ text: 'Question: ', bold: true }), new TextRun(q.text)] }),
        new Paragraph({ keepNext: true, children: [new TextRun(questionAskedWords(q))] }),
        new Paragraph({
          spacing: { after: 240 },
          children: [textRun({ text: questionResponseWords(q), bold: q.response === null })],
        }),
      );
    }
  }
  return out;
}
