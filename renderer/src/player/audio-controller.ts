/**
 * The one <audio> element and everything done to it. Outside React so keyboard shortcuts, the list
 * and the player all drive the same element, and so the playback clock (updated every frame) never
 * re-renders anything but the few components that show it.
 */
import type { CallRow } from '../../../shared/contract.ts';
import { recordingUrl } from '../client/tapedeck-client.ts';

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
export const SKIP_SECONDS = 5;

export interface PlayerState {
  /** The call in the player (playing or not), or null before anything was played. */
  readonly call: CallRow | null;
  readonly playing: boolean;
  /** Waiting for data after play or a seek. */
  readonly buffering: boolean;
  /** Seconds; NaN until the metadata arrives. */
  readonly duration: number;
  readonly rate: number;
  readonly volume: number;
  readonly muted: boolean;
  readonly error: string | null;
}

const STORAGE_KEY = 'tapedeck.player';

export class AudioController {
  readonly audio: HTMLAudioElement;
  private state: PlayerState;
  private readonly listeners = new Set<() => void>();

  constructor() {
    const saved = readSaved();
    this.audio = document.createElement('audio');
    this.audio.preload = 'metadata';
    this.audio.volume = saved.volume;
    // Loading a source resets playbackRate to defaultPlaybackRate: both hold the saved speed, so
    // the first play after a reload runs at it too.
    this.audio.defaultPlaybackRate = saved.rate;
    this.audio.playbackRate = saved.rate;
    this.audio.dataset.role = 'tapedeck-player';
    document.body.append(this.audio);
    this.state = {
      call: null,
      playing: false,
      buffering: false,
      duration: Number.NaN,
      rate: saved.rate,
      volume: saved.volume,
      muted: false,
      error: null,
    };
    const a = this.audio;
    a.addEventListener('play', () => this.update({ playing: true, error: null }));
    a.addEventListener('pause', () => this.update({ playing: false, buffering: false }));
    a.addEventListener('ended', () => this.update({ playing: false, buffering: false }));
    a.addEventListener('waiting', () => this.update({ buffering: true }));
    a.addEventListener('playing', () => this.update({ buffering: false }));
    a.addEventListener('canplay', () => this.update({ buffering: false }));
    a.addEventListener('durationchange', () => this.update({ duration: a.duration }));
    a.addEventListener('ratechange', () => this.update({ rate: a.playbackRate }));
    a.addEventListener('volumechange', () => this.update({ volume: a.volume, muted: a.muted }));
    a.addEventListener('error', () => void this.explainError());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): PlayerState => this.state;

  get currentTime(): number {
    return this.audio.currentTime;
  }

  /**
   * Plays a call from the start (or resumes it if it is already loaded). The source is set and
   * play() called in the same tick, so sound starts as soon as the first bytes arrive. A call
   * without a recording is not put in the player (the player already says it has none): false.
   */
  play(call: CallRow): boolean {
    if (call.recording === null) return false;
    if (this.state.call?.recording?.key !== call.recording.key) {
      this.audio.src = recordingUrl(call.recording.key);
      this.audio.playbackRate = this.state.rate;
      this.update({ call, duration: Number.NaN, buffering: true, error: null });
    }
    this.resume();
    return true;
  }

  /**
   * Plays a call from `seconds` (a transcript turn, a `said` hit): loaded first if it is not in the
   * player, the seek then waits for its metadata (a seek before it would be dropped).
   */
  playFrom(call: CallRow, seconds: number): boolean {
    if (!this.play(call)) return false;
    if (this.audio.readyState >= HTMLMediaElement.HAVE_METADATA) {
      this.seek(seconds);
    } else {
      const src = this.audio.src;
      this.audio.addEventListener(
        'loadedmetadata',
        () => {
          if (this.audio.src === src) this.seek(seconds);
        },
        { once: true },
      );
    }
    return true;
  }

  /** Puts a call in the player without playing it. */
  load(call: CallRow): void {
    if (this.state.call?.interaction_id === call.interaction_id) return;
    this.audio.pause();
    if (call.recording === null) this.audio.removeAttribute('src');
    else this.audio.src = recordingUrl(call.recording.key);
    this.audio.load();
    this.update({ call, playing: false, duration: Number.NaN, error: null });
  }

  toggle(): void {
    if (this.state.call === null) return;
    if (this.audio.paused) this.resume();
    else this.audio.pause();
  }

  pause(): void {
    this.audio.pause();
  }

  seek(seconds: number): void {
    if ((this.state.call?.recording ?? null) === null) return;
    const end = Number.isFinite(this.audio.duration) ? this.audio.duration : Number.POSITIVE_INFINITY;
    this.audio.currentTime = Math.min(Math.max(0, seconds), end);
    this.notify(); // The clock moved while paused: redraw the playhead.
  }

  skip(deltaSeconds: number): void {
    this.seek(this.audio.currentTime + deltaSeconds);
  }

  setRate(rate: number): void {
    this.audio.playbackRate = rate;
    this.audio.defaultPlaybackRate = rate;
    this.save();
  }

  /** `[` and `]`: one step along SPEEDS, stopping at the ends. */
  stepRate(direction: -1 | 1): void {
    const index = SPEEDS.findIndex((speed) => speed >= this.audio.playbackRate - 1e-9);
    const current = index === -1 ? SPEEDS.length - 1 : index;
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, current + direction))];
    if (next !== undefined) this.setRate(next);
  }

  setVolume(volume: number): void {
    this.audio.volume = Math.min(1, Math.max(0, volume));
    if (this.audio.muted && volume > 0) this.audio.muted = false;
    this.save();
  }

  toggleMute(): void {
    this.audio.muted = !this.audio.muted;
  }

  private resume(): void {
    this.update({ error: null });
    this.audio.play().catch((error: unknown) => {
      // A newer load() or pause() interrupting play() is not a failure worth showing.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (this.audio.error === null) this.update({ error: `Could not start playback: ${String(error)}` });
    });
  }

  /** The media element only says "error 4": ask the stream itself for the message it was written with. */
  private async explainError(): Promise<void> {
    const src = this.audio.currentSrc || this.audio.src;
    if (!src || (this.state.call?.recording ?? null) === null) return;
    let message = 'This recording could not be played.';
    try {
      const response = await fetch(src, { headers: { Range: 'bytes=0-0' } });
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        message = messageFrom(body) ?? `This recording could not be played (${response.status}).`;
      }
    } catch {
      message = 'This recording could not be reached. Is Tapedeck’s server running?';
    }
    if ((this.audio.currentSrc || this.audio.src) === src) this.update({ error: message, buffering: false });
  }

  private save(): void {
    try {
      localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ rate: this.audio.playbackRate, volume: this.audio.volume }),
      );
    } catch {
      // Storage may be unavailable (private mode, a sandboxed scheme): settings then last a session.
    }
  }

  private update(patch: Partial<PlayerState>): void {
    this.state = { ...this.state, ...patch };
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function readSaved(): { rate: number; volume: number } {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as {
      rate?: unknown;
      volume?: unknown;
    };
    const rate = SPEEDS.find((speed) => speed === saved.rate) ?? 1;
    const volume =
      typeof saved.volume === 'number' && saved.volume >= 0 && saved.volume <= 1 ? saved.volume : 1;
    return { rate, volume };
  } catch {
    return { rate: 1, volume: 1 };
  }
}

/** The server's error bodies: `{detail}` (the documented API) or a Reply's `{error: {message}}`. */
function messageFrom(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { detail?: unknown; message?: unknown; error?: { message?: unknown } };
  for (const candidate of [record.detail, record.error?.message, record.message]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return null;
}
