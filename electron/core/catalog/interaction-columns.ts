import { DISPATCH_ID } from '../../../shared/dispatch.ts';
import { INTERACTION_FIELDS, type Interaction } from '../../../shared/recording.ts';
import type { CatalogDatabase } from './open-catalog.ts';
import { reversedPhoneDigits } from './phone-digits.ts';

/** Where interactions came from (stand-ins for recordings without metadata are the store's own). */
export type InteractionSource = 'file' | 'upstream';

/** The columns an import writes: the documented fields and what the catalog derives from them. */
export const WRITE_COLUMNS = [
  ...INTERACTION_FIELDS,
  'start_ms',
  'dispatch_phone',
  'dispatch_ts',
  'phone_rev',
  'source',
] as const;

/** An interaction as the catalog stores it: its fields and what is derived from them (WRITE_COLUMNS). */
export interface InteractionColumns extends Interaction {
  readonly start_ms: number | null;
  readonly dispatch_phone: string | null;
  readonly dispatch_ts: number | null;
  readonly phone_rev: string | null;
  readonly source: InteractionSource;
}

/** The WRITE_COLUMNS of one interaction by name, for statements with `$column` parameters. */
export function interactionColumns(interaction: Interaction, source: InteractionSource): InteractionColumns {
  const values: unknown[] = [];
  pushInteractionValues(values, interaction, source);
  return Object.fromEntries(
    WRITE_COLUMNS.map((column, index) => [column, values[index]]),
  ) as unknown as InteractionColumns;
}

/** Rows per multi-row INSERT: one statement call per 64 rows instead of per row. */
const ROWS_PER_STATEMENT = 64;

/**
 * Appends an interaction's values in WRITE_COLUMNS order (the bulk paths' hot loop: a regular
 * expression instead of parseDispatchId, no object per row).
 */
export function pushInteractionValues(
  values: unknown[],
  interaction: Interaction,
  source: InteractionSource,
): void {
  const dispatch = interaction.dispatch_id === null ? null : DISPATCH_ID.exec(interaction.dispatch_id);
  const startMs = interaction.start_time === null ? null : Date.parse(interaction.start_time);
  values.push(
    interaction.interaction_id,
    interaction.customer_name,
    interaction.phone,
    interaction.status,
    interaction.outcome,
    interaction.duration,
    interaction.start_time,
    interaction.end_time,
    interaction.dispatch_id,
    Number.isNaN(startMs) ? null : startMs,
    dispatch ? dispatch[2] : null,
    dispatch ? Number(dispatch[1]) : null,
    reversedPhoneDigits(interaction.phone),
    source,
  );
}

/**
 * Appends interactions to a table with the WRITE_COLUMNS, 64 rows per statement; `finish` writes
 * what is left. Plain INSERTs: the caller decides what the table is (staging, or an empty table).
 */
export class InteractionRowWriter {
  readonly #many;
  readonly #one;
  readonly #source: InteractionSource;
  readonly #values: unknown[] = [];
  #rows = 0;

  constructor(db: CatalogDatabase, table: string, source: InteractionSource) {
    const columns = WRITE_COLUMNS.join(', ');
    const row = `(${WRITE_COLUMNS.map(() => '?').join(', ')})`;
    this.#many = db.prepare<unknown[]>(
      `INSERT INTO ${table} (${columns}) VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => row).join(', ')}`,
    );
    this.#one = db.prepare<unknown[]>(`INSERT INTO ${table} (${columns}) VALUES ${row}`);
    this.#source = source;
  }

  add(interactions: readonly Interaction[]): void {
    const values = this.#values;
    for (const interaction of interactions) {
      pushInteractionValues(values, interaction, this.#source);
      if (values.length === ROWS_PER_STATEMENT * WRITE_COLUMNS.length) {
        this.#many.run(values);
        values.length = 0;
      }
    }
    this.#rows += interactions.length;
  }

  finish(): number {
    const values = this.#values;
    for (let start = 0; start < values.length; start += WRITE_COLUMNS.length) {
      this.#one.run(values.slice(start, start + WRITE_COLUMNS.length));
    }
    values.length = 0;
    return this.#rows;
  }
}
