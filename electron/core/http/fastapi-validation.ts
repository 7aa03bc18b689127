/**
 * Query and path validation that answers like the FastAPI service the spec documents: a 422 whose
 * `detail` is a list of pydantic-style issues, so scripts written against it read our errors too.
 */

export interface ValidationIssue {
  readonly type: string;
  /** Where: `['query', 'limit']`, `['body', 'answers', 0, 'option_id']`. */
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; '));
    this.issues = issues;
  }
}

export type QueryValues = Readonly<Record<string, string | string[] | undefined>>;

interface IntegerRule {
  readonly default: number;
  readonly ge: number;
  readonly le?: number;
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** Reads integer query parameters; collects every issue before failing, as FastAPI does. */
export function readIntegerQuery<const Name extends string>(
  query: QueryValues,
  rules: Readonly<Record<Name, IntegerRule>>,
): Record<Name, number> {
  const issues: ValidationIssue[] = [];
  const values = {} as Record<Name, number>;
  for (const name of Object.keys(rules) as Name[]) {
    const rule = rules[name];
    const raw = lastValue(query[name]);
    if (raw === undefined) {
      values[name] = rule.default;
      continue;
    }
    const text = raw.trim();
    const value = Number(text);
    if (!INTEGER_TEXT.test(text) || !Number.isSafeInteger(value)) {
      issues.push({
        type: 'int_parsing',
        loc: ['query', name],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: raw,
      });
    } else if (value < rule.ge) {
      issues.push({
        type: 'greater_than_equal',
        loc: ['query', name],
        msg: `Input should be greater than or equal to ${rule.ge}`,
        input: raw,
        ctx: { ge: rule.ge },
      });
    } else if (rule.le !== undefined && value > rule.le) {
      issues.push({
        type: 'less_than_equal',
        loc: ['query', name],
        msg: `Input should be less than or equal to ${rule.le}`,
        input: raw,
        ctx: { le: rule.le },
      });
    } else {
      values[name] = value;
    }
  }
  if (issues.length > 0) throw new RequestValidationError(issues);
  return values;
}

export function patternMismatch(location: 'path' | 'query', name: string, pattern: string, input: string) {
  return new RequestValidationError([
    {
      type: 'string_pattern_mismatch',
      loc: [location, name],
      msg: `String should match pattern '${pattern}'`,
      input,
      ctx: { pattern },
    },
  ]);
}

/** A repeated parameter (`?limit=1&limit=2`) takes its last value, as FastAPI does for scalars. */
function lastValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}
