import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/*
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1, for the single sign-on tests. People
 * sign in at its own login page (its development interactions: any subject, any password); the
 * subject typed is looked up in `people` for the claims it gives. Consent is taken as given.
 */

export interface ProviderPerson {
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** The organisation claim (as CIS2's organisation code would be). */
  org_code?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  people: Map<string, ProviderPerson>;
  provider: Provider;
  /** The addresses of every request it has received, newest last. */
  requests: string[];
  /** Stops answering (the port is closed), as a provider that is down. */
  stop(): Promise<void>;
}

export interface ProviderOptions {
  /** Where Clasp is reached: its callback and signed-out addresses are registered with the provider. */
  claspBase: string;
  /** Whether the provider offers RP-initiated logout (an end_session_endpoint). Default true. */
  logout?: boolean;
  /** How long ID tokens last, in seconds. */
  idTokenSeconds?: number;
  /** Give email, name and org_code only from the userinfo endpoint, not in the ID token (as CIS2 does for some). */
  claimsFromUserInfoOnly?: boolean;
}

export async function startProvider(options: ProviderOptions): Promise<TestProvider> {
  const people = new Map<string, ProviderPerson>();
  const requests: string[] = [];
  let handler: http.RequestListener = (_request, response) => response.end();
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'clasp';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.claspBase}/sign-in/sso/callback`],
        post_logout_redirect_uris: [`${options.claspBase}/signed-out`],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    findAccount(_ctx, sub) {
      const person = people.get(sub);
      return Promise.resolve(person ? { accountId: sub, claims: () => ({ sub, ...person }) } : undefined);
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'org_code'],
    },
    // The claims come in the ID token itself, unless the test wants them only from userinfo.
    conformIdTokenClaims: options.claimsFromUserInfoOnly === true,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: options.logout !== false },
    },
    ttl: { IdToken: options.idTokenSeconds ?? 3600 },
    cookies: { keys: ['a-test-cookie-key'] },
    // Consent is given: the test is about Clasp, not the provider's consent page.
    async loadExistingGrant(ctx) {
      const { session, client, provider: self } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      if (grantId) return self.Grant.find(grantId);
      const grant = new self.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'org_code']);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  handler = (request, response) => void callback(request, response);
  return {
    issuer,
    clientId,
    clientSecret,
    people,
    provider,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Clasp's settings for this provider. */
export function claspSettings(provider: TestProvider, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CLASP_OIDC_ISSUER: provider.issuer,
    CLASP_OIDC_CLIENT_ID: provider.clientId,
    CLASP_OIDC_CLIENT_SECRET: provider.clientSecret,
    CLASP_OIDC_ORGANISATION_CLAIM: 'org_code',
    ...extra,
  };
}

/** A browser's cookies for one site, enough for the provider's login and its redirects. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
}

/**
 * Signs in at the provider as `subject`, from its authorization address to the redirect back to
 * Clasp: follows its redirects and posts its login form, as a browser would. Gives the address
 * the provider sends the browser back to.
 */
export async function signInAtProvider(authorizationUrl: string, subject: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | null = null;
  for (let step = 0; step < 10; step += 1) {
    const response: Response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body: body.toString() } : {}),
    });
    jar.take(response);
    body = null;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== url.origin) return next;
      url = next;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
    if (!action || !/name="login"/.test(html)) {
      throw new Error(`The provider answered ${response.status}: ${html.slice(0, 500)}`);
    }
    url = new URL(action.replace(/&amp;/g, '&'), url);
    body = new URLSearchParams({ prompt: 'login', login: subject, password: 'any password' });
  }
  throw new Error('The provider did not send the browser back to Clasp');
}
