/*
 * Page objects: what a person sees on each page of Clasp, what they can do there, and where it
 * leads. One file per area under pages/; the tests import them all from here.
 *
 * - pages/clasp-page.ts   ClaspPage (every page: heading, breadcrumbs, summary lists, error
 *                         summary, the check on arrival, downloads) and FormPage (a form sent by one button)
 * - pages/reviews.ts      the list of reviews, a review's overview, the not-found page
 * - pages/recommendation.ts  a recommendation, a finding
 * - pages/action.ts       an action
 * - pages/assurance.ts    the progress, evidence, evidence decision and rating forms
 * - pages/imports.ts      the report and plan upload pages and their previews
 * - pages/outputs.ts      versions, issuing a version, a version, a comparison, the board report page
 * - pages/accounts.ts     sign-in, forgotten password, sign-out, account
 * - pages/editing.ts      the forms that add, change and archive parts of the plan, and what is archived
 * - pages/records.ts      an action's history, the audit trail, an organisation, the members
 * - pages/admin.ts        the system administrator's pages
 * - pages/board-report-html.ts  the board report's HTML opened on its own, outside the app
 * - pages/problems.ts     the watch on each tab for script errors, CSP refusals and failed loads
 */
export * from './pages/text.ts';
export * from './pages/problems.ts';
export * from './pages/reading.ts';
export * from './pages/clasp-page.ts';
export * from './pages/reviews.ts';
export * from './pages/recommendation.ts';
export * from './pages/action.ts';
export * from './pages/assurance.ts';
export * from './pages/imports.ts';
export * from './pages/outputs.ts';
export * from './pages/accounts.ts';
export * from './pages/editing.ts';
export * from './pages/records.ts';
export * from './pages/admin.ts';
export * from './pages/board-report-html.ts';
