import { downloadFileName } from '../../../shared/download-name.ts';
import type { CallQuery, CallRow, Waveform } from '../../../shared/contract.ts';
import type { Interaction } from '../../../shared/recording.ts';
import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from './open-catalog.ts';

/** An interaction with what a download of its recording needs. */
export interface CallRecording {
  readonly interactionId: string;
  readonly key: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly fileName: string;
}

interface CallRowRecord extends Interaction {
  recording_key: string | null;
  recording_size: number | null;
  recording_phone: string | null;
  recording_ts: number | null;
  recording_etag: string | null;
}

const ROW_COLUMNS = `i.interaction_id, i.customer_name, i.phone, i.status, i.outcome, i.duration, i.start_time,
  i.end_time, i.dispatch_id, r.key AS recording_key, r.size AS recording_size, r.phone AS recording_phone,
  r.ts AS recording_ts, r.etag AS recording_etag`;

/**
 * The queries behind the desktop list: filtered, searched, counted pages of calls, the facets the
 * filters offer, a call's recording, and cached waveforms. Search is a substring match for now
 * (the FTS5 index comes with the catalog-at-scale work).
 */
export class CallQueries {
  readonly #db: CatalogDatabase;
  readonly #byId;
  readonly #waveformGet;
  readonly #waveformPut;
  readonly #recordingByKey;
  readonly #statuses;
  readonly #outcomes;
  readonly #byShape = new Map<string, Statement<Record<string, unknown>, unknown>>();

  constructor(db: CatalogDatabase) {
    this.#db = db;
    this.#byId = db.prepare<[string], CallRowRecord>(
      `SELECT ${ROW_COLUMNS} FROM interactions i LEFT JOIN recordings r ON r.id = i.recording_id
        WHERE i.interaction_id = ?`,
    );
    this.#waveformGet = db.prepare<[string], { data: string }>(
      'SELECT data FROM waveforms WHERE recording_key = ?',
    );
    this.#waveformPut = db.prepare<[string, string | null, string, number]>(
      `INSERT INTO waveforms (recording_key, etag, data, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (recording_key) DO UPDATE SET etag = excluded.etag, data = excluded.data, created_at = excluded.created_at`,
    );
    this.#recordingByKey = db.prepare<[string], { key: string; size: number | null; etag: string | null }>(
      'SELECT key, size, etag FROM recordings WHERE key = ?',
    );
    this.#statuses = db.prepare<[], { value: string }>(
      'SELECT DISTINCT status AS value FROM interactions WHERE status IS NOT NULL ORDER BY 1 LIMIT 200',
    );
    this.#outcomes = db.prepare<[], { value: string }>(
      'SELECT DISTINCT outcome AS value FROM interactions WHERE outcome IS NOT NULL ORDER BY 1 LIMIT 200',
    );
  }

  /** A page of calls matching the query, newest first, and how many match in all. */
  list(query: CallQuery): { rows: CallRow[]; total: number } {
    const { where, params } = whereClause(query);
    const rows = this.#prepared<CallRowRecord>(
      `SELECT ${ROW_COLUMNS} FROM interactions i LEFT JOIN recordings r ON r.id = i.recording_id ${where}
          ORDER BY i.start_ms DESC, i.interaction_id DESC LIMIT $limit OFFSET $offset`,
    ).all({ ...params, limit: query.limit, offset: query.offset });
    const total = this.#prepared<{ n: number }>(`SELECT count(*) AS n FROM interactions i ${where}`).get(
      params,
    )!.n;
    return { rows: rows.map(toCallRow), total };
  }

  /** A filter combination's statement, prepared once: the list asks the same shapes again and again. */
  #prepared<Row>(sql: string): Statement<Record<string, unknown>, Row> {
    let statement = this.#byShape.get(sql);
    if (!statement) {
      if (this.#byShape.size >= 64) this.#byShape.clear(); // shapes are few; this only bounds the map
      statement = this.#db.prepare<Record<string, unknown>, unknown>(sql);
      this.#byShape.set(sql, statement);
    }
    return statement as Statement<Record<string, unknown>, Row>;
  }

  facets(): { statuses: string[]; outcomes: string[] } {
    return {
      statuses: this.#statuses.all().map((row) => row.value),
      outcomes: this.#outcomes.all().map((row) => row.value),
    };
  }

  /** The recording an interaction resolves to, with the name its download gets; null if it has none. */
  recordingOf(interactionId: string): CallRecording | null {
    const row = this.#byId.get(interactionId);
    if (!row || row.recording_key === null) return null;
    return {
      interactionId,
      key: row.recording_key,
      size: row.recording_size,
      etag: row.recording_etag,
      fileName: fileNameOf(row),
    };
  }

  /** A recording the catalog knows (the only ones the player and downloads may open). */
  recordingByKey(key: string): { key: string; size: number | null; etag: string | null } | null {
    return this.#recordingByKey.get(key) ?? null;
  }

  waveform(key: string): Waveform | null {
    const row = this.#waveformGet.get(key);
    return row ? (JSON.parse(row.data) as Waveform) : null;
  }

  saveWaveform(key: string, etag: string | null, waveform: Waveform, now: number): void {
    this.#waveformPut.run(key, etag, JSON.stringify(waveform), now);
  }
}

