/** URLs in log lines: token values in paths and query strings masked, ids and names kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskUrl } from '../../src/http/app.js';

test('Semaphore\'s token path is masked whatever the value\'s length (an imported value may be short)', () => {
  assert.equal(maskUrl('/api/user/tokens/legacy-secret-1'), '/api/user/tokens/[redacted]');
  assert.equal(maskUrl('/api/user/tokens/x?y=1'), '/api/user/tokens/[redacted]?y=1');
  assert.equal(maskUrl('//api/user//tokens/abc'), '//api/user//tokens/[redacted]');
  assert.equal(maskUrl('/api/user/tokens'), '/api/user/tokens');
});

test('long opaque segments anywhere are masked; token ids and names are not', () => {
  assert.equal(maskUrl(`/api/v1/tokens/tok_0VdARrKqIz93KDZW?name=ci`), '/api/v1/tokens/tok_0VdARrKqIz93KDZW?name=ci');
  assert.equal(maskUrl('/message?token=tsr_PfliI0dpm5nhpVs85Z6Z1y5Mj7W0nNkCQ'), '/message?token=[redacted]');
});
