// The one interpreter behind every format: walks the report's blocks in reading order,
// switching part at the report's own headings — the opening pages (review details), "The
// child's journey" and "Management" (findings by section), "Recommendations", "Next steps".
import type { FindingSection, ReportDraft, ReportFinding, ReportGroup, ReportOrganisation } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import {
  looksLikeOrganisationName,
  organisationKind,
  sameOrganisation,
  splitOrganisationList,
} from '../organisation-names.ts';
import { paragraph, tidyText, type ReportBlock } from './blocks.ts';
import { finding, isPointerOnly, readNumberedFinding, readSectionHeading } from './findings.ts';
import { addresseeText, checkSequence, readRecommendationGroups, type RecommendationGroup } from './recommendations.ts';
import { readReviewDetails } from './review-details.ts';

type Part = 'opening' | 'other' | 'findings' | 'recommendations' | 'end';

export const NO_RECOMMENDATIONS =
  'This file has no numbered recommendations, so it cannot be read as a CQC report. Check that you chose the CQC ' +
  'review report itself (not the action plan or a covering letter) and that the whole report is there: its ' +
  'recommendations are numbered 1.1, 1.2 and so on near the end. If it is, upload the report in another format, ' +
  'such as the PDF from the CQC website or the Word version.';

const NOT_A_REPORT =
  'This file has numbered recommendations but no numbered findings and no review details, so it does not look ' +
  'like a CQC review report. If it is an action plan, import it as a plan instead; ' +
  'otherwise upload the CQC report itself.';

