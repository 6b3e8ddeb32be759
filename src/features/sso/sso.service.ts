import * as oidc from 'openid-client';
import type { Db } from '../../platform/db/database.ts';
import type { OidcConfig } from '../../config.ts';
import { recordAudit } from '../../platform/audit.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import { normaliseEmail, tokenHash } from '../../platform/auth/secrets.ts';
import { startSession, type SessionSettings } from '../accounts/sessions.service.ts';
import { isUnreachable, OidcProvider } from './sso.provider.ts';
import {
  deleteAttemptsExpiredBy,
  findMappingFor,
  findUserByEmailAddress,
  findUserByIdentity,
  insertAttempt,
  insertIdentity,
  insertSsoSession,
  insertUser,
  takeAttempt,
  takeSsoSession,
} from './sso.repository.ts';

/*
 * Signing in with an OpenID Connect provider (docs/sign-in.md): the authorization code flow with
 * PKCE, a state and a nonce, each single use. openid-client checks the ID token: its signature with
 * the provider's published keys, its issuer, audience, expiry and nonce. The person is then found
 * by the provider's (issuer, subject), or linked by a verified email address to the account that
 * has it, or given an account when their email domain (or organisation claim) is mapped to an
 * organisation that may join. Roles still come only from memberships. A sign-in with the provider
 * counts as its strong authentication: Clasp does not ask for its own second step.
 */

/** How long someone has to sign in at the provider and come back. */
export const ATTEMPT_MINUTES = 10;

export const SSO_UNAVAILABLE =
  "Your organisation's sign-in service cannot be reached just now. " +
  'Try again later, or sign in with your email address and password.';
export const SSO_NOT_SET_UP =
  'Your organisation is not set up to use Clasp. Ask your Clasp administrator to add it, ' +
  'or sign in with your email address and password if you have them.';
export const SSO_DISABLED =
  'Your Clasp account has been turned off. Ask your Clasp administrator if you need it again.';
export const SSO_EMAIL_NOT_VERIFIED =
  "Your organisation's account did not confirm your email address, so Clasp cannot find your account. " +
  'Ask your Clasp administrator for help.';
export const SSO_NO_EMAIL =
  "Your organisation's account did not give Clasp an email address, so Clasp cannot make you an account. " +
  'Ask your Clasp administrator for help.';
export const SSO_EXPIRED = 'Signing in took too long or was started in another browser. Try again.';
export const SSO_FAILED = "Signing in with your organisation's account did not work. Try again.";
export const SSO_CANCELLED = "You did not finish signing in with your organisation's account. Try again.";
/** The refusal of a password for a domain that must use single sign-on. */
export const SSO_REQUIRED = (buttonText: string) =>
  `Your organisation signs in to Clasp with its own accounts, not a password. Use "${buttonText}".`;

/** Who is signing in, from where: for the audit trail and security events. */
export interface Seen {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

export type SsoOutcome =
  { kind: 'signed in'; token: string; userId: number; returnTo: string } | { kind: 'refused'; message: string };

export interface SsoSettings {
  oidc: OidcConfig;
  /** {public base}/sign-in/sso/callback */
  redirectUri: string;
  /** {public base}/signed-out: where the provider sends people once it has signed them out. */
  signedOutUri: string;
}

/** Signing in with the provider configured by CLASP_OIDC_*; absent when none is. */
export class SingleSignOn {
  readonly provider: OidcProvider;

  constructor(
    readonly settings: SsoSettings,
    private readonly now: () => Date,
  ) {
    this.provider = new OidcProvider(settings.oidc, now);
  }

  get buttonText(): string {
    return this.settings.oidc.buttonText;
  }

