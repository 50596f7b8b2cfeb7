// JWT authorizers of HTTP APIs and COGNITO_USER_POOLS authorizers of REST APIs, checked as API Gateway does: the
// token (optionally `Bearer `-prefixed) is verified with the issuer's keys, then `iss`, `exp`/`nbf`, the audience
// (`aud`, or `client_id` of Cognito access tokens) and the route's scopes (`scope`/`scp`). The keys come from a local
// JWKS file or URL given per issuer (the `jwks` option / `--jwks <issuer>=<file-or-url>`): the twin never fetches an
// issuer's keys on its own.
import * as fs from 'fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, JWTPayload } from 'jose';
import type { AuthorizeInput, AuthorizeOutcome } from './authorize';
import { identityValue } from './identity-source';
import { forbidden, unauthorized } from './responses';
import type { AuthorizerSpec } from '../../../model/api-auth';

/** API Gateway verifies JWT signatures with RSA keys only. */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

type KeySet = ReturnType<typeof createLocalJWKSet>;
const remoteKeySets = new Map<string, KeySet>();
const fileKeySets = new Map<string, { mtimeMs: number; keys: KeySet }>();

/** The issuer of a Cognito user pool's tokens, from the pool's ARN. */
export function cognitoIssuer(poolArn: string, region: string): string {
  const m = /^arn:aws[\w-]*:cognito-idp:([^:]+):[^:]*:userpool\/(.+)$/.exec(poolArn);
  return m ? `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}` : `https://cognito-idp.${region}.amazonaws.com/${poolArn}`;
}

export async function jwtAuthorize(input: AuthorizeInput, authorizer: AuthorizerSpec): Promise<AuthorizeOutcome> {
  const rest = authorizer.apiKind === 'REST';
  const label = `${rest ? 'REST COGNITO_USER_POOLS' : 'HTTP API JWT'} authorizer ${authorizer.name} (${authorizer.id})`;
  const invalid = (description: string, why = description): AuthorizeOutcome => unauthorized(`${label}: ${why}`,
    rest ? {} : { 'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${description}"` });

  const source = authorizer.identitySource[0] ?? (rest ? 'method.request.header.Authorization' : '$request.header.Authorization');
  const raw = identityValue(input, source);
  if (!raw) return unauthorized(`${label}: the identity source ${source} is missing or empty`);
  const token = raw.replace(/^Bearer\s+/i, '').trim();

  const issuers = rest
    ? (authorizer.providerArns ?? []).map((arn) => cognitoIssuer(arn, input.region))
    : authorizer.jwtIssuer !== undefined ? [authorizer.jwtIssuer] : [];
  let payload: JWTPayload;
  try {
    const unverified = decodeClaims(token);
    if (!unverified) return invalid('the token is not a JWT');
    const issuer = typeof unverified.iss === 'string' ? unverified.iss : undefined;
    if (issuer === undefined || !issuers.includes(issuer)) {
      return invalid('the token has an invalid issuer', `the token's issuer ${JSON.stringify(unverified.iss)} is not ${issuers.join(' or ')}`);
    }
    const keys = keySetFor(input, issuer);
    if (typeof keys === 'string') return invalid('unable to get the signing keys', keys);
    const now = (input.now ?? Date.now)();
    ({ payload } = await jwtVerify(token, keys, { issuer: issuers, algorithms: RSA_ALGORITHMS, currentDate: new Date(now) }));
  } catch (e) {
    return invalid(describeJoseError(e), `the token was refused: ${(e as Error).message}`);
  }

  if (!rest && (authorizer.jwtAudience ?? []).length > 0) {
    const audiences = authorizer.jwtAudience ?? [];
    const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    if (!aud.some((a) => audiences.includes(a)) && !(clientId !== undefined && audiences.includes(clientId))) {
      return invalid('the token does not have a valid audience', `neither aud ${JSON.stringify(payload.aud)} nor client_id ${JSON.stringify(clientId)} is one of ${audiences.join(', ')}`);
    }
  }

  const required = input.authorization.scopes ?? [];
  const tokenScopes = scopesOf(payload);
  if (required.length > 0 && !tokenScopes.some((s) => required.includes(s))) {
    const why = `${label}: the token's scopes [${tokenScopes.join(' ')}] include none of the route's [${required.join(' ')}]`;
    return rest ? unauthorized(why) : forbidden(why, { 'www-authenticate': `Bearer scope="${required.join(' ')}" error="insufficient_scope" error_description="expected scopes: ${required.join(' ')}"` });
  }

  const claims = stringClaims(payload);
  return {
    allowed: true,
    authorizerContext: rest ? { claims } : { jwt: { claims, scopes: required.length > 0 ? tokenScopes : null } },
    reason: `${label}: a valid token of ${payload.iss} for ${payload.sub ?? '(no subject)'}`,
  };
}

/** The JWKS for `issuer`: from the `jwks` option (by issuer, or `*` for any), or why there is none. */
function keySetFor(input: AuthorizeInput, issuer: string): KeySet | string {
  const location = input.jwks?.[issuer] ?? input.jwks?.['*'];
  if (location === undefined) {
    return `no JWKS is configured for issuer ${issuer}: give one with --jwks ${issuer}=<jwks.json file or URL> (the jwks option in code)`;
  }
  if (/^https?:\/\//i.test(location)) {
    let keys = remoteKeySets.get(location);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(location), { timeoutDuration: 1500 });
      remoteKeySets.set(location, keys);
    }
    return keys;
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(location);
  } catch {
    return `the JWKS file ${location} for issuer ${issuer} does not exist`;
  }
  const known = fileKeySets.get(location);
  if (known && known.mtimeMs === stat.mtimeMs) return known.keys;
  try {
    const keys = createLocalJWKSet(JSON.parse(fs.readFileSync(location, 'utf8')));
    fileKeySets.set(location, { mtimeMs: stat.mtimeMs, keys });
    return keys;
  } catch (e) {
    return `the JWKS file ${location} for issuer ${issuer} is not a JSON Web Key Set ({"keys": [...]}): ${(e as Error).message}`;
  }
}

function decodeClaims(token: string): JWTPayload | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

function describeJoseError(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed) return e.claim === 'nbf' ? 'the token is not valid yet' : `the token has an invalid ${e.claim} claim`;
  if (e instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with an RSA algorithm';
  if (e instanceof errors.JWKSNoMatchingKey) return 'no signing key matches the token\'s kid';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'the token\'s signature is invalid';
  return 'the token is invalid';
}

/** `scope` (space-separated) or `scp` (a list or a string). */
function scopesOf(payload: JWTPayload): string[] {
  const value = payload.scope ?? payload.scp;
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(/\s+/).filter((s) => s) : [];
}

/** Claims as API Gateway passes them: every value a string (`"exp": "1787996002"`, lists as `[a b]`). */
function stringClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k,
    typeof v === 'string' ? v : Array.isArray(v) ? `[${v.map(String).join(' ')}]` : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)]));
}
