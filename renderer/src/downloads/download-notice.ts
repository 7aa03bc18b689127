/** What one download action (a D press, "Download selected") says when it ends: one notice, pure text. */
import type { Download } from '../../../shared/contract.ts';
import { plural, withoutRecordingText } from '../calls/call-format.ts';

export interface DownloadAction {
  /** How many calls were asked for. */
  readonly asked: number;
  /** Of those, calls without a recording (skipped by the core). */
  readonly skipped: number;
  /** The downloads it answered with (already saved ones included), in their latest state. */
  readonly downloads: readonly Download[];
}

const ended = (d: Download) => d.state !== 'queued' && d.state !== 'running';

export function actionEnded(action: DownloadAction): boolean {
  return action.downloads.every(ended);
}

/** `Saving 4 calls…` while it runs. */
export function progressText(action: DownloadAction): string {
  const [only] = action.downloads;
  return action.downloads.length === 1 && only
    ? `Saving ${only.fileName}…`
    : `Saving ${plural(action.downloads.length, 'call')}…`;
}

/**
 * The outcome in one sentence or two: `Saved Louis Smith_….mp4`, `Already saved: Louis Smith_….mp4`,
 * `Saved 3 calls; 1 already saved. 1 of 5 calls has no recording.`, with the first failure's reason.
 */
export function outcomeText(action: DownloadAction): { kind: 'info' | 'error'; text: string } {
  const { downloads } = action;
  const already = downloads.filter((d) => d.alreadySaved === true);
  const saved = downloads.filter((d) => d.state === 'finished' && d.alreadySaved !== true);
  const failed = downloads.filter((d) => d.state === 'failed');
  const cancelled = downloads.filter((d) => d.state === 'cancelled');
  const [only] = downloads;
  const parts: string[] = [];
  if (downloads.length === 1 && only) {
    if (only.alreadySaved === true) parts.push(`Already saved: ${only.fileName}`);
    else if (only.state === 'finished') parts.push(`Saved ${only.fileName}`);
    else if (only.state === 'cancelled') parts.push(`${only.fileName}: cancelled`);
    else parts.push(`${only.fileName} could not be downloaded: ${only.error ?? 'unknown error'}`);
  } else {
    const counts = [
      saved.length > 0 ? `Saved ${plural(saved.length, 'call')}` : null,
      already.length > 0 ? `${already.length} already saved` : null,
      cancelled.length > 0 ? `${cancelled.length} cancelled` : null,
      failed.length > 0
        ? `${failed.length} failed (${failed[0]?.fileName}: ${failed[0]?.error ?? 'unknown error'})`
        : null,
    ].filter((part): part is string => part !== null);
    parts.push(counts.join('; '));
  }
  let text = parts.join('');
  if (action.skipped > 0) text += `. ${withoutRecordingText(action.skipped, action.asked)}.`;
  return { kind: failed.length > 0 ? 'error' : 'info', text };
}