  /** The address to send the person to at the provider; records the attempt (state, nonce, verifier). */
  async start(db: Db, returnTo: string): Promise<URL> {
    const config = await this.provider.configuration();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const now = this.now();
    await deleteAttemptsExpiredBy(db, now.toISOString());
    await insertAttempt(db, {
      state_hash: tokenHash(state),
      nonce,
      code_verifier: verifier,
      return_to: returnTo,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ATTEMPT_MINUTES * 60_000).toISOString(),
    });
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.oidc.scopes,
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * The provider's answer at the callback address: a session for the person, or why not. Every
   * refusal is recorded as a security event; linking an identity and making an account are audited.
   */
  async finish(db: Db, sessions: SessionSettings, callbackUrl: URL, seen: Seen): Promise<SsoOutcome> {
    const now = this.now();
    const refuse = async (message: string, why: string, extra: Record<string, unknown> = {}) => {
      await recordSecurityEvent(
        db,
        {
          kind: 'sign-in failed',
          ...seen,
          userId: (extra.userId as number | undefined) ?? null,
          email: (extra.email as string | undefined) ?? null,
          path: '/sign-in/sso/callback',
          detail: { how: 'single sign-on', why, ...(extra.error ? { error: extra.error } : {}) },
        },
        now,
      );
      return { kind: 'refused', message } as const;
    };

    const state = callbackUrl.searchParams.get('state') ?? '';
    const attempt = state ? await takeAttempt(db, tokenHash(state)) : undefined;
    if (!attempt) return refuse(SSO_EXPIRED, 'unknown state');
    if (Date.parse(attempt.expires_at) <= now.getTime()) return refuse(SSO_EXPIRED, 'sign-in took too long');
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      return refuse(providerError === 'access_denied' ? SSO_CANCELLED : SSO_FAILED, 'the provider refused', {
        error: providerError.slice(0, 100),
      });
    }

    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      const config = await this.provider.configuration();
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: attempt.code_verifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (isUnreachable(error)) {
        this.provider.markDown();
        return refuse(SSO_UNAVAILABLE, 'the provider could not be reached');
      }
      return refuse(SSO_FAILED, 'the answer failed its checks', { error: whatFailed(error).slice(0, 300) });
    }
    const idClaims = tokens.claims();
    if (!idClaims) return refuse(SSO_FAILED, 'no ID token');
    const settings = this.settings.oidc;
    const claims = await this.withUserInfo(idClaims, tokens.access_token);
    const issuer = idClaims.iss;
    const subject = idClaims.sub;
    const emailClaim = claims[settings.emailClaim];
    const email = typeof emailClaim === 'string' && emailClaim.includes('@') ? normaliseEmail(emailClaim) : null;
    const verified = email !== null && (settings.emailVerified === 'provider' || claims.email_verified === true);
    const nameClaim = claims[settings.nameClaim];
    const name =
      typeof nameClaim === 'string' && nameClaim.trim() ? nameClaim.trim().slice(0, 200) : (email ?? subject);
    const orgClaim = settings.organisationClaim ? claimValues(claims[settings.organisationClaim]) : [];

    let user = await findUserByIdentity(db, issuer, subject);
    let linked: 'identity' | 'email' | 'new account' = 'identity';
    if (!user && email) {
      const byEmail = await findUserByEmailAddress(db, email);
      if (byEmail) {
        if (!verified) return refuse(SSO_EMAIL_NOT_VERIFIED, 'email not verified', { email, userId: byEmail.id });
        user = byEmail;
        linked = 'email';
      }
    }
    if (user?.disabled_at) return refuse(SSO_DISABLED, 'account disabled', { email, userId: user.id });

    let organisationId: number | null = null;
    let newEmail: string | null = null;
    if (!user) {
      const mapping = await this.mappingFor(db, email, orgClaim);
      if (!mapping?.may_join) {
        return refuse(SSO_NOT_SET_UP, mapping ? 'organisation may not join' : 'organisation not mapped', { email });
      }
      if (!email) return refuse(SSO_NO_EMAIL, 'no email address', {});
      if (!verified) return refuse(SSO_EMAIL_NOT_VERIFIED, 'email not verified', { email });
      organisationId = mapping.organisation_id;
      newEmail = email;
      linked = 'new account';
    }

    const person = await db.transaction().execute(async (trx) => {
      let account = user ? { id: user.id, name: user.name } : null;
      if (!account && newEmail) {
        const id = await insertUser(trx, { email: newEmail, name, created_at: now.toISOString() });
        account = { id, name };
        await recordAudit(
          trx,
          {
            actor: name,
            userId: id,
            organisationId,
            entityType: 'user',
            entityId: id,
            action: 'account made at first sign-in',
            after: { name, email, organisationId, issuer },
            requestId: seen.requestId,
          },
          now,
        );
      }
      if (!account) throw new Error('no account to sign in to');
      if (linked !== 'identity') {
        await insertIdentity(trx, { user_id: account.id, issuer, subject, linked_at: now.toISOString() });
        await recordAudit(
          trx,
          {
            actor: account.name,
            userId: account.id,
            entityType: 'user',
            entityId: account.id,
            action: 'linked to single sign-on',
            after: { issuer, subject, by: linked === 'email' ? 'verified email' : 'new account' },
            requestId: seen.requestId,
          },
          now,
        );
      }
      return account;
    });

