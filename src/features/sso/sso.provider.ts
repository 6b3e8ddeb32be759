import * as oidc from 'openid-client';
import { isLoopback, type OidcConfig } from '../../config.ts';

/*
 * The OpenID Connect provider, as Clasp's client sees it: its description (discovery), fetched
 * when first needed and kept for an hour. When the provider cannot be reached, Clasp says so for
 * a minute without asking again, so the sign-in page does not wait on every visit.
 */

/** The provider could not be reached (or did not describe itself). */
export class ProviderUnavailable extends Error {}

const KEEP_MS = 60 * 60_000;
const RETRY_AFTER_MS = 60_000;
/** How long Clasp waits for the provider's description, in seconds. */
const DISCOVERY_TIMEOUT_SECONDS = 5;

export class OidcProvider {
  private found: { config: oidc.Configuration; at: number } | null = null;
  private downSince: number | null = null;
  private pending: Promise<oidc.Configuration> | null = null;

  constructor(
    readonly settings: OidcConfig,
    private readonly now: () => Date,
  ) {}

  /** The provider's description, fetched when not kept; ProviderUnavailable when it cannot be reached. */
  async configuration(): Promise<oidc.Configuration> {
    const at = Date.now();
    if (this.found && at - this.found.at < KEEP_MS) return this.found.config;
    if (this.downSince !== null && at - this.downSince < RETRY_AFTER_MS) {
      throw new ProviderUnavailable('the provider could not be reached a moment ago');
    }
    this.pending ??= this.discover().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Whether the provider can be reached now (from what is known, or by asking it). */
  async reachable(): Promise<boolean> {
    try {
      await this.configuration();
      return true;
    } catch {
      return false;
    }
  }

  /** Forget the description, after a request to the provider failed: it is asked again in a minute. */
  markDown(): void {
    this.found = null;
    this.downSince = Date.now();
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    // The clock Clasp is given (tests set it apart from the system's) is the one ID tokens are checked against.
    const skew = Math.round((this.now().getTime() - Date.now()) / 1000);
    try {
      const config = await oidc.discovery(
        new URL(issuer),
        clientId,
        { [oidc.clockSkew]: skew },
        clientSecret ? oidc.ClientSecretPost(clientSecret) : oidc.None(),
        {
          timeout: DISCOVERY_TIMEOUT_SECONDS,
          // Plain http only for a provider on this computer (config.ts refuses any other): the tests' own.
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- marked so only to stand out; loopback only
          ...(issuer.startsWith('http://') && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      );
      this.found = { config, at: Date.now() };
      this.downSince = null;
      return config;
    } catch (error) {
      this.markDown();
      throw new ProviderUnavailable(error instanceof Error ? error.message : String(error));
    }
  }
}

/** Whether an error from the client means the provider could not be reached, rather than that it refused. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof ProviderUnavailable) return true;
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  return (
    error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    (error instanceof TypeError && /fetch failed/i.test(error.message)) ||
    (cause !== undefined && isUnreachable(cause)) ||
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT/.test(error.message)
  );
}
