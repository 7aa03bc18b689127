/**
 * The list's `said` filter as SQL, for the two ways the list reads (call-pages.ts):
 * - `seek`: pages read in the list's order with a LIMIT (first pages, keyset pages). For words said
 *   in many calls, each call is looked up in the index as the order index reaches it, so a page
 *   stops after a page of matches; for words said in few calls, those calls are listed.
 * - `whole`: a filter's whole ordered view (deep pages, counts, export): the few calls listed, or
 *   one pass over the words' index for many.
 * Both keep exactly the same calls. A plan reads the index (up to FEW_CALLS calls) to choose, so it
 * is kept until the list changes (a transcript saved or removed moves the same counter as a call).
 */
import type { Statement } from 'better-sqlite3';
import { saidText, type CallFilter, type SaidSql } from '../catalog/call-filter.ts';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import { ServiceError } from '../service-error.ts';
import { saidProblem } from './said-query.ts';
import { TranscriptStore, type SaidFilterPlan } from './transcript-store.ts';

/** Matches no call: a query that has nothing to search for finds nothing. */
const NOTHING: SaidFilterPlan = { condition: '0', params: {}, reach: 'few' };
const MAX_PLANS = 32;

interface Plans {
  readonly generation: number;
  readonly seek: SaidFilterPlan;
  whole?: SaidSql;
}

const plansOf = new WeakMap<CatalogDatabase, SaidPlans>();

/** The refusal of a said query that cannot be searched, in words a person can act on. */
export function checkSaid(text: string): void {
  const problem = saidProblem(text);
  if (problem !== null) throw new ServiceError('invalid_input', `said: ${problem}`);
}

export class SaidPlans {
  /** One per catalog connection. */
  static of(db: CatalogDatabase): SaidPlans {
    let plans = plansOf.get(db);
    if (!plans) {
      plans = new SaidPlans(db);
      plansOf.set(db, plans);
    }
    return plans;
  }

  readonly #store: TranscriptStore;
  readonly #generation: Statement<[], number>;
  readonly #plans = new Map<string, Plans>();

  private constructor(db: CatalogDatabase) {
    this.#store = TranscriptStore.of(db);
    this.#generation = db.prepare<[], number>('SELECT n FROM interactions_generation WHERE id = 1').pluck();
  }

  /** For a page read in the list's order with a LIMIT; null when the filter has no said. */
  seek(filter: CallFilter): SaidFilterPlan | null {
    return this.#plansOf(filter)?.seek ?? null;
  }

  /** For the filter's whole view; null when the filter has no said. */
  whole(filter: CallFilter): SaidSql | null {
    const plans = this.#plansOf(filter);
    if (plans === null) return null;
    if (plans.seek.reach === 'few') return plans.seek;
    plans.whole ??= this.#store.saidFilterSql(saidText(filter)!, { speaker: filter.saidBy }) ?? NOTHING;
    return plans.whole;
  }

  #plansOf(filter: CallFilter): Plans | null {
    const text = saidText(filter);
    if (text === null) return null;
    checkSaid(text);
    const key = `${filter.saidBy ?? ''}\n${text}`;
    const generation = this.#generation.get()!;
    const known = this.#plans.get(key);
    if (known?.generation === generation) return known;
    if (this.#plans.size >= MAX_PLANS) this.#plans.clear(); // a few searches at a time
    const plans = { generation, seek: this.#store.saidFilter(text, { speaker: filter.saidBy }) ?? NOTHING };
    this.#plans.set(key, plans);
    return plans;
  }
}
