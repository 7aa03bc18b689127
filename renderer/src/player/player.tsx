import { type ReactNode, useEffect, useRef } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import {
  callTitle,
  formatClock,
  formatFullTime,
  formatPhone,
  formatStartTime,
  humanize,
  spokenDuration,
} from '../calls/call-format.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { autoAdvance } from '../preferences/stored-preference.ts';
import { transcriptPanelOpen } from '../transcripts/use-transcript.ts';
import {
  BackIcon,
  DownloadIcon,
  ForwardIcon,
  NextIcon,
  PauseIcon,
  PlayIcon,
  VolumeIcon,
} from '../ui/icons.tsx';
import { TranscriptIcon } from '../transcripts/transcript-icon.tsx';
import { type AudioController, SKIP_SECONDS, SPEEDS } from './audio-controller.ts';
import { usePlaybackTime, usePlayerState } from './use-playback.ts';
import { WaveformView } from './waveform-view.tsx';

/**
 * The player docked under the list: what is playing (or, before anything plays, the selected
 * call), its waveform, and the transport. A call without a recording says so once, in the
 * waveform's place, and its Play is disabled.
 */
export function Player(props: {
  controller: AudioController;
  selected: CallRow | null;
  onPlaySelected: () => void;
  onNext: () => void;
  onDownload: (call: CallRow) => void;
  /** Drawn over the waveform of the call in the player (the review's note markers). */
  waveformOverlay?: (call: CallRow) => ReactNode;
  /** A drag across the waveform marks a range (a review note) instead of scrubbing. */
  onWaveformRange?: (start: number, end: number) => void;
}) {
  const { controller } = props;
  const state = usePlayerState(controller);
  const [zone] = useDisplayZone();
  const call = state.call;
  const shown = call ?? props.selected;
  const ref = useRef<HTMLElement>(null);
  const [transcriptOpen, setTranscriptOpen] = transcriptPanelOpen.use();

  // Notices sit above the player: the stylesheet reads its height from here.
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      // Its height and the margin under it (the player is docked at the bottom).
      document.documentElement.style.setProperty('--player-height', `${element.offsetHeight + 14}px`);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <section ref={ref} className="player" aria-label="Player">
      <div className="player-head">
        {shown === null ? (
          <div className="now-playing">
            <h2 className="now-title muted">No call selected</h2>
            <p className="now-meta">Pick a call and press Enter to play it.</p>
          </div>
        ) : (
          <div className="now-playing">
            <h2 className="now-title">
              <span className="now-name">{callTitle(shown)}</span>
              {call === null && <span className="badge">Selected</span>}
            </h2>
            <p className="now-meta">
              <span>{formatPhone(shown.phone)}</span>
              <span title={formatFullTime(shown.start_time, zone)}>
                {formatStartTime(shown.start_time, zone)}
              </span>
              {shown.status !== null && <span>{humanize(shown.status)}</span>}
              {shown.outcome !== null && <span>{humanize(shown.outcome)}</span>}
              {shown.dispatch_id !== null && (
                <span className="mono" title="Dispatch id">
                  {shown.dispatch_id}
                </span>
              )}
            </p>
          </div>
        )}
        <div className="player-actions">
          <button
            type="button"
            className="button"
            aria-label="Transcript"
            aria-pressed={transcriptOpen}
            aria-controls="transcript-panel"
            aria-keyshortcuts="T"
            title="Show or hide the transcript (T)"
            onClick={() => setTranscriptOpen(!transcriptOpen)}
          >
            <TranscriptIcon />
            <span className="button-label">Transcript</span>
          </button>
          <button
            type="button"
            className="button"
            aria-label="Download"
            aria-keyshortcuts="D"
            disabled={shown === null || shown.recording === null}
            onClick={() => shown && props.onDownload(shown)}
          >
            <DownloadIcon />
            <span>Download</span>
          </button>
        </div>
      </div>

      {call !== null && state.error !== null && (
        <p className="player-error" role="alert">
          {state.error}
        </p>
      )}

      {call !== null ? (
        <WaveformView
          controller={controller}
          call={call}
          overlay={props.waveformOverlay?.(call)}
          onRange={props.onWaveformRange}
        />
      ) : (
        // A hint only (no call, or one not played yet) folds away on a short window; "no recording" stays.
        <div className={`waveform waveform-empty${shown?.recording === null ? '' : ' waveform-hint'}`}>
          {shown === null
            ? 'The waveform appears here.'
            : shown.recording === null
              ? 'This call has no recording.'
              : 'Press Play to listen.'}
        </div>
      )}

      <Transport
        controller={controller}
        canPlay={call !== null ? call.recording !== null : (props.selected?.recording ?? null) !== null}
        onPlaySelected={props.onPlaySelected}
        onNext={props.onNext}
      />
    </section>
  );
}

