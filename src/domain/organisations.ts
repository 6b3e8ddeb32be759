// The kinds of organisation that take part in a review, and what a page calls each one.

export type OrganisationKind =
  'commissioner' | 'nhs_trust' | 'gp_practice' | 'local_authority' | 'nhs_england' | 'other';

export const ORGANISATION_KIND_NAMES: Readonly<Record<OrganisationKind, string>> = {
  commissioner: 'Commissioner',
  nhs_trust: 'NHS trust',
  gp_practice: 'GP practice',
  local_authority: 'Local authority',
  nhs_england: 'NHS England',
  other: 'Other organisation',
};
