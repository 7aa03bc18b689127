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
import { BackIcon, DownloadIcon, ForwardIcon, PauseIcon, PlayIcon, VolumeIcon } from '../ui/icons.tsx';
import { type AudioController, SKIP_SECONDS, SPEEDS } from './audio-controller.ts';
import { usePlaybackTime, usePlayerState } from './use-playback.ts';
import { WaveformView } from './waveform-view.tsx';

/**
 * The player docked under the list: what is playing, its waveform, and the transport. `selected`
 * is what Play plays when nothing has been played yet.
 */
export function Player(props: {
  controller: AudioController;
  selected: CallRow | null;
  onPlaySelected: () => void;
  onDownload: (call: CallRow) => void;
}) {
  const { controller } = props;
  const state = usePlayerState(controller);
  const call = state.call;
  const shown = call ?? props.selected;

  return (
    <section className="player" aria-label="Player">
      <div className="player-head">
        {shown === null ? (
          <div className="now-playing">
            <h2 className="now-title muted">No call selected</h2>
            <p className="now-meta">Pick a call and press Enter to play it.</p>
          </div>
        ) : (
          <div className="now-playing">
            <h2 className="now-title">
              {callTitle(shown)}
              {call === null && <span className="badge">Selected</span>}
            </h2>
            <p className="now-meta">
              <span>{formatPhone(shown.phone)}</span>
              <span title={formatFullTime(shown.start_time)}>{formatStartTime(shown.start_time)}</span>
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
        <WaveformView controller={controller} call={call} />
      ) : (
        <div className="waveform waveform-empty">
          {shown === null ? 'The waveform appears here.' : 'Press Play to listen.'}
        </div>
      )}

      <Transport
        controller={controller}
        canPlay={call !== null ? call.recording !== null : (props.selected?.recording ?? null) !== null}
        onPlaySelected={props.onPlaySelected}
      />
    </section>
  );
}

function Transport(props: { controller: AudioController; canPlay: boolean; onPlaySelected: () => void }) {
  const { controller } = props;
  const state = usePlayerState(controller);
  const time = usePlaybackTime(controller);
  const duration = Number.isFinite(state.duration) ? state.duration : (state.call?.duration ?? NaN);
  const known = Number.isFinite(duration) && duration > 0;
  const loaded = state.call !== null && state.call.recording !== null;

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
          value={known ? Math.min(time, duration) : 0}
          disabled={!loaded || !known}
          aria-valuetext={known ? `${spokenDuration(time)} of ${spokenDuration(duration)}` : 'Not playing'}
          onChange={(event) => controller.seek(Number(event.target.value))}
          style={
            {
              '--progress': known ? `${(Math.min(time, duration) / duration) * 100}%` : '0%',
            } as React.CSSProperties
          }
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
      </div>
    </div>
  );
}
