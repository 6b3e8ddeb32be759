// The questions boards and panels asked about a review, with the responses published to them,
// as one Word document: the same words and tables as the board report's section.
import { ratingKey } from '../../../domain/ratings.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import type { AppContext } from '../../context.ts';
import { blocksToDocx } from '../board-report/board-docx.ts';
import { paragraph } from '../board-report/board-pdf-blocks-base.ts';
import { documentFileName, MEDIA_TYPES, type ProducedFile } from '../plan-documents/plan-documents.service.ts';
import { snapshotAt, type Acting } from '../versions/versions.service.ts';
import { questionBlocks, QUESTIONS_TITLE } from './questions-blocks.ts';
import { formatLongDate } from '../../../domain/dates.ts';

export async function questionsToDocx(snapshot: PlanSnapshot): Promise<Buffer> {
  const questions = snapshot.questions ?? [];
  const [title, ...rest] = questionBlocks(questions, 1);
  const blocks = [
    ...(title ? [title] : []),
    paragraph(snapshot.review.title, 'lede'),
    paragraph(`As at ${formatLongDate(snapshot.asOf)}. Only responses the plan coordinator has published are shown.`),
    ...(snapshot.review.illustrativeNotice ? [paragraph(snapshot.review.illustrativeNotice, 'notice')] : []),
    ...rest,
  ];
  return blocksToDocx(blocks, {
    title: `${snapshot.review.area}: ${QUESTIONS_TITLE.toLowerCase()}`,
    subject: snapshot.review.title,
    description: QUESTIONS_TITLE,
    at: new Date(snapshot.takenAt),
    key: ratingKey(snapshot.review.ratingScale),
  });
}

/** The questions about the plan now, as a Word file. Taking the snapshot checks the caller may read the plan. */
export async function produceQuestionsDocument(ctx: AppContext, who: Acting, reviewId: number): Promise<ProducedFile> {
  const snapshot = await snapshotAt(ctx, who, reviewId, 'now');
  return {
    fileName: documentFileName(snapshot, 'clas-questions', 'docx'),
    mediaType: MEDIA_TYPES.docx ?? 'application/octet-stream',
    content: await questionsToDocx(snapshot),
  };
}