function whereClause(query: CallQuery): { where: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  const search = query.search.trim();
  if (search !== '') {
    const digits = search.replace(/\D/g, '');
    // A phone number typed with formatting ("(510) 345-5686") matches the digits stored.
    const looksLikePhone = /^[\d\s()+.-]+$/.test(search) && digits.length >= 3;
    params.search = `%${escapeLike(search)}%`;
    const phoneMatch = looksLikePhone
      ? ` OR replace(replace(i.phone, '+', ''), ' ', '') LIKE $digits ESCAPE '\\'`
      : '';
    if (looksLikePhone) params.digits = `%${digits}%`;
    conditions.push(
      `(i.customer_name LIKE $search ESCAPE '\\' OR i.phone LIKE $search ESCAPE '\\' OR i.interaction_id LIKE $search ESCAPE '\\'
        OR i.dispatch_id LIKE $search ESCAPE '\\'${phoneMatch}${looksLikePhone ? ` OR i.dispatch_id LIKE $digits ESCAPE '\\'` : ''})`,
    );
  }
  inList('status', query.status, conditions, params);
  inList('outcome', query.outcome, conditions, params);
  if (query.from !== null) {
    conditions.push('i.start_ms >= $fromMs');
    params.fromMs = Date.parse(query.from);
  }
  if (query.to !== null) {
    conditions.push('i.start_ms <= $toMs');
    params.toMs = Date.parse(query.to);
  }
  if (query.hasRecording !== null) {
    conditions.push(query.hasRecording ? 'i.recording_id IS NOT NULL' : 'i.recording_id IS NULL');
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function inList(
  column: 'status' | 'outcome',
  values: readonly string[],
  conditions: string[],
  params: Record<string, unknown>,
) {
  if (values.length === 0) return;
  const names = values.map((value, index) => {
    params[`${column}${index}`] = value;
    return `$${column}${index}`;
  });
  conditions.push(`i.${column} IN (${names.join(', ')})`);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function fileNameOf(row: CallRowRecord): string {
  return downloadFileName({
    customerName: row.customer_name,
    phone: row.recording_phone ?? row.phone ?? 'unknown',
    timestamp: row.recording_ts ?? 0,
  });
}

function toCallRow(row: CallRowRecord): CallRow {
  return {
    interaction_id: row.interaction_id,
    customer_name: row.customer_name,
    phone: row.phone,
    status: row.status,
    outcome: row.outcome,
    duration: row.duration,
    start_time: row.start_time,
    end_time: row.end_time,
    dispatch_id: row.dispatch_id,
    recording:
      row.recording_key === null
        ? null
        : { key: row.recording_key, size: row.recording_size, fileName: fileNameOf(row) },
  };
}
