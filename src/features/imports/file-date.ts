import JSZip from 'jszip';
import type { PlanDraft } from './drafts.ts';

/*
 * The day to give progress that a plan file does not date. Such an entry was written no later
 * than the file was last saved, so that day is used when the file records it (Word and Excel
 * do, in docProps/core.xml); otherwise the latest date of the file's dated progress; otherwise
 * the day the review's plan was due (a plan's progress is written after it is first sent);
 * otherwise the day of the import. Never a day after the import. Erring early is the safe
 * side: an action may then show as stale and be asked for an update, whereas dating old words
 * today would hide that nobody has written for months.
 */

const MODIFIED = /<dcterms:modified[^>]*>\s*(\d{4}-\d{2}-\d{2})/;

/** The day a Word or Excel file says it was last saved, or null. */
export async function savedOn(content: Uint8Array): Promise<string | null> {
  try {
    const zip = await JSZip.loadAsync(content);
    const core = zip.file('docProps/core.xml');
    if (!core) return null;
    return MODIFIED.exec(await core.async('string'))?.[1] ?? null;
  } catch {
    // Not a zip (CSV), or one the importer has already read without needing this part.
    return null;
  }
}

function latestDateIn(draft: PlanDraft): string | null {
  let latest: string | null = null;
  for (const rec of draft.recommendations) {
    for (const action of rec.actions) {
      for (const p of action.progress) if (p.date && (latest === null || p.date > latest)) latest = p.date;
    }
  }
  return latest;
}

export async function undatedProgressDay(
  content: Uint8Array,
  draft: PlanDraft,
  today: string,
  planDue: string | null,
): Promise<string> {
  const day = (await savedOn(content)) ?? latestDateIn(draft) ?? planDue ?? today;
  return day > today ? today : day;
}
