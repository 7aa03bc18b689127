/**
 * What a person types to search what was said, as an FTS5 query over the transcript index.
 *
 *   cancel                  the word (accents and case ignored)
 *   "speak to a lawyer"     the words in that order
 *   canc*                   words starting with "canc" (two letters at least)
 *   lawyer cancel           both, anywhere in the call (each hit is a turn with one of them)
 *   lawyer OR attorney      either (OR binds the terms either side of it: `a OR b c` is (a OR b) AND c)
 *
 * Every term is quoted before it reaches FTS5, so nothing typed is ever read as FTS5 syntax (no
 * column filters, NEAR or stray operators) and no input is an error: terms with no letter or digit
 * are dropped, and a quote left open runs to the end.
 */
import type { Speaker } from './transcript.ts';

export interface SaidQuery {
  /**
   * One FTS5 expression (bound as the parameter of `transcript_fts MATCH ?`) per term a call must
   * have said: `a OR b c` is two, `(a OR b)` and `c`. A call matches when each finds a turn of it.
   */
  readonly required: readonly string[];
  /** Every term at once, for the turns to show as hits. */
  readonly any: string;
  /** The terms as read (for messages and tests). */
  readonly terms: readonly string[];
  /**
   * Per required term: when it is one phrase of plain words (letters a-z and digits once folded),
   * its words, so that a search can find candidates by its rarest word and check the order itself
   * (FTS5 reads every word's positions to match a phrase, common ones included); else null.
   */
  readonly phrases: readonly (readonly string[] | null)[];
  readonly speaker: Speaker | null;
}

/** Shorter prefixes would expand to a large part of the vocabulary. */
const MIN_PREFIX_LETTERS = 2;
const TERM = /"([^"]*)"?(\*?)|(\S+)/g;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The words of the index that start with a (folded) stem, or null when there are too many to list.
 * A prefix written as an OR of whole words is looked up per call as fast as a word; FTS5's own
 * prefix query merges every matching word's whole doclist on each lookup.
 */
export type PrefixExpander = (stem: string) => readonly string[] | null;

/**
 * The query for `text`, limited to one speaker when given; null when it has nothing to search for.
 * With `expand`, a one-word prefix becomes the words it stands for (the same matches, faster).
 */
export function saidQuery(
  text: string,
  speaker: Speaker | null = null,
  expand?: PrefixExpander,
): SaidQuery | null {
  const groups: string[][] = [];
  const phrases: (string[] | null)[] = [];
  const terms: string[] = [];
  let joinNext = false;
  for (const match of text.matchAll(TERM)) {
    const [, phrase, phraseStar, bare] = match;
    if (bare === 'OR') {
      joinNext = groups.length > 0;
      continue;
    }
    const term = phrase !== undefined ? quoted(phrase, phraseStar === '*') : bareTerm(bare!, expand);
    if (term === null) continue;
    terms.push(phrase !== undefined ? `"${phrase}"${phraseStar}` : bare!);
    if (joinNext) {
      groups.at(-1)!.push(term);
      phrases[phrases.length - 1] = null;
    } else {
      groups.push([term]);
      phrases.push(phrase !== undefined && phraseStar !== '*' ? plainWords(phrase) : null);
    }
    joinNext = false;
  }
  if (groups.length === 0) return null;
  const bySpeaker = (words: string) =>
    speaker === null ? `text : (${words})` : `text : (${words}) AND speaker : "${speaker}"`;
  return {
    required: groups.map((group) => bySpeaker(group.join(' OR '))),
    any: bySpeaker(groups.flat().join(' OR ')),
    terms,
    phrases,
    speaker,
  };
}

/** The words of a phrase as the index's tokenizer splits and folds them, if all are plain; else null. */
export function plainWords(text: string): string[] | null {
  const words = wordsOf(text);
  return words.length > 1 && words.every((word) => /^[a-z0-9]+$/.test(word)) ? words : null;
}

/** Text split into folded words (runs of letters and digits), as unicode61 does for plain words. */
export function wordsOf(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

function bareTerm(word: string, expand: PrefixExpander | undefined): string | null {
  const stem = word.replace(/\*+$/, '');
  const letters = [...stem].filter((character) => WORD_CHARACTER.test(character)).length;
  const prefix = word.endsWith('*') && letters >= MIN_PREFIX_LETTERS;
  const folded = fold(stem);
  if (prefix && expand && /^[\p{L}\p{N}]+$/u.test(folded)) {
    const words = expand(folded);
    if (words !== null && words.length > 0) {
      const alternatives = words.map((whole) => quoted(whole, false)!);
      return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`;
    }
  }
  return quoted(stem, prefix);
}

/**
 * What is wrong with a typed `said` query, said so that a person can fix it; null when it can be
 * searched. The list (and `said=` over HTTP) refuses these rather than guess: a query with no word
 * (`?!`, `*`), a prefix too short to look up (`c*`: it would stand for a large part of the
 * vocabulary) and an `OR` without a term on each side. Other slips are read leniently: a quote left
 * open runs to the end, punctuation between words is ignored.
 */
export function saidProblem(text: string): string | null {
  let terms = 0;
  let pendingOr = false;
  for (const match of text.matchAll(TERM)) {
    const [, phrase, , bare] = match;
    if (bare === 'OR') {
      if (terms === 0 || pendingOr) return 'OR needs a word on each side, as in: lawyer OR attorney.';
      pendingOr = true;
      continue;
    }
    if (bare?.endsWith('*')) {
      const letters = [...bare.replace(/\*+$/, '')].filter((character) => WORD_CHARACTER.test(character));
      if (letters.length > 0 && letters.length < MIN_PREFIX_LETTERS) {
        return `${bare} is too short a prefix: give at least ${MIN_PREFIX_LETTERS} letters or digits before the * (as in canc*).`;
      }
    }
    if (!WORD_CHARACTER.test(phrase ?? bare ?? '')) continue; // punctuation alone: nothing to search
    terms += 1;
    pendingOr = false;
  }
  if (pendingOr) return 'OR needs a word on each side, as in: lawyer OR attorney.';
  if (terms === 0) {
    return 'it has no word to search for: type words, a "quoted phrase" or a prefix* (letters or digits).';
  }
  return null;
}

/** As the index's tokenizer (unicode61, remove_diacritics 2) folds a word: lower case, no accents. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** An FTS5 string (the tokenizer splits it as it split the transcript), `*` for a prefix. */
function quoted(words: string, prefix: boolean): string | null {
  if (!WORD_CHARACTER.test(words)) return null;
  return `"${words.replaceAll('"', '""')}"${prefix ? ' *' : ''}`;
}