function Transport(props: {
  controller: AudioController;
  canPlay: boolean;
  onPlaySelected: () => void;
  onNext: () => void;
}) {
  const { controller } = props;
  const state = usePlayerState(controller);
  const time = usePlaybackTime(controller);
  const [advance, setAdvance] = autoAdvance.use();
  const duration = Number.isFinite(state.duration) ? state.duration : (state.call?.duration ?? NaN);
  const known = Number.isFinite(duration) && duration > 0;
  const loaded = state.call !== null && state.call.recording !== null;
  const position = known ? Math.min(time, duration) : 0;

  /** The seek bar's keys move as the ← and → shortcuts do: 5 s a press, whole seconds announced. */
  const onSeekKey = (event: React.KeyboardEvent<HTMLInputElement>) => {
    const to: Record<string, number> = {
      ArrowLeft: controller.currentTime - SKIP_SECONDS,
      ArrowDown: controller.currentTime - SKIP_SECONDS,
      ArrowRight: controller.currentTime + SKIP_SECONDS,
      ArrowUp: controller.currentTime + SKIP_SECONDS,
      PageDown: controller.currentTime - 6 * SKIP_SECONDS,
      PageUp: controller.currentTime + 6 * SKIP_SECONDS,
      Home: 0,
      End: known ? duration : controller.currentTime,
    };
    const target = to[event.key];
    if (target === undefined) return;
    event.preventDefault();
    controller.seek(target);
  };

  return (
    <div className="transport">
      <div className="transport-buttons">
        <button
          type="button"
          className="icon-button"
          aria-label={`Back ${SKIP_SECONDS} seconds`}
          aria-keyshortcuts="ArrowLeft"
          disabled={!loaded}
          onClick={() => controller.skip(-SKIP_SECONDS)}
        >
          <BackIcon />
        </button>
        <button
          type="button"
          className={`play-button${state.buffering && state.playing ? ' is-buffering' : ''}`}
          aria-label={state.playing ? 'Pause' : 'Play'}
          aria-keyshortcuts="Space"
          disabled={!props.canPlay}
          onClick={() => (state.call === null ? props.onPlaySelected() : controller.toggle())}
        >
          {state.playing ? <PauseIcon size={22} /> : <PlayIcon size={22} />}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Forward ${SKIP_SECONDS} seconds`}
          aria-keyshortcuts="ArrowRight"
          disabled={!loaded}
          onClick={() => controller.skip(SKIP_SECONDS)}
        >
          <ForwardIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Next call"
          aria-keyshortcuts="N"
          title="Play the next call (N)"
          onClick={props.onNext}
        >
          <NextIcon />
        </button>
      </div>

      <div className="seek">
        <span className="time" aria-hidden="true">
          {formatClock(loaded ? time : null)}
        </span>
        <input
          type="range"
          className="seek-bar"
          aria-label="Seek"
          min={0}
          max={known ? duration : 0}
          step={0.1}
          value={position}
          disabled={!loaded || !known}
          aria-valuetext={
            known ? `${spokenDuration(position)} of ${spokenDuration(duration)}` : 'Not playing'
          }
          onChange={(event) => controller.seek(Number(event.target.value))}
          onKeyDown={onSeekKey}
          style={{ '--progress': known ? `${(position / duration) * 100}%` : '0%' } as React.CSSProperties}
        />
        <span className="time" aria-hidden="true">
          {formatClock(known ? duration : null)}
        </span>
      </div>

      <div className="transport-settings">
        <span className="speed">
          <select
            aria-label="Speed"
            aria-keyshortcuts="[ ]"
            value={String(state.rate)}
            onChange={(event) => controller.setRate(Number(event.target.value))}
          >
            {SPEEDS.map((speed) => (
              <option key={speed} value={String(speed)}>
                {speed}×
              </option>
            ))}
          </select>
        </span>
        <div className="volume">
          <button
            type="button"
            className="icon-button"
            aria-label="Mute"
            aria-pressed={state.muted}
            onClick={() => controller.toggleMute()}
          >
            <VolumeIcon muted={state.muted || state.volume === 0} />
          </button>
          <input
            type="range"
            className="volume-bar"
            aria-label="Volume"
            min={0}
            max={1}
            step={0.05}
            value={state.muted ? 0 : state.volume}
            aria-valuetext={`${Math.round((state.muted ? 0 : state.volume) * 100)}%`}
            onChange={(event) => controller.setVolume(Number(event.target.value))}
            style={{ '--progress': `${(state.muted ? 0 : state.volume) * 100}%` } as React.CSSProperties}
          />
        </div>
        <label className="auto-advance" title="Play the next call when one ends">
          <input type="checkbox" checked={advance} onChange={(event) => setAdvance(event.target.checked)} />
          <span>Auto-advance</span>
        </label>
      </div>
    </div>
  );
}
