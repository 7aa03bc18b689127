/** What each keyboard shortcut does in the window: the table's actions wired to the list and player. */
import type { CallRow } from '../../../shared/contract.ts';
import type { Selection } from '../calls/use-selection.ts';
import { type AudioController, SKIP_SECONDS } from '../player/audio-controller.ts';
import type { CallPlayback } from '../player/use-call-playback.ts';
import { toggleTranscriptPanel } from '../transcripts/use-transcript.ts';
import { useKeyboardShortcuts } from './keyboard-shortcuts.ts';

export function useAppShortcuts(app: {
  controller: AudioController;
  selection: Selection;
  playback: CallPlayback;
  total: number;
  visibleRows: () => number;
  download: (row: CallRow) => void;
  exportCsv: () => void;
  focusSearch: () => void;
  showShortcuts: () => void;
  /** R, M, Shift+M, J and Ctrl+Enter (reviews/use-reviews.ts). */
  review: Record<'openReview' | 'addNote' | 'addRangeNote' | 'nextToReview' | 'submitReview', () => void>;
}): void {
  const { controller, selection, playback, total } = app;
  const { activeIndex, selected } = selection;
  useKeyboardShortcuts({
    togglePlay: () =>
      controller.getState().call === null ? void playback.playIndex(activeIndex) : controller.toggle(),
    skipBack: () => controller.skip(-SKIP_SECONDS),
    skipForward: () => controller.skip(SKIP_SECONDS),
    previousCall: () => selection.moveBy(-1),
    nextCall: () => selection.moveBy(1),
    previousPage: () => selection.moveBy(-app.visibleRows()),
    nextPage: () => selection.moveBy(app.visibleRows()),
    firstCall: () => selection.select(0),
    lastCall: () => selection.select(total - 1),
    playSelected: () => {
      if (total > 0) void playback.playIndex(activeIndex);
    },
    playNext: () => void playback.playNext(),
    slower: () => controller.stepRate(-1),
    faster: () => controller.stepRate(1),
    toggleTranscript: toggleTranscriptPanel,
    toggleChecked: () => {
      if (selected) selection.toggle(activeIndex, selected, false);
    },
    download: () => {
      if (selected) app.download(selected);
    },
    exportCsv: () => {
      if (total > 0) app.exportCsv();
    },
    focusSearch: app.focusSearch,
    showShortcuts: app.showShortcuts,
    ...app.review,
  });
}
