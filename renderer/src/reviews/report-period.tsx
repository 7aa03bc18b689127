/**
 * What the Reports and the Calibration dialogs share: the period and form they cover (From, To,
 * Form, the last twelve weeks at first), and the theme's colours their charts are drawn in.
 */
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import { dateOf, endOfDay, startOfDay } from '../calls/call-query.ts';
import type { DisplayZone } from '../preferences/display-zone.ts';
import { DayField } from '../ui/form-fields.tsx';

export interface ChartColors {
  readonly accent: string;
  /** The second series (pass rate; a lenient reviewer). */
  readonly second: string;
  /** Misses, auto-fails, a strict reviewer. */
  readonly danger: string;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly surface: string;
}

/** The chart colours are the theme's (styles.css), read again when the OS switches light and dark. */
export function useChartColors(): ChartColors {
  const read = useCallback((): ChartColors => {
    const style = getComputedStyle(document.documentElement);
    const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    return {
      accent: get('--accent', '#4f46e5'),
      second: get('--wave-played-2', '#0d9488'),
      danger: get('--danger', '#c0262d'),
      text: get('--text', '#1b1e2b'),
      muted: get('--text-muted', '#5f657a'),
      grid: get('--border', '#e3e5ee'),
      surface: get('--surface', '#ffffff'),
    };
  }, []);
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setColors(read());
    scheme.addEventListener('change', onChange);
    return () => scheme.removeEventListener('change', onChange);
  }, [read]);
  return colors;
}

/** One look for every chart's axes and tooltips. */
export function chartStyles(colors: ChartColors) {
  return {
    tick: { fill: colors.muted, fontSize: 11 },
    tooltip: { background: colors.surface, borderColor: colors.grid, color: colors.text },
  };
}

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  readonly formId: string;
  setFrom(day: string): void;
  setTo(day: string): void;
  setFormId(formId: string): void;
  /** The period as the queries take it (whole days in the display zone), or null while a day is unset. */
  readonly range: { from: string; to: string; formId: string | null } | null;
}

const TWELVE_WEEKS_MS = 12 * 7 * 86_400_000;

/** The period a report covers: the last twelve weeks at first, every form. */
export function useReportPeriod(zone: DisplayZone): ReportPeriod {
  const [from, setFrom] = useState(() => dateOf(new Date(Date.now() - TWELVE_WEEKS_MS).toISOString(), zone));
  const [to, setTo] = useState(() => dateOf(new Date().toISOString(), zone));
  const [formId, setFormId] = useState('');
  // A new object only when the period changes, so an effect that queries by it runs once per change.
  const range = useMemo(() => {
    const fromIso = startOfDay(from, zone);
    const toIso = endOfDay(to, zone);
    return fromIso === null || toIso === null ? null : { from: fromIso, to: toIso, formId: formId || null };
  }, [from, to, formId, zone]);
  return { from, to, formId, setFrom, setTo, setFormId, range };
}

/** From, To and Form, then what the dialog adds (its own choices, its export buttons). */
export function PeriodControls(props: {
  period: ReportPeriod;
  forms: readonly FormVersion[];
  children?: ReactNode;
}) {
  const { period } = props;
  return (
    <div className="reports-controls">
      <DayField label="From" value={period.from} max={period.to} onChange={period.setFrom} />
      <DayField label="To" value={period.to} min={period.from} onChange={period.setTo} />
      <select
        aria-label="Form"
        value={period.formId}
        onChange={(event) => period.setFormId(event.target.value)}
      >
        <option value="">Every form</option>
        {props.forms.map((form) => (
          <option key={form.form_id} value={form.form_id}>
            {form.title}
          </option>
        ))}
      </select>
      {props.children}
    </div>
  );
}
