import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFormVersion } from '../../../../shared/reviews/form-schema.ts';
import { scoreReview } from '../../../../shared/reviews/scoring.ts';

const DOC = readFileSync(join(import.meta.dirname, '../../../../docs/forms.md'), 'utf8');

describe('docs/forms.md', () => {
  it('shows an example form that the schema accepts, and that scores as the page says', () => {
    const example = /```json\n([\s\S]*?)\n```/.exec(DOC)?.[1];
    expect(example).toBeDefined();
    const result = parseFormVersion(JSON.parse(example!));
    expect(result.ok ? 'valid' : result.error).toBe('valid');
    if (!result.ok) return;
    const score = scoreReview(result.form, [
      { question_id: 'right_party', option_id: 'yes' },
      { question_id: 'pressure', option_id: 'threat' },
    ]);
    expect(score.reasons).toEqual([
      'Auto-fail of section "Compliance": "No pressure or threats" answered "A threat"',
    ]);
  });
});
