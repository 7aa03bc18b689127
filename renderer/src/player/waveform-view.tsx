import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { CallRow, Waveform } from '../../../shared/contract.ts';
import type { AudioController } from './audio-controller.ts';
import { subscribeToClock } from './use-playback.ts';
import { drawWaveform, type WaveformColors, waveformFor } from './waveform.ts';

type Loaded =
  { state: 'loading' } | { state: 'ready'; waveform: Waveform } | { state: 'failed'; message: string };

/** Stereo calls: LiveKit records the agent on the first (left) channel, the customer on the second. */
const LANE_NAMES = ['Agent', 'Customer'] as const;

/**
 * The waveform of the call in the player: one lane per channel, the played part highlighted,
 * click or drag to seek. Drawn on a canvas at device pixel density; redrawn each frame while playing.
 */
export function WaveformView(props: {
  controller: AudioController;
  call: CallRow;
  /** Drawn over the waveform (the review's note markers). */
  overlay?: ReactNode;
  /** When given, a drag across the waveform marks a range (seconds) instead of scrubbing; a click still seeks. */
  onRange?: (start: number, end: number) => void;
}) {
  const { controller, call } = props;
  /** A drag in progress (onRange): where it started, and where the pointer is, as fractions of the width. */
  const [drag, setDrag] = useState<{ from: number; to: number; moved: boolean } | null>(null);
  const key = call.recording?.key ?? null;
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (key === null) return;
    setLoaded({ state: 'loading' });
    const abort = new AbortController();
    waveformFor(key, abort.signal).then(
      (result) =>
        !abort.signal.aborted &&
        setLoaded(
          'waveform' in result
            ? { state: 'ready', waveform: result.waveform }
            : { state: 'failed', message: result.error },
        ),
      () => {}, // Aborted: a newer call is loading.
    );
    return () => abort.abort();
  }, [key]);

  const waveform = loaded.state === 'ready' ? loaded.waveform : null;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || waveform === null) return;
    let colors = readColors(canvas);
    const duration = () =>
      Number.isFinite(controller.audio.duration) ? controller.audio.duration : waveform.durationSeconds;
    const draw = () => {
      const progress = duration() > 0 ? Math.min(1, controller.currentTime / duration()) : 0;
      drawWaveform(canvas, waveform, progress, colors);
    };
    // Keep the backing store at device pixels, so bars stay crisp at any zoom.
    const resize = new ResizeObserver(() => {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
      canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
      draw();
    });
    resize.observe(canvas);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      colors = readColors(canvas);
      draw();
    };
    scheme.addEventListener('change', onScheme);
    const unsubscribe = subscribeToClock(controller, draw);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', onScheme);
      unsubscribe();
    };
  }, [controller, waveform]);

  const fractionAt = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
  };
  const durationNow = () =>
    Number.isFinite(controller.audio.duration) ? controller.audio.duration : (waveform?.durationSeconds ?? 0);
  /** Click or drag: seek to that point. */
  const seekTo = (event: React.PointerEvent<HTMLCanvasElement>) =>
    controller.seek(fractionAt(event) * durationNow());

  if (key === null) return <div className="waveform waveform-empty">This call has no recording.</div>;

  const lanes = waveform?.channels.length ?? 1;
  return (
    <div className={`waveform lanes-${lanes}`} aria-busy={loaded.state === 'loading'}>
      {loaded.state === 'loading' && <div className="waveform-note">Drawing waveform…</div>}
      {loaded.state === 'failed' && <div className="waveform-note">{loaded.message}</div>}
      {waveform !== null && lanes === 2 && (
        <div className="lane-labels" aria-hidden="true">
          {LANE_NAMES.map((name) => (
            <span key={name} className={`lane-label lane-${name.toLowerCase()}`}>
              {name}
            </span>
          ))}
        </div>
      )}
      <canvas
        ref={canvasRef}
        className="waveform-canvas"
        role="img"
        aria-label={
          waveform === null
            ? 'Waveform'
            : lanes === 2
              ? 'Waveform with two channels: Agent and Customer. Click to seek.'
              : 'Waveform. Click to seek.'
        }
        data-channels={waveform?.channels.length ?? 0}
        onPointerDown={(event) => {
          if (waveform === null) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          if (props.onRange) setDrag({ from: fractionAt(event), to: fractionAt(event), moved: false });
          else seekTo(event);
        }}
        onPointerMove={(event) => {
          if (!event.currentTarget.hasPointerCapture(event.pointerId)) return;
          if (drag === null) seekTo(event);
          else {
            const to = fractionAt(event);
            const moved = drag.moved || Math.abs(to - drag.from) * event.currentTarget.clientWidth > 4;
            setDrag({ ...drag, to, moved });
          }
        }}
        onPointerUp={(event) => {
          if (drag === null) return;
          setDrag(null);
          if (!drag.moved) seekTo(event);
          else
            props.onRange?.(
              Math.min(drag.from, drag.to) * durationNow(),
              Math.max(drag.from, drag.to) * durationNow(),
            );
        }}
        onPointerCancel={() => setDrag(null)}
      />
      {drag?.moved && canvasRef.current && (
        <div
          className="waveform-range"
          style={{
            left: canvasRef.current.offsetLeft + Math.min(drag.from, drag.to) * canvasRef.current.clientWidth,
            width: Math.abs(drag.to - drag.from) * canvasRef.current.clientWidth,
          }}
        />
      )}
      {waveform !== null && props.overlay}
    </div>
  );
}

/** The theme's colours live in CSS (styles.css); the canvas reads them from there. */
function readColors(element: HTMLElement): WaveformColors {
  const style = getComputedStyle(element);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    played: [get('--wave-played', '#4f46e5'), get('--wave-played-2', '#0d9488')],
    unplayed: get('--wave-unplayed', '#a5b4fc'),
    playhead: get('--wave-playhead', '#1e1b4b'),
    axis: get('--wave-axis', 'rgba(0,0,0,0.1)'),
  };
}
