import type { Generated } from 'kysely';

/** A sign-in sent to the provider and not yet back (single use, 10 minutes). */
export interface SsoAttemptTable {
  /** SHA-256 of the state sent to the provider; the state itself is only in the address. */
  state_hash: string;
  nonce: string;
  /** The PKCE code verifier, sent with the code to prove this is the client that asked. */
  code_verifier: string;
  /** The page to go to once signed in (a path on this site). */
  return_to: string;
  created_at: string;
  expires_at: string;
}

/** A provider's account linked to a Clasp account: found by (issuer, subject) after the first time. */
export interface SsoIdentityTable {
  id: Generated<number>;
  user_id: number;
  issuer: string;
  subject: string;
  linked_at: string;
}

/** An email domain, or a value of the organisation claim, mapped to an organisation by an administrator. */
export interface SignInDomainTable {
  id: Generated<number>;
  kind: 'domain' | 'claim';
  /** The domain in lower case (nhs.net), or the claim's value as the provider sends it. */
  value: string;
  organisation_id: number;
  /** 1 when someone new from here gets an account at their first sign-in. */
  may_join: number;
  /** 1 when people with an address at this domain must sign in with the provider, not a password. */
  require_sso: number;
  created_at: string;
  updated_at: string;
}

/** A session begun with the provider: the ID token to send as the hint when it ends. */
export interface SsoSessionTable {
  session_id: string;
  issuer: string;
  id_token: string;
  created_at: string;
}

/** The tables of signing in with an identity provider (OpenID Connect). */
export interface SingleSignOnTables {
  sso_attempts: SsoAttemptTable;
  sso_identities: SsoIdentityTable;
  sign_in_domains: SignInDomainTable;
  sso_sessions: SsoSessionTable;
}
