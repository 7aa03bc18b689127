import { useSyncExternalStore } from 'react';
import type { AudioController, PlayerState } from './audio-controller.ts';

export function usePlayerState(controller: AudioController): PlayerState {
  return useSyncExternalStore(controller.subscribe, controller.getState);
}

/**
 * Calls `onTick` on every animation frame while playing, and once on every state change (a seek
 * while paused). For the waveform's playhead, which draws straight to a canvas, outside React.
 */
export function subscribeToClock(controller: AudioController, onTick: () => void): () => void {
  let frame = 0;
  const tick = () => {
    onTick();
    frame = requestAnimationFrame(tick);
  };
  const sync = () => {
    cancelAnimationFrame(frame);
    if (controller.getState().playing) frame = requestAnimationFrame(tick);
    onTick();
  };
  const unsubscribe = controller.subscribe(sync);
  controller.audio.addEventListener('seeked', onTick);
  controller.audio.addEventListener('timeupdate', onTick);
  sync();
  return () => {
    cancelAnimationFrame(frame);
    unsubscribe();
    controller.audio.removeEventListener('seeked', onTick);
    controller.audio.removeEventListener('timeupdate', onTick);
  };
}

/**
 * The playback position for React, rounded to `resolution` seconds so the seek bar re-renders
 * a few times a second, not sixty.
 */
export function usePlaybackTime(controller: AudioController, resolution = 0.1): number {
  return useSyncExternalStore(
    (onChange) => subscribeToClock(controller, onChange),
    // Divided, not multiplied, by the step count: 0.7, never 0.7000000000000001.
    () => Math.round(controller.currentTime / resolution) / Math.round(1 / resolution),
  );
}
