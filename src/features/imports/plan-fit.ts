import type { PlanDraft } from './drafts.ts';

/*
 * Whether a plan file belongs to the review it is being imported into, and what the preview shows
 * beside the counts: recommendations the file words differently (both texts), outcomes it would
 * not use, and what each agency cell was taken to mean. Nothing here writes.
 */

/** The words that carry a recommendation's meaning: no short words, no punctuation, no case. */
function contentWords(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/[\u2018\u2019']/g, '')
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4),
  );
}

/**
 * True when two wordings say the same thing in other words: most of the shorter one's words are
 * in the longer one. A recommendation retyped, shortened or with a clause added stays the same;
 * another area's recommendation under the same number does not.
 */
export function similarWording(a: string, b: string): boolean {
  const x = contentWords(a);
  const y = contentWords(b);
  if (x.size === 0 || y.size === 0) return true;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared += 1;
  return shared / Math.min(x.size, y.size) >= 0.5;
}

export type RecommendationDifference = { number: string; review: string; file: string; similar: boolean };

export type AgencyReading = {
  /** The cell's words as the file gives them. */
  text: string;
  /** What they were taken to mean: the organisations' ids, none when nothing matched. */
  organisationIds: number[];
  /** 'matched' by name, 'chosen' by a coordinator (remembered for the review), or 'none'. */
  how: 'matched' | 'chosen' | 'none';
  /** New actions with these words in their agency cell. */
  actions: number;
};

export type PlanFit = {
  /** What differs between the file and the review, one sentence each; empty when the file fits. */
  reasons: string[];
  /** True when the import must be confirmed explicitly as this review's plan. */
  mismatch: boolean;
  /** The review's area, as the warning names it. */
  area: string;
};

type FitInput = {
  area: string;
  reviewRecommendations: number;
  reviewOrganisations: number;
  /** Every recommendation of the file with text whose number the review has, compared with the review's. */
  differences: readonly RecommendationDifference[];
  /** Recommendations of the file, with text or not, after repeated numbers are taken together. */
  fileRecommendations: readonly { number: string; text: string }[];
  newGroups: readonly number[];
  agencies: readonly AgencyReading[];
  draft: PlanDraft;
};

function listOf(items: readonly string[], most = 5): string {
  const shown = items.slice(0, most);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Whether the draft names the area anywhere: its tables, headings or cells. */
function namesArea(draft: PlanDraft, area: string): boolean {
  const words = area.trim().toLowerCase();
  if (!words) return true;
  return JSON.stringify(draft).toLowerCase().includes(words);
}

/**
 * The file is taken not to fit when most of its recommendations that carry text are not the
 * review's (another number, or the same number worded as something else), or most of its agency
 * cells name no organisation taking part. Each is a reason of its own, with what differs; a file
 * that never names the review's area says so too, as a further sign.
 */
export function planFit(input: FitInput): PlanFit {
  const reasons: string[] = [];
  let mismatch = false;
  const withText = input.fileRecommendations.filter((r) => r.text.trim());
  if (input.reviewRecommendations > 0 && withText.length > 0) {
    const unlike = input.differences.filter((d) => !d.similar).map((d) => d.number);
    const matchedNumbers = new Set(input.differences.map((d) => d.number));
    const absent = withText.filter((r) => !matchedNumbers.has(r.number)).length;
    const fitting = withText.length - unlike.length - absent;
    if (fitting * 2 < withText.length) {
      mismatch = true;
      const parts = [`only ${fitting} of the ${withText.length} recommendations in the file match the review's`];
      if (unlike.length) parts.push(`${listOf(unlike)} ${unlike.length === 1 ? 'is' : 'are'} worded as something else`);
      if (absent) parts.push(`${absent} ${absent === 1 ? 'is' : 'are'} not in the review at all`);
      reasons.push(`${capitalise(parts.join('; '))}.`);
    }
  }
  if (input.newGroups.length && (mismatch || input.reviewRecommendations > 0)) {
    reasons.push(
      `It would add recommendation ${input.newGroups.length === 1 ? 'group' : 'groups'} ${listOf(
        input.newGroups.map(String),
      )}, which the review does not have.`,
    );
  }
  const named = input.agencies.filter((a) => a.text.trim());
  const unnamed = named.filter((a) => a.how === 'none');
  if (input.reviewOrganisations > 0 && named.length >= 2 && unnamed.length * 2 > named.length) {
    mismatch = true;
    reasons.push(
      `${unnamed.length} of its ${named.length} agencies name no organisation taking part in the review: ${listOf(
        unnamed.map((a) => `"${a.text}"`),
      )}.`,
    );
  }
  if (mismatch && input.area && !namesArea(input.draft, input.area)) {
    reasons.push(`The file never names ${input.area}.`);
  }
  return { reasons: mismatch ? reasons : [], mismatch, area: input.area };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The refusal when a file that does not fit is confirmed without saying it is this review's plan;
 * `confirmHow` says how to say so where the import was made (the tick box, or a command's option).
 */
export function mismatchRefusal(fit: PlanFit, confirmHow = 'confirm that it is and import it again'): string {
  const check = 'Check you chose the right file and the right review.';
  return `${mismatchWarning(fit)} ${check} If it is the right plan, ${confirmHow}.`;
}

/** The warning the preview gives, naming what differs. */
export function mismatchWarning(fit: PlanFit): string {
  const review = fit.area ? `the ${fit.area} review` : 'this review';
  return `This file may not be the plan for ${review}. ${fit.reasons.join(' ')}`;
}
