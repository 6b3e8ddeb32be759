// A comparison in plain lines, for the command line and for plain-text summaries.
import type { PlanComparison } from '../../../domain/plan-comparison.ts';
import { ratingName } from '../../../domain/ratings.ts';
import { plural } from '../../../domain/words.ts';

/**
 * One-sentence summary: "2 actions added, 1 removed, 3 changed; 4 rating changes; 5 new progress
 * updates; 1 new evidence item."
 */
export function comparisonSummary(c: PlanComparison): string {
  if (c.unchanged) return `Nothing changed between ${c.from.label} and ${c.to.label}.`;
  const parts = [
    c.addedRecommendations.length || c.removedRecommendations.length || c.changedRecommendations.length
      ? `recommendations: ${c.addedRecommendations.length} added, ${c.removedRecommendations.length} ` +
        `removed, ${c.changedRecommendations.length} changed`
      : '',
    `actions: ${c.addedActions.length} added, ${c.removedActions.length} removed, ${c.changedActions.length} changed`,
    plural(c.ratingChanges.length, 'rating change'),
    plural(c.newProgress.length, 'new progress update'),
    plural(c.newEvidence.length, 'new evidence item'),
    c.evidenceDecisions.length ? plural(c.evidenceDecisions.length, 'evidence decision') : '',
  ].filter(Boolean);
  return `From ${c.from.label} to ${c.to.label}: ${parts.join('; ')}.`;
}

export function comparisonLines(c: PlanComparison): string[] {
  const lines = [comparisonSummary(c)];
  if (c.unchanged) return lines;
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', `${title}:`, ...items.map((i) => `  ${i}`));
  };
  section(
    'Recommendations added',
    c.addedRecommendations.map((r) => `${r.number}: ${r.text}`),
  );
  section(
    'Recommendations removed',
    c.removedRecommendations.map((r) => `${r.number}: ${r.text}`),
  );
  section(
    'Recommendations changed',
    c.changedRecommendations.flatMap((r) =>
      r.changes.map((f) => `${r.number} ${f.field}: "${f.before}" → "${f.after}"`),
    ),
  );
  section(
    'Actions added',
    c.addedActions.map((a) => `${a.label} (${a.agency}): ${a.action}`),
  );
  section(
    'Actions removed',
    c.removedActions.map((a) => `${a.label} (${a.agency}): ${a.action}`),
  );
  section(
    'Actions changed',
    c.changedActions.flatMap((a) => a.changes.map((f) => `${a.label}, ${f.field}: "${f.before}" → "${f.after}"`)),
  );
  section(
    'Ratings',
    c.ratingChanges.map((r) => `${r.label}: ${ratingName(r.before)} → ${ratingName(r.after)}`),
  );
  section(
    'New progress',
    c.newProgress.map((p) => `${p.label}, ${p.on}: ${p.text}`),
  );
  section(
    'New evidence',
    c.newEvidence.map((e) => `${e.label}: ${e.title} (${e.status})`),
  );
  section(
    'Evidence decisions',
    c.evidenceDecisions.map((e) => `${e.label}: ${e.title}: ${e.before} → ${e.after}`),
  );
  return lines;
}
