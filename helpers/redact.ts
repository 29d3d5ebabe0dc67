/**
 * Evidence leaves the grader through reports and attachments, so secrets never go in it, and
 * prompt and response text only when LAB_EVIDENCE=full.
 */
// `token` only at the end of a key: SessionToken and SigninToken are secrets, inputTokenCount is not.
const SECRET_KEY = /secret|token$|signature|password|credential|accesskeyid|authorization|session(id|key)/i;
const SECRET_VALUE =
  /\b(AKIA|ASIA)[A-Z0-9]{12,}\b|Signature=[0-9a-f]{64}|SigninToken=[^&\s]+|X-Amz-Security-Token=[^&\s]+/g;
// Secrets quoted inside text, e.g. a JSON document embedded in an error message.
const SECRET_IN_TEXT = /"(secretAccessKey|sessionToken|sessionKey|signinToken)"\s*:\s*"[^"]*"/gi;
const BODY_KEY = /^(inputBodyJson|outputBodyJson|inputBodyText|outputBodyText)$/;

export function redact(value: unknown, evidence: 'redacted' | 'full' = 'redacted'): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string')
    return value.replace(SECRET_VALUE, '[redacted]').replace(SECRET_IN_TEXT, '"$1": "[redacted]"');
  if (Array.isArray(value)) return value.map((v) => redact(v, evidence));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (SECRET_KEY.test(key)) return [key, v === undefined ? v : '[redacted]'];
        if (BODY_KEY.test(key) && evidence !== 'full')
          return [key, `[${JSON.stringify(v ?? null).length} characters]`];
        return [key, redact(v, evidence)];
      }),
    );
  }
  return value;
}
