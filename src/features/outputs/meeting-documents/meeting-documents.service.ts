// A meeting's agenda pack and minutes as Word and PDF documents, drawn from the plain records
// the meetings feature builds (src/domain/meeting-records.ts). They share the board report's
// look: the same blocks, fonts, tagged PDF and rating key on every page.
import type { AgendaPack, MinutesRecord } from '../../../domain/meeting-records.ts';
import { ratingKey } from '../../../domain/ratings.ts';
import { blocksToDocx } from '../board-report/board-docx.ts';
import { blocksToPdf } from '../board-report/board-pdf.ts';
import type { Block } from '../board-report/board-pdf-blocks-base.ts';
import { agendaPackBlocks, meetingName, meetingWhenWords, minutesBlocks } from './meeting-blocks.ts';

export type MeetingDocumentFormat = 'docx' | 'pdf';

export function agendaPackDocument(pack: AgendaPack, format: MeetingDocumentFormat): Promise<Buffer> {
  return render(agendaPackBlocks(pack), format, {
    title: `Agenda pack: ${meetingName(pack.meeting)}, ${meetingWhenWords(pack.meeting.startsAt)}`,
    subject: pack.meeting.reviewTitle,
    at: new Date(pack.producedAt),
    scale: pack.scale,
  });
}

export function minutesDocument(minutes: MinutesRecord, format: MeetingDocumentFormat): Promise<Buffer> {
  return render(minutesBlocks(minutes), format, {
    title: `Minutes: ${meetingName(minutes.meeting)}, ${meetingWhenWords(minutes.meeting.startsAt)}`,
    subject: minutes.meeting.reviewTitle,
    at: new Date(minutes.producedAt),
    scale: minutes.scale,
  });
}

function render(
  blocks: Block[],
  format: MeetingDocumentFormat,
  meta: { title: string; subject: string; at: Date; scale: AgendaPack['scale'] },
): Promise<Buffer> {
  const key = ratingKey(meta.scale, { withNone: true });
  const common = { title: meta.title, subject: meta.subject, at: meta.at, key };
  return format === 'pdf'
    ? blocksToPdf(blocks, common)
    : blocksToDocx(blocks, { ...common, description: meta.subject });
}
