import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './log-redaction.ts';

describe('redactUrl', () => {
  const cases: [string, string][] = [
    ['/reset-password/abcDEF123_-xyz', '/reset-password/[redacted]'],
    ['/reset-password/abc?x=1', '/reset-password/[redacted]?x=1'],
    ['/reviews/3?token=s3cret&page=2', '/reviews/3?token=[redacted]&page=2'],
    ['/x?Password=a&code=b&next=%2Freviews', '/x?Password=[redacted]&code=[redacted]&next=%2Freviews'],
    ['/reviews/3/actions/4', '/reviews/3/actions/4'],
    ['/sign-in?next=/reset-password/abc', '/sign-in?next=/reset-password/abc'],
  ];
  for (const [url, expected] of cases) it(`${url} → ${expected}`, () => assert.equal(redactUrl(url), expected));
});