/** The part of the report a heading starts, or null when the paragraph is not such a heading. */
function partStartedBy(text: string): Part | null {
  const name = tidyText(text)
    .replace(/^\d{1,2}(?:\.\d{1,2})?\.?\s+/, '')
    .replace(/:$/, '')
    .toLowerCase();
  if (name.length > 40) return null;
  if (/^(?:the child['’]s journey|management)$/.test(name) || readSectionHeading(text)) return 'findings';
  if (name === 'recommendations') return 'recommendations';
  if (name === 'next steps') return 'end';
  if (
    new RegExp(
      '^(?:summary of the review|about the review|how we carried out the review|context of the review|' +
        'the report|what people told us|contents)$',
    ).test(name)
  )
    return 'other';
  return null;
}

type OpenFinding = { number: string; section: FindingSection; parts: string[] };

/** Reads findings paragraph by paragraph: a numbered paragraph opens one; narrative between them is not part of any. */
class FindingReader {
  readonly findings: ReportFinding[] = [];
  private section: { section: FindingSection; number: string | null; heading: string } | null = null;
  private open: OpenFinding | null = null;
  private numbersBySection = new Map<string, string[]>();

  constructor(private readonly warnings: string[]) {}

  read(block: ReportBlock): void {
    if (block.kind === 'pair') {
      this.close();
      return;
    }
    const text = block.text;
    const heading = readSectionHeading(text);
    if (heading) {
      this.close();
      this.section = { ...heading, heading: text };
      return;
    }
    const numbered = readNumberedFinding(text);
    if (numbered) {
      this.start(numbered.number, numbered.text);
      return;
    }
    // A pointer or a lower-case start cut off by a page break still belongs to the open finding.
    if (this.open && (isPointerOnly(text) || /^\p{Ll}/u.test(text))) this.open.parts.push(text);
    else this.close();
  }

  private start(number: string, text: string): void {
    this.close();
    const prefix = number.split('.').slice(0, -1).join('.');
    if (!this.section) {
      this.warnings.push(
        `Paragraph ${number} is numbered like a finding but does not follow a section heading such as "Early ` +
          'help", so it was left out.',
      );
      return;
    }
    this.section.number ??= prefix;
    if (this.section.number !== prefix) {
      this.warnings.push(
        `Finding ${number} is numbered for another section than "${this.section.heading}", which it follows; ` +
          'check its section.',
      );
    }
    const seen = this.numbersBySection.get(prefix) ?? [];
    if (seen.includes(number)) {
      this.warnings.push(`Finding ${number} appears twice; only the first was kept.`);
      return;
    }
    this.numbersBySection.set(prefix, [...seen, number]);
    this.open = { number, section: this.section.section, parts: [text] };
  }

  close(): void {
    if (this.open) this.findings.push(finding(this.open.number, this.open.section, this.open.parts.join(' ')));
    this.open = null;
  }

  checkNumbering(): void {
    for (const numbers of this.numbersBySection.values()) checkSequence(numbers, 'finding', this.warnings);
  }
}

/** Addressees from each group heading, matched to the review's organisations (new ones added as addressees). */
function groupsWithAddressees(
  groups: RecommendationGroup[],
  organisations: ReportOrganisation[],
  warnings: string[],
): ReportGroup[] {
  return groups.map((group) => {
    // Only whole names help to split a list; a fragment of a damaged header would mislead.
    const known = organisations.map((o) => o.name).filter(looksLikeOrganisationName);
    const addressees = splitOrganisationList(addresseeText(group.heading), known);
    if (group.heading !== '' && addressees.length === 0)
      warnings.push(
        `No organisations could be read from the heading of recommendation group ${group.number} ` +
          `("${group.heading}"). Add them by hand.`,
      );
    const matched = addressees.map((name) => {
      let organisation = organisations.find((o) => sameOrganisation(o.name, name));
      if (!organisation) {
        organisation = { name, kind: organisationKind(name), role: 'addressee' };
        organisations.push(organisation);
        if (organisation.kind === 'other')
          warnings.push(
            `"${name}", named in the heading of recommendation group ${group.number}, ` +
              "is not a recognised form of an organisation's name; check that the heading's organisations were " +
              'split correctly.',
          );
      }
      return organisation.name;
    });
    return {
      number: group.number,
      heading: group.heading,
      addressees,
      organisations: matched,
      recommendations: group.recommendations,
    };
  });
}

function checkPointers(findings: readonly ReportFinding[], groups: readonly ReportGroup[], warnings: string[]): void {
  const numbers = new Set(groups.flatMap((g) => g.recommendations.map((r) => r.number)));
  for (const f of findings) {
    for (const r of f.recommendations)
      if (!numbers.has(r))
        warnings.push(`Finding ${f.number} points to recommendation ${r}, which the report does not have.`);
  }
  if (!findings.some((f) => f.recommendations.length > 0)) return;
  for (const number of numbers) {
    if (!findings.some((f) => f.recommendations.includes(number)))
      warnings.push(`No finding points to recommendation ${number}, so the plan will list no findings behind it.`);
  }
}

function dedupeOrganisations(organisations: ReportOrganisation[]): ReportOrganisation[] {
  return organisations.filter((o, i) => organisations.findIndex((other) => sameOrganisation(other.name, o.name)) === i);
}

/**
 * The review, findings and recommendations of a report, from its blocks. Throws ImportRejected when it
 * is not a report.
 */
export function readReportBlocks(blocks: readonly ReportBlock[]): ReportDraft {
  const warnings: string[] = [];
  const opening: ReportBlock[] = [];
  const recommendationParagraphs: string[] = [];
  const findingReader = new FindingReader(warnings);
  let part = 'opening' as Part;
  let beforeFindings = true;
  for (const raw of blocks) {
    // Beyond the opening pages a two-cell table row is text ("1.1" | "Work with GPs…"), not a header row.
    const block: ReportBlock =
      raw.kind === 'pair' && (part === 'findings' || part === 'recommendations')
        ? paragraph(`${raw.label} ${raw.value}`)
        : raw;
    const next: Part | null = block.kind === 'paragraph' ? partStartedBy(block.text) : null;
    if (next) {
      if (part === 'findings' && next !== 'findings') findingReader.close();
      part = next;
      if (next === 'findings' || next === 'recommendations') beforeFindings = false;
    }
    if (beforeFindings) opening.push(block);
    if (part === 'findings') findingReader.read(block);
    else if (part === 'recommendations' && !next && block.kind === 'paragraph')
      recommendationParagraphs.push(block.text);
  }
  findingReader.close();

  const detailWarnings: string[] = [];
  const review = readReviewDetails(opening, detailWarnings);
  const recommendationGroups = readRecommendationGroups(recommendationParagraphs, warnings);
  if (recommendationGroups.length === 0) throw new ImportRejected(NO_RECOMMENDATIONS);
  if (findingReader.findings.length === 0 && !review.reviewStart && !review.published)
    throw new ImportRejected(NOT_A_REPORT);
  if (findingReader.findings.length === 0)
    warnings.push("No numbered findings were found under the sections of the child's journey or management.");
  findingReader.checkNumbering();

  review.organisations = dedupeOrganisations(review.organisations);
  const groups = groupsWithAddressees(recommendationGroups, review.organisations, warnings);
  checkPointers(findingReader.findings, groups, warnings);
  return { review, findings: findingReader.findings, groups, warnings: [...detailWarnings, ...warnings] };
}
