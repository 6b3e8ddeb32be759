/*
 * Prints each review you can see with its plan's ratings, then the actions of the first one
 * that need attention. Run with the address of Clasp and an API token:
 *
 *   npx openapi-typescript "$CLASP_URL/api/openapi.json" -o clasp-api.ts
 *   CLASP_URL=https://clasp.example.nhs.uk CLASP_TOKEN=clasp_… npx tsx plan-ratings.ts
 *
 * The types in clasp-api.ts come from Clasp's own description, so a field misspelt here, or
 * one Clasp no longer sends, is a type error before anything runs.
 */
import createClient from 'openapi-fetch';
import type { paths } from './clasp-api.ts';

const clasp = createClient<paths>({
  baseUrl: process.env.CLASP_URL,
  headers: { Authorization: `Bearer ${process.env.CLASP_TOKEN}` },
});

const { data, error } = await clasp.GET('/api/reviews');
if (error) throw new Error(`Clasp refused: ${JSON.stringify(error)}`);

for (const review of data.reviews) {
  const { red, amber, green, blue, unrated } = review.ratings;
  console.log(
    `${review.area} (review ${review.id}): ${review.actions} actions; ` +
      `red ${red}, amber ${amber}, green ${green}, blue ${blue}, not rated ${unrated}`,
  );
}

const first = data.reviews[0];
if (first) {
  const { data: overview, error: refused } = await clasp.GET('/api/reviews/{reviewId}', {
    params: { path: { reviewId: first.id } },
  });
  if (refused) throw new Error(`Clasp refused: ${JSON.stringify(refused)}`);
  console.log(`${first.area}: ${overview.review.title}`);
}
