/**
 * The calibration report (issue 12): over a period, per reviewer, agreement with a reference
 * reviewer and how lenient or strict they score (mean difference), as recharts charts like the
 * Reports view (a diverging bar for the difference, bars for agreement) and a table of the same
 * numbers; Export writes the rows as CSV (`calibration:export`).
 */
import './calibration.css';
import { useEffect, useId, useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CalibrationReport } from '../../../shared/contract/calibration.ts';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import { plural } from '../calls/call-format.ts';
import { client } from '../client/tapedeck-client.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { Dialog } from '../ui/dialog.tsx';
import { useNotify } from '../ui/notices.tsx';
import { chartStyles, PeriodControls, useChartColors, useReportPeriod } from '../reviews/report-period.tsx';
import { calibrationTable } from './calibration-text.ts';

export function CalibrationReportView(props: {
  forms: readonly FormVersion[];
  /** This machine's reviewer: the first reference offered. */
  reviewer: string | null;
  open: boolean;
  onClose: () => void;
}) {
  const [zone] = useDisplayZone();
  const notify = useNotify();
  const period = useReportPeriod(zone);
  const [reference, setReference] = useState(props.reviewer ?? '');
  const [report, setReport] = useState<CalibrationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const colors = useChartColors();
  const tableCaption = useId();
  const { tick, tooltip: tooltipStyle } = chartStyles(colors);

  // Who this machine reviews as may arrive after the dialog opened: it is the first reference offered.
  useEffect(() => {
    if (props.reviewer !== null) setReference((current) => current || props.reviewer || '');
  }, [props.reviewer]);

  const range = useMemo(
    () => (period.range === null || reference === '' ? null : { ...period.range, reference }),
    [period.range, reference],
  );

  useEffect(() => {
    if (!props.open) return;
    if (range === null) {
      setError(
        reference === '' ? 'Pick the reference reviewer.' : 'Pick the first and the last day of the report.',
      );
      return;
    }
    let stale = false;
    void client['calibration:report'](range).then((reply) => {
      if (stale) return;
      if (!reply.ok) {
        setError(reply.error.message);
        return;
      }
      setError(null);
      // A reference who reviewed nothing in the period: offer the first who did.
      const first = reply.value.reviewers[0];
      if (
        reply.value.reference_calls === 0 &&
        first !== undefined &&
        !reply.value.reviewers.includes(reference)
      ) {
        setReference(first);
        return;
      }
      setReport(reply.value);
    });
    return () => {
      stale = true;
    };
  }, [props.open, range, reference]);

  const exportCsv = async () => {
    if (range === null) return;
    const reply = await client['calibration:export'](range);
    if (!reply.ok) notify('error', reply.error.message, { group: 'calibration-export' });
    else
      notify('info', `Exported ${plural(reply.value.rows, 'reviewer')} to ${reply.value.path}`, {
        group: 'calibration-export',
      });
  };

  const table = report ? calibrationTable(report) : null;
  const compared = report?.rows.filter((row) => row.calls > 0) ?? [];
  // A symmetric axis in whole tens, so 0 sits in the middle and the ticks read plainly.
  const reach = Math.max(
    10,
    Math.ceil(Math.max(0, ...compared.map((row) => Math.abs(row.mean_difference ?? 0))) / 10) * 10,
  );
  const ticks = [-reach, -reach / 2, 0, reach / 2, reach];
  const choices = report?.reviewers.includes(reference)
    ? report.reviewers
    : [reference, ...(report?.reviewers ?? [])];

  return (
    <Dialog
      open={props.open}
      title="Calibration"
      onClose={props.onClose}
      className="review-dialog reports-dialog calibration-dialog"
    >
      <PeriodControls period={period} forms={props.forms}>
        <label>
          <span className="field-label">Reference reviewer</span>
          <select
            aria-label="Reference reviewer"
            value={reference}
            onChange={(event) => setReference(event.target.value)}
          >
            {choices
              .filter((choice) => choice !== '')
              .map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
          </select>
        </label>
        <span className="reports-export">
          <button type="button" className="button small" onClick={() => void exportCsv()}>
            Export CSV
          </button>
        </span>
      </PeriodControls>
      {error !== null && (
        <p className="review-error" role="alert">
          {error}
        </p>
      )}
      {report !== null && table !== null && error === null && (
        <>
          <p className="muted small" role="status">
            {report.reference} reviewed {plural(report.reference_calls, 'call')} in this period;{' '}
            {plural(compared.length, 'reviewer')} reviewed some of the same calls.
          </p>
          {compared.length > 0 && (
            <div className="report-grid">
              <section className="report-card" aria-label="Mean score difference">
                <div className="report-card-head">
                  <h3>Mean score difference from {report.reference}</h3>
                </div>
                <div
                  className="report-chart"
                  role="img"
                  aria-label={`Mean score difference per reviewer chart: right of 0 more lenient, left stricter (the table below has the numbers)`}
                >
                  <ResponsiveContainer width="100%" height="100%">
                    <BarChart
                      data={compared}
                      layout="vertical"
                      margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
                    >
                      <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                      <XAxis
                        type="number"
                        domain={[-reach, reach]}
                        ticks={ticks}
                        tick={tick}
                        stroke={colors.grid}
                        unit=" pts"
                      />
                      <YAxis
                        type="category"
                        dataKey="reviewer"
                        width={110}
                        tick={tick}
                        stroke={colors.grid}
                      />
                      <ReferenceLine x={0} stroke={colors.muted} />
                      <Tooltip contentStyle={tooltipStyle} />
                      <Bar dataKey="mean_difference" name="Mean difference (pts)">
                        {compared.map((row) => (
                          <Cell
                            key={row.reviewer}
                            fill={(row.mean_difference ?? 0) >= 0 ? colors.second : colors.danger}
                          />
                        ))}
                      </Bar>
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              </section>
              <section className="report-card" aria-label="Agreement">
                <div className="report-card-head">
                  <h3>Agreement with {report.reference}</h3>
                </div>
                <div
                  className="report-chart"
                  role="img"
                  aria-label="Agreement per reviewer chart: share of answers like the reference's (the table below has the numbers)"
                >
                  <ResponsiveContainer width="100%" height="100%">
                    <BarChart data={compared} margin={{ top: 8, right: 12, bottom: 4, left: -8 }}>
                      <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                      <XAxis dataKey="reviewer" tick={tick} stroke={colors.grid} />
                      <YAxis domain={[0, 100]} tick={tick} stroke={colors.grid} unit="%" />
                      <Tooltip contentStyle={tooltipStyle} />
                      <Bar dataKey="agreement" name="Agreement %" fill={colors.accent} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              </section>
            </div>
          )}
          <div className="calibration-table-wrap" tabIndex={0} role="region" aria-labelledby={tableCaption}>
            <table className="report-table">
              <caption id={tableCaption}>Calibration against {report.reference}</caption>
              <thead>
                <tr>
                  {table.columns.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.length === 0 ? (
                  <tr>
                    <td colSpan={table.columns.length}>No other reviewer in this period.</td>
                  </tr>
                ) : (
                  table.rows.map((row) => (
                    <tr key={row[0]}>
                      {row.map((cell, i) =>
                        i === 0 ? (
                          <th key={i} scope="row">
                            {cell}
                          </th>
                        ) : (
                          <td key={i}>{cell}</td>
                        ),
                      )}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Dialog>
  );
}
