/**
 * What reviews say over a period (`reviews:report`): average score by week, pass rate by outcome,
 * the questions most often missed, auto-fail counts and reviews per reviewer, drawn with recharts.
 * Each chart has its numbers one click away (a table), and the reviews behind them export as CSV
 * or JSON (`reviews:export`).
 */
import { type ReactNode, useEffect, useId, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReviewReport } from '../../../shared/contract/reviews.ts';
import { humanize, plural } from '../calls/call-format.ts';
import { client } from '../client/tapedeck-client.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { Dialog } from '../ui/dialog.tsx';
import { useNotify } from '../ui/notices.tsx';
import { chartStyles, PeriodControls, useChartColors, useReportPeriod } from './report-period.tsx';
import { reportTables, type ReportTable } from './report-tables.ts';
import type { Reviews } from './use-reviews.ts';

export function ReportsView(props: { reviews: Reviews; open: boolean; onClose: () => void }) {
  const { reviews } = props;
  const [zone] = useDisplayZone();
  const notify = useNotify();
  const period = useReportPeriod(zone);
  const { range } = period;
  const [report, setReport] = useState<ReviewReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const colors = useChartColors();
  const { tick, tooltip: tooltipStyle } = chartStyles(colors);

  useEffect(() => {
    if (!props.open) return;
    if (range === null) {
      setError('Pick the first and the last day of the report.');
      return;
    }
    let stale = false;
    void client['reviews:report'](range).then((reply) => {
      if (stale) return;
      if (reply.ok) {
        setReport(reply.value);
        setError(null);
      } else setError(reply.error.message);
    });
    return () => {
      stale = true;
    };
  }, [props.open, range]);

  const exportAs = async (format: 'csv' | 'json') => {
    if (range === null) return;
    const reply = await client['reviews:export']({
      format,
      from: range.from,
      to: range.to,
      formId: range.formId,
      status: 'submitted',
    });
    if (!reply.ok) notify('error', reply.error.message, { group: 'review-export' });
    else
      notify('info', `Exported ${plural(reply.value.rows, 'review')} to ${reply.value.path}`, {
        group: 'review-export',
      });
  };

  const tables = report ? reportTables(report) : null;

  return (
    <Dialog
      open={props.open}
      title="Review reports"
      onClose={props.onClose}
      className="review-dialog reports-dialog"
    >
      <PeriodControls period={period} forms={reviews.forms}>
        <span className="reports-export">
          <button type="button" className="button small" onClick={() => void exportAs('csv')}>
            Export CSV
          </button>
          <button type="button" className="button small" onClick={() => void exportAs('json')}>
            Export JSON
          </button>
        </span>
      </PeriodControls>
      {error !== null && (
        <p className="review-error" role="alert">
          {error}
        </p>
      )}
      {report !== null && tables !== null && (
        <>
          <p className="muted small" role="status">
            {plural(report.reviews, 'submitted review')} in this period.
          </p>
          <div className="report-grid">
            <ChartCard table={tables.averageByWeek}>
              <LineChart data={report.averageByWeek} margin={{ top: 8, right: 12, bottom: 4, left: -8 }}>
                <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                <XAxis dataKey="week" tick={tick} stroke={colors.grid} />
                <YAxis domain={[0, 100]} tick={tick} stroke={colors.grid} unit="%" />
                <Tooltip contentStyle={tooltipStyle} />
                <Line
                  type="monotone"
                  dataKey="average"
                  name="Average %"
                  stroke={colors.accent}
                  strokeWidth={2}
                  dot
                />
              </LineChart>
            </ChartCard>
            <ChartCard table={tables.passRateByOutcome}>
              <BarChart
                data={report.passRateByOutcome.map((row) => ({
                  ...row,
                  outcome: humanize(row.outcome),
                  percent: row.passRate,
                }))}
                margin={{ top: 8, right: 12, bottom: 4, left: -8 }}
              >
                <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                <XAxis dataKey="outcome" tick={tick} stroke={colors.grid} />
                <YAxis domain={[0, 100]} tick={tick} stroke={colors.grid} unit="%" />
                <Tooltip contentStyle={tooltipStyle} />
                <Bar dataKey="percent" name="Pass rate %" fill={colors.second} />
              </BarChart>
            </ChartCard>
            <ChartCard table={tables.mostMissed}>
              <BarChart
                data={report.mostMissed}
                layout="vertical"
                margin={{ top: 8, right: 12, bottom: 4, left: 8 }}
              >
                <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} tick={tick} stroke={colors.grid} />
                <YAxis type="category" dataKey="question" width={140} tick={tick} stroke={colors.grid} />
                <Tooltip contentStyle={tooltipStyle} />
                <Bar dataKey="missed" name="Missed" fill={colors.danger} />
              </BarChart>
            </ChartCard>
            <ChartCard table={tables.autoFails}>
              <BarChart data={report.autoFails} margin={{ top: 8, right: 12, bottom: 4, left: -8 }}>
                <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                <XAxis dataKey="reason" tick={false} stroke={colors.grid} />
                <YAxis allowDecimals={false} tick={tick} stroke={colors.grid} />
                <Tooltip contentStyle={tooltipStyle} />
                <Bar dataKey="count" name="Auto-fails" fill={colors.danger} />
              </BarChart>
            </ChartCard>
            <ChartCard table={tables.byReviewer}>
              <BarChart data={report.byReviewer} margin={{ top: 8, right: 12, bottom: 4, left: -8 }}>
                <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
                <XAxis dataKey="reviewer" tick={tick} stroke={colors.grid} />
                <YAxis allowDecimals={false} tick={tick} stroke={colors.grid} />
                <Tooltip contentStyle={tooltipStyle} />
                <Bar dataKey="reviews" name="Reviews" fill={colors.accent} />
              </BarChart>
            </ChartCard>
          </div>
        </>
      )}
    </Dialog>
  );
}

/** A chart, or (one click) the table of its numbers. */
function ChartCard(props: { table: ReportTable; children: ReactNode }) {
  const [asTable, setAsTable] = useState(false);
  const headingId = useId();
  const { table } = props;
  return (
    <section className="report-card" aria-labelledby={headingId}>
      <div className="report-card-head">
        <h3 id={headingId}>{table.title}</h3>
        <button
          type="button"
          className="button small ghost"
          aria-pressed={asTable}
          aria-label={`Show ${table.title} as a table`}
          onClick={() => setAsTable(!asTable)}
        >
          {asTable ? 'Chart' : 'Table'}
        </button>
      </div>
      {table.rows.length === 0 ? (
        <p className="muted small report-empty">Nothing to show for this period.</p>
      ) : asTable ? (
        <div className="report-table-wrap">
          <table className="report-table">
            <caption className="visually-hidden">{table.title}</caption>
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
              {table.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div
          className="report-chart"
          role="img"
          aria-label={`${table.title} chart (the Table button shows its numbers)`}
        >
          <ResponsiveContainer width="100%" height="100%">
            {props.children as React.ReactElement}
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
