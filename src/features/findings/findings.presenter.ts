import type { getFinding, getFindingsList } from './findings.service.ts';

const KIND_TEXT = { concern: 'Concern', good_practice: 'Good practice' } as const;

type FindingsList = Awaited<ReturnType<typeof getFindingsList>>;
type FindingPage = Awaited<ReturnType<typeof getFinding>>;

interface FindingItem {
  number: string;
  href: string;
  editHref: string;
  text: string;
  kind: string;
  publicHealth: boolean;
  recommendations: { number: string; href: string }[];
}

/** Findings grouped under their sections, in report order. */
export function presentFindingsList({ review, findings }: FindingsList) {
  const base = `/reviews/${review.id}`;
  const sections: { name: string; findings: FindingItem[] }[] = [];
  for (const f of findings) {
    let section = sections.at(-1);
    if (!section || section.name !== f.section) {
      section = { name: f.section, findings: [] };
      sections.push(section);
    }
    section.findings.push({
      number: f.number,
      href: `${base}/findings/${encodeURIComponent(f.number)}`,
      editHref: `${base}/findings/${encodeURIComponent(f.number)}/edit`,
      text: f.text,
      kind: KIND_TEXT[f.kind],
      publicHealth: f.public_health === 1,
      recommendations: f.recommendations.map((n) => ({
        number: n,
        href: `${base}/recommendations/${encodeURIComponent(n)}`,
      })),
    });
  }
  return {
    pageTitle: `Findings – ${review.area}`,
    area: review.area,
    count: findings.length,
    sections,
    newFindingHref: `${base}/findings/new`,
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
    ],
  };
}

export function presentFinding({ review, finding, recommendations }: FindingPage) {
  const base = `/reviews/${review.id}`;
  return {
    pageTitle: `Finding ${finding.number} – ${review.area}`,
    number: finding.number,
    editHref: `${base}/findings/${encodeURIComponent(finding.number)}/edit`,
    section: finding.section,
    text: finding.text,
    kind: KIND_TEXT[finding.kind],
    isConcern: finding.kind === 'concern',
    publicHealth: finding.public_health === 1,
    recommendations: recommendations.map((r) => ({
      number: r.number,
      text: r.text,
      href: `${base}/recommendations/${encodeURIComponent(r.number)}`,
    })),
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
      { text: 'Findings', href: `${base}/findings` },
    ],
  };
}

type FindingRow = FindingPage['finding'];

function findingJson(f: FindingRow) {
  return {
    id: f.id,
    number: f.number,
    section: f.section,
    text: f.text,
    kind: f.kind,
    public_health: f.public_health === 1,
  };
}

/** The findings list -> the JSON answer (findingsListAnswer). */
export function presentFindingsJson({ findings }: FindingsList) {
  return { findings: findings.map((f) => ({ ...findingJson(f), recommendations: f.recommendations })) };
}

/** A finding page -> the JSON answer (findingPageAnswer). */
export function presentFindingJson({ finding, recommendations }: FindingPage) {
  return {
    finding: findingJson(finding),
    recommendations: recommendations.map((r) => ({ number: r.number, text: r.text })),
  };
}