    const session = await startSession(db, sessions, person, seen, now);
    const endSession = await this.endSessionEndpoint();
    if (tokens.id_token && endSession) {
      await insertSsoSession(db, {
        session_id: tokenHash(session.token),
        issuer,
        id_token: tokens.id_token,
        created_at: now.toISOString(),
      });
    }
    return { kind: 'signed in', token: session.token, userId: person.id, returnTo: attempt.return_to };
  }

  /**
   * Where signing out leads for a session begun with the provider, when it supports signing out
   * (RP-initiated logout) and CLASP_OIDC_LOGOUT is yes; null otherwise. Forgets the session's ID token.
   */
  async signOutUrl(db: Db, sessionId: string): Promise<string | null> {
    const row = await takeSsoSession(db, sessionId);
    if (!row || !this.settings.oidc.logout) return null;
    try {
      const config = await this.provider.configuration();
      if (!config.serverMetadata().end_session_endpoint) return null;
      return oidc
        .buildEndSessionUrl(config, {
          id_token_hint: row.id_token,
          post_logout_redirect_uri: this.settings.signedOutUri,
        })
        .toString();
    } catch {
      return null;
    }
  }

  /**
   * The ID token's claims, with any the settings name that it lacks filled in from the provider's
   * userinfo endpoint (CIS2 gives some only there). The ID token's own claims always win: iss and
   * sub in particular come only from it. When userinfo cannot be read, the ID token's claims stand.
   */
  private async withUserInfo(claims: oidc.IDToken, accessToken: string): Promise<Record<string, unknown>> {
    const { emailClaim, nameClaim, organisationClaim } = this.settings.oidc;
    const wanted = [emailClaim, nameClaim, organisationClaim].filter((c): c is string => c !== null);
    if (wanted.every((c) => claims[c] !== undefined) || !accessToken) return claims;
    try {
      const config = await this.provider.configuration();
      if (!config.serverMetadata().userinfo_endpoint) return claims;
      const info = await oidc.fetchUserInfo(config, accessToken, claims.sub);
      return { ...info, ...claims };
    } catch {
      return claims;
    }
  }

  private async endSessionEndpoint(): Promise<string | null> {
    if (!this.settings.oidc.logout) return null;
    try {
      return (await this.provider.configuration()).serverMetadata().end_session_endpoint ?? null;
    } catch {
      return null;
    }
  }

  private async mappingFor(db: Db, email: string | null, claimValues: string[]) {
    for (const value of claimValues) {
      const byClaim = await findMappingFor(db, 'claim', value);
      if (byClaim) return byClaim;
    }
    const domain = email ? emailDomain(email) : null;
    return domain ? findMappingFor(db, 'domain', domain) : undefined;
  }
}

/** What a check of the provider's answer found wrong, from the error and its causes (no tokens in it). */
function whatFailed(error: unknown): string {
  const said: string[] = [];
  let claim: string | null = null;
  let at: unknown = error;
  for (let depth = 0; depth < 4 && at && typeof at === 'object'; depth += 1) {
    const { code, message, cause } = at as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof message === 'string') said.push(`${typeof code === 'string' ? `${code}: ` : ''}${message}`);
    const named = (at as { claim?: unknown }).claim;
    if (typeof named === 'string') claim ??= named;
    at = cause;
  }
  return `${said.join('; ')}${claim ? ` (the ${claim} claim)` : ''}`;
}

/** A claim's values as text: one string or number, or each of an array's. */
function claimValues(value: unknown): string[] {
  const all = Array.isArray(value) ? value : [value];
  return all
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map((v) => String(v).trim())
    .filter((v) => v !== '')
    .slice(0, 50);
}

/** The part of an email address after the @, in lower case. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at > 0 ? normaliseEmail(email.slice(at + 1)) : null;
}

/**
 * For the sign-in and forgotten-password forms: the refusal to give against the email field when
 * the address's domain must use single sign-on (and single sign-on is configured); null otherwise.
 */
export async function passwordRefusalFor(db: Db, settings: OidcConfig | null, email: string): Promise<string | null> {
  return settings && (await singleSignOnRequiredFor(db, email, true)) ? SSO_REQUIRED(settings.buttonText) : null;
}

/**
 * Whether a password may be used for this address: not when an administrator requires single
 * sign-on for its domain and single sign-on is configured. For the sign-in and forgotten-password forms.
 */
export async function singleSignOnRequiredFor(db: Db, email: string, ssoConfigured: boolean): Promise<boolean> {
  if (!ssoConfigured) return false;
  const domain = emailDomain(normaliseEmail(email));
  if (!domain) return false;
  const mapping = await findMappingFor(db, 'domain', domain);
  return mapping?.require_sso === 1;
}
