/**
 * A sampling plan fills the review queue: "N calls per day per outcome" or "N % of the calls with
 * recordings" over a date range, drawn by seeded random choice (`reviews:sample`), so reviewers do
 * not pick the easy calls. The plan and its seed are shown; the same plan gives the same sample.
 */
import { type FormEvent, useState } from 'react';
import type { SamplePlan } from '../../../shared/contract/reviews.ts';
import { plural } from '../calls/call-format.ts';
import { dateOf, endOfDay, startOfDay } from '../calls/call-query.ts';
import { client } from '../client/tapedeck-client.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { Dialog } from '../ui/dialog.tsx';
import { DayField } from '../ui/form-fields.tsx';
import { describePlan, randomSeed } from './review-queue.ts';
import type { Reviews } from './use-reviews.ts';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

export function SampleDialog(props: { reviews: Reviews; open: boolean; onClose: () => void }) {
  const { reviews } = props;
  const [zone] = useDisplayZone();
  const [from, setFrom] = useState(() => dateOf(daysAgo(30), zone));
  const [to, setTo] = useState(() => dateOf(new Date().toISOString(), zone));
  const [mode, setMode] = useState<'perDay' | 'percent'>('perDay');
  const [perDay, setPerDay] = useState('2');
  const [percent, setPercent] = useState('5');
  const [unreviewedOnly, setUnreviewedOnly] = useState(true);
  const [seed, setSeed] = useState(() => String(randomSeed()));
  const [result, setResult] = useState<{ plan: SamplePlan; count: number; considered: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fromIso = startOfDay(from, zone);
    const toIso = endOfDay(to, zone);
    if (fromIso === null || toIso === null) {
      setError('Pick the first and the last day of the plan.');
      return;
    }
    const plan: SamplePlan = {
      from: fromIso,
      to: toIso,
      perDayPerOutcome: mode === 'perDay' ? Number(perDay) : null,
      percentWithRecordings: mode === 'percent' ? Number(percent) : null,
      unreviewedOnly,
      seed: Number(seed),
    };
    setBusy(true);
    const reply = await client['reviews:sample'](plan);
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setError(null);
    reviews.startQueue(plan, reply.value.interactionIds, reply.value.considered);
    setResult({ plan, count: reply.value.interactionIds.length, considered: reply.value.considered });
  };

  const queue = reviews.queue;
  return (
    <Dialog open={props.open} title="Review queue" onClose={props.onClose} className="review-dialog">
      <form className="settings-form sample-form" onSubmit={(event) => void submit(event)}>
        <fieldset>
          <legend>Sampling plan</legend>
          <div className="sample-row">
            <DayField label="From" value={from} max={to} onChange={setFrom} required />
            <DayField label="To" value={to} min={from} onChange={setTo} required />
          </div>
          <div className="sample-row" role="radiogroup" aria-label="How many calls">
            <label>
              <input
                type="radio"
                name="sample-mode"
                checked={mode === 'perDay'}
                onChange={() => setMode('perDay')}
              />
              <input
                type="number"
                aria-label="Calls per day per outcome"
                min={1}
                max={1000}
                value={perDay}
                disabled={mode !== 'perDay'}
                onChange={(e) => setPerDay(e.target.value)}
              />{' '}
              calls per day per outcome
            </label>
            <label>
              <input
                type="radio"
                name="sample-mode"
                checked={mode === 'percent'}
                onChange={() => setMode('percent')}
              />
              <input
                type="number"
                aria-label="Percent of the calls with recordings"
                min={0.1}
                max={100}
                step={0.1}
                value={percent}
                disabled={mode !== 'percent'}
                onChange={(e) => setPercent(e.target.value)}
              />{' '}
              % of the calls with recordings
            </label>
          </div>
          <label className="check-line">
            <input
              type="checkbox"
              checked={unreviewedOnly}
              onChange={(e) => setUnreviewedOnly(e.target.checked)}
            />
            Only calls nobody has reviewed
          </label>
          <div className="sample-row">
            <label>
              <span className="field-label">Seed</span>
              <input
                type="number"
                aria-label="Seed"
                min={0}
                max={2_147_483_647}
                value={seed}
                onChange={(e) => setSeed(e.target.value)}
                required
              />
            </label>
            <button
              type="button"
              className="button small ghost"
              onClick={() => setSeed(String(randomSeed()))}
            >
              New seed
            </button>
          </div>
        </fieldset>
        {error !== null && (
          <p className="review-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Drawing…' : 'Fill the queue'}
          </button>
        </div>
      </form>
      {result !== null && (
        <p className="sample-result" role="status">
          Drew {plural(result.count, 'call')} of {plural(result.considered, 'call')}:{' '}
          {describePlan(result.plan)}. Press <kbd>J</kbd> to review the next one.
        </p>
      )}
      {queue !== null && result === null && (
        <p className="sample-result">
          The queue holds {plural(queue.interactionIds.length, 'call')} ({describePlan(queue.plan)}).
        </p>
      )}
    </Dialog>
  );
}
