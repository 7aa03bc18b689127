import { AudioController } from './audio-controller.ts';

let instance: AudioController | null = null;

/** One player for the whole window (created on first use, so importing this touches no DOM). */
export function audioController(): AudioController {
  instance ??= new AudioController();
  return instance;
}
