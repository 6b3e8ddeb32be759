// The report's recommendations: group headings naming who should act ("1. NHS England &
// Rotherham CCG should:") and numbered recommendations ("1.1 Work with GPs…"). A recommendation's
// own number decides its group, because Word's automatic list numbers ("1.") are often not
// in the text at all.
import { tidyText } from './blocks.ts';

type Recommendation = { number: string; text: string };
export type RecommendationGroup = { number: string; heading: string; recommendations: Recommendation[] };
type OpenGroup = { number: string | null; heading: string; recommendations: Recommendation[] };

const RECOMMENDATION = /^(\d{1,2})\.(\d{1,3})\.?\s+(\S[\s\S]*)$/;
const GROUP_HEADING = /^(?:(\d{1,2})[.)]\s+)?(\S.{0,400}\bshould)\s*:?$/i;
const GROUP_NUMBER_PREFIX = /^(\d{1,2})[.)]\s+(?=\S)/;

/** Stray emphasis marks left around a line by the file's conversion ("should:**"). */
function withoutStrayMarks(text: string): string {
  return tidyText(text.replace(/^[*_\s]+|[*_\s]+$/g, ''));
}

/** The heading's list of addressees: the heading without its closing "should:". */
export function addresseeText(heading: string): string {
  return heading
    .replace(/\s*\b(?:should|must|shall|will|needs? to|(?:is|are) (?:asked|required) to)\s*:?\s*$/i, '')
    .trim();
}

/** Reads the recommendations part paragraph by paragraph. */
class RecommendationReader {
  readonly groups: OpenGroup[] = [];
  private current: OpenGroup | null = null;
  private last: Recommendation | null = null;
  // Unnumbered paragraphs not yet placed: the next recommendation decides what they were.
  private pending: string[] = [];

  constructor(private readonly warnings: string[]) {}

  read(raw: string): void {
    const text = withoutStrayMarks(raw);
    if (text === '') return;
    const recommendation = RECOMMENDATION.exec(text);
    if (recommendation) {
      this.add(String(Number(recommendation[1])), Number(recommendation[2]), recommendation[3] ?? '');
      return;
    }
    const heading = GROUP_HEADING.exec(text);
    if (heading) {
      this.placePending(null);
      this.open(heading[1] ?? null, text.replace(GROUP_NUMBER_PREFIX, ''));
      return;
    }
    // A recommendation that runs on over a line or page break, or into a list of points.
    if (this.last && (/^\p{Ll}/u.test(text) || !/[.!?]["”’)]?$/.test(this.last.text)))
      this.last.text = tidyText(`${this.last.text} ${text}`);
    else this.pending.push(text);
  }

  finish(): void {
    this.placePending(null);
  }

  private open(number: string | null, heading: string): void {
    this.current = { number, heading, recommendations: [] };
    this.groups.push(this.current);
    this.last = null;
  }

  private add(groupNumber: string, item: number, text: string): void {
    const number = `${groupNumber}.${item}`;
    this.placePending(groupNumber);
    const group = this.groupFor(groupNumber, number);
    if (group.recommendations.some((r) => r.number === number)) {
      this.warnings.push(
        `Recommendation ${number} appears twice; only the first was kept. The second begins "${text.slice(0, 80)}".`,
      );
      this.last = null;
      return;
    }
    this.last = { number, text };
    group.recommendations.push(this.last);
  }

  /** The open group when it can be group N (a heading without a written number takes N), else group N. */
  private groupFor(groupNumber: string, first: string): OpenGroup {
    const open = this.current;
    const existing = this.groups.find((g) => g.number === groupNumber);
    if (open && !existing && open.recommendations.length === 0) {
      if (open.number !== null && open.number !== groupNumber) {
        this.warnings.push(
          `The group heading "${open.heading}" is numbered ${open.number} but is followed by ` +
            `recommendation ${first}; the recommendation's number was used.`,
        );
      }
      open.number = groupNumber;
      return open;
    }
    if (open?.number === groupNumber) return open;
    if (existing) return existing;
    this.warnings.push(
      `Recommendation ${first} has no group heading saying who should act on it. Add the organisations by hand.`,
    );
    this.open(groupNumber, '');
    return this.current ?? { number: groupNumber, heading: '', recommendations: [] };
  }

  /**
   * Before the first recommendation of a new group, the last unplaced paragraph is that group's
   * heading, even though it does not end in "should:"; anything else unplaced is reported.
   */
  private placePending(groupNumber: string | null): void {
    const heading = this.pending[this.pending.length - 1];
    const open = this.current;
    const waitingHeading = open !== null && open.recommendations.length === 0;
    const startsGroup =
      groupNumber !== null &&
      !waitingHeading &&
      open?.number !== groupNumber &&
      !this.groups.some((g) => g.number === groupNumber);
    if (heading && startsGroup) {
      this.pending.pop();
      const text = heading.replace(GROUP_NUMBER_PREFIX, '');
      this.warnings.push(
        `The heading of recommendation group ${groupNumber} ("${text}") does not end in "should:"; ` +
          'check who the recommendations are for.',
      );
      this.open(GROUP_NUMBER_PREFIX.exec(heading)?.[1] ?? null, text);
    }
    for (const text of this.pending)
      this.warnings.push(
        `This text among the recommendations was not read as part of any recommendation: "${text.slice(0, 120)}".`,
      );
    this.pending = [];
  }
}

/**
 * The recommendation groups of the recommendations part's paragraphs, in order, with warnings for
 * anything doubtful.
 */
export function readRecommendationGroups(paragraphs: readonly string[], warnings: string[]): RecommendationGroup[] {
  const reader = new RecommendationReader(warnings);
  for (const text of paragraphs) reader.read(text);
  reader.finish();
  const finished: RecommendationGroup[] = [];
  for (const group of reader.groups) {
    if (group.number === null || group.recommendations.length === 0) {
      if (group.heading !== '')
        warnings.push(
          `The group heading "${group.heading}" is followed by no numbered recommendations, so it was left out.`,
        );
      continue;
    }
    checkSequence(
      group.recommendations.map((r) => r.number),
      'recommendation',
      warnings,
    );
    finished.push({ number: group.number, heading: group.heading, recommendations: group.recommendations });
  }
  checkSequence(
    finished.map((g) => `0.${g.number}`),
    'recommendation group',
    warnings,
  );
  return finished;
}

/** Warns where numbers ("2.1", "2.2", "2.4") skip or go back: something may be missing. */
export function checkSequence(numbers: readonly string[], what: string, warnings: string[]): void {
  const shown = (n: string) => (n.startsWith('0.') ? n.slice(2) : n);
  numbers.forEach((number, i) => {
    const item = Number(number.split('.').pop());
    const previous = numbers[i - 1];
    const expected = previous === undefined ? 1 : Number(previous.split('.').pop()) + 1;
    if (item !== expected) {
      warnings.push(
        previous === undefined
          ? `The first ${what} is numbered ${shown(number)}; check that none before it is missing.`
          : `The ${what} numbers go from ${shown(previous)} to ${shown(number)}; ` +
              'check that none is missing or out of order.',
      );
    }
  });
}
