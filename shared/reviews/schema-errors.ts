/**
 * Zod's issues as a person reads them: the path of the bad field the way one would write it in
 * JavaScript (`sections[2].questions[0].options`) and a plain-English message (`at least 2`).
 * Forms are hand-edited JSON files and events arrive from other machines, so the message must say
 * which field is wrong without a stack of zod vocabulary.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `['sections', 2, 'questions', 0, 'id']` → `sections[2].questions[0].id`; the root is `(the form)`. */
export function issuePath(path: readonly PropertyKey[], root = '(top level)'): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? root : out;
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function typeName(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  switch (typeof input) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isFinite(input) ? 'a number' : 'a number that is not finite';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof input;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  literal: 'a fixed value',
};

function bound(issue: {
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  origin?: string;
}): string {
  const small = 'minimum' in issue && issue.minimum !== undefined;
  const limit = String(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const unit = issue.origin === 'string' ? ' characters' : '';
  if (issue.origin === 'string' && small && limit === '1') return 'must not be empty';
  if (issue.origin === 'array' && small && limit === '1') return 'at least 1 (it must not be empty)';
  if (small) return inclusive ? `at least ${limit}${unit}` : `more than ${limit}${unit}`;
  return inclusive ? `at most ${limit}${unit}` : `less than ${limit}${unit}`;
}

/** One issue as `path: message`. */
export function describeIssue(issue: Issue, root?: string): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => `${issuePath([...issue.path, key], root)}: unknown field (check its spelling)`)
        .join('; ');
    case 'invalid_type': {
      const where = issuePath(issue.path, root);
      // The input is in the issue only when parsed with { reportInput: true }; else zod's message says.
      const reported = 'input' in issue;
      const missing = reported ? issue.input === undefined : issue.message.endsWith('received undefined');
      if (missing) return `${where}: required`;
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return reported
        ? `${where}: expected ${expected}, got ${typeName(issue.input)}`
        : `${where}: expected ${expected}`;
    }
    case 'too_small':
    case 'too_big':
      return `${issuePath(issue.path, root)}: ${bound(issue)}`;
    case 'invalid_value':
      return `${issuePath(issue.path, root)}: must be ${
        issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${quoteAll(issue.values)}`
      }`;
    case 'invalid_union': {
      const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : null;
      if (options) return `${issuePath(issue.path, root)}: must be one of ${quoteAll(options)}`;
      return `${issuePath(issue.path, root)}: ${issue.message}`;
    }
    case 'not_multiple_of':
      return `${issuePath(issue.path, root)}: must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      // Our schemas give their formats a message; zod's own default names the format.
      return `${issuePath(issue.path, root)}: ${issue.message}`;
    default:
      return `${issuePath(issue.path, root)}: ${issue.message}`;
  }
}

/**
 * The first few issues of an error, in zod's order, joined by `; `. Parse with `{ reportInput: true }`
 * so that a wrong type can say what it got.
 */
export function describeIssues(error: z.ZodError, root?: string, max = 3): string {
  const lines = error.issues.slice(0, max).map((issue) => describeIssue(issue, root));
  const more = error.issues.length - max;
  return more > 0 ? `${lines.join('; ')} (and ${more} more)` : lines.join('; ');
}
