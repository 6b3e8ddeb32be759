// Small pieces of plain English that pages and documents share, so a count or an action's
// name reads the same on screen and in every document (GOV.UK and NHS content style: numerals
// for numbers, sentence case).

/** 2976 → "2,976": fixed, not locale-dependent, so a document reads the same everywhere. */
export function numberWords(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 action", "93 actions", "2 pieces of evidence". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${numberWords(n)} ${n === 1 ? singular : pluralForm}`;
}

/** "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** "Action 2 of recommendation 1.1": how an action is named wherever it is listed on its own. */
export function actionLabel(position: number, recommendationNumber: string): string {
  return `Action ${position} of recommendation ${recommendationNumber}`;
}
