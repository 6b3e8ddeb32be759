/** The tables of signing in with an identity provider (OpenID Connect). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables are added
export interface SingleSignOnTables {}
