import type { Tag } from '../auth/credentials';

/**
 * Session tags: the tags AssumeRole was passed, and which of them are transitive (carried into
 * every session a role chain assumes from it). They are kept on the session itself
 * (`TemporarySession.tags`), so a journal replay rebuilds them with the session, and a request
 * signed with the session carries them in its `caller`.
 */

/** Tag keys are case-insensitive in IAM and STS, though the case given is kept. */
export const sameKey = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The principal tags a session's requests carry (`aws:PrincipalTag/<key>`): the role's tags,
 * overridden by session tags with the same key in any case.
 */
export function principalTagContext(roleTags: readonly Tag[], sessionTags: readonly Tag[] = []) {
  const tags = [...roleTags.filter((r) => !sessionTags.some((s) => sameKey(s.Key, r.Key))), ...sessionTags];
  return Object.fromEntries(tags.map((t) => [`aws:PrincipalTag/${t.Key}`, t.Value]));
}
