import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallRow } from '../../shared/contract.ts';
import { callTitle } from './calls/call-format.ts';
import { CallFilters } from './calls/call-filters.tsx';
import { CallList, type CallListHandle } from './calls/call-list.tsx';
import { emptyFilter, isFiltered, swapDates } from './calls/call-query.ts';
import { EmptyList } from './calls/empty-list.tsx';
import { ListBar } from './calls/list-bar.tsx';
import { useCallPages } from './calls/use-call-pages.ts';
import { useExport } from './calls/use-export.ts';
import { useListView } from './calls/use-list-view.ts';
import { useSelection } from './calls/use-selection.ts';
import { DownloadsPanel } from './downloads/downloads-panel.tsx';
import { useDownloads } from './downloads/use-downloads.ts';
import { ShortcutsDialog } from './keyboard/shortcuts-dialog.tsx';
import { useAppShortcuts } from './keyboard/use-app-shortcuts.ts';
import { LibraryBanners } from './library/library-banners.tsx';
import { LibraryHeader } from './library/library-header.tsx';
import { firstSyncText } from './library/sync-text.ts';
import { useLibraryStatus } from './library/use-library-status.ts';
import { audioController } from './player/audio-controller-instance.ts';
import { Player } from './player/player.tsx';
import { useCallPlayback } from './player/use-call-playback.ts';
import { usePlayerState } from './player/use-playback.ts';
import { useDisplayZone } from './preferences/display-zone.ts';
import { ReviewsMount } from './reviews/reviews-mount.tsx';
import { NoteMarkers } from './reviews/note-markers.tsx';
import { ReviewPanel } from './reviews/review-panel.tsx';
import { ReviewsBar } from './reviews/reviews-bar.tsx';
import { useReviews } from './reviews/use-reviews.ts';
import { SettingsDialog } from './settings/settings-dialog.tsx';
import { TeamBanner } from './team/team-banner.tsx';
import { useTeamStatus } from './team/use-team-status.ts';
import { TranscriptPanel } from './transcripts/transcript-panel.tsx';
import { useQuoteTurn } from './transcripts/use-quote-turn.ts';
import { useNotify } from './ui/notices.tsx';

/** The window: it composes the header, banners, the list with its filters, the downloads drawer and the player. */
export function App() {
  const notify = useNotify();
  const controller = audioController();
  const player = usePlayerState(controller);
  const library = useLibraryStatus();
  const view = useListView();
  const { filter, setFilter } = view;
  const { store, snapshot } = useCallPages(filter);
  const total = snapshot.total ?? 0;
  const selection = useSelection({
    store,
    snapshot,
    filter,
    restoredId: view.restoredId,
    onSelected: view.setSelectedId,
  });
  const { activeIndex, selected } = selection;
  const playback = useCallPlayback({ controller, store, total, activeIndex, select: selection.select });
  const reviews = useReviews({ controller, selection, store, total, setFilter });
  const quoteTurn = useQuoteTurn(reviews, selected?.interaction_id ?? null);
  const downloads = useDownloads();
  const team = useTeamStatus();
  const csvExport = useExport();
  const [zone] = useDisplayZone();
  const [dialog, setDialog] = useState<'settings' | 'shortcuts' | null>(null);
  const [downloadsOpen, setDownloadsOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<CallListHandle>(null);

  useEffect(() => {
    document.title = player.call && player.playing ? `▶ ${callTitle(player.call)} — Tapedeck` : 'Tapedeck';
  }, [player.call, player.playing]);

  const download = useCallback(
    async (rows: readonly CallRow[], batch = false) => {
      const [only] = rows;
      if (only === undefined) return;
      if (rows.length === 1 && only.recording === null) {
        notify('info', `${callTitle(only)} has no recording to download.`, { group: 'no-recording' });
        return;
      }
      const started = await downloads.start(
        rows.map((r) => r.interaction_id),
        { batch },
      );
      // A bulk download opens the drawer with its progress; a single one is told by its notice.
      if (started && batch) setDownloadsOpen(true);
    },
    [downloads, notify],
  );

  const closeDownloads = useCallback(() => {
    setDownloadsOpen(false);
    // The drawer's button, not the page, gets the keyboard back.
    document.querySelector<HTMLElement>('[aria-controls="downloads-panel"]')?.focus();
  }, []);

  useAppShortcuts({
    controller,
    selection,
    playback,
    total,
    visibleRows: () => listRef.current?.visibleRows() ?? 10,
    download: (row) => void download([row]),
    exportCsv: () => void csvExport.start(filter),
    focusSearch: () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    showShortcuts: () => setDialog('shortcuts'),
    review: reviews.shortcuts,
  });

  const closeDialog = useCallback(() => setDialog(null), []);
  const openSettings = useCallback(() => setDialog('settings'), []);

  return (
    <div className={`app${downloadsOpen ? ' with-drawer' : ''}${reviews.panelOpen ? ' with-review' : ''}`}>
      <LibraryHeader
        status={library.status}
        sync={library.sync}
        activeDownloads={downloads.active}
        downloadsOpen={downloadsOpen}
        onToggleDownloads={() => (downloadsOpen ? closeDownloads() : setDownloadsOpen(true))}
        onOpenSettings={openSettings}
        onOpenShortcuts={() => setDialog('shortcuts')}
        team={team}
      />
      {/* One row of the window's grid for every banner. */}
      <div>
        <LibraryBanners status={library.status} statusError={library.error} onOpenSettings={openSettings} />
        <TeamBanner status={team} />
      </div>

      <main className="workspace">
        <section className="calls" aria-label="Call list">
          <CallFilters
            filter={filter}
            onChange={setFilter}
            facets={library.status?.facets ?? null}
            searchRef={searchRef}
            onLeaveSearch={() => listRef.current?.focus()}
          />
          <ReviewsBar reviews={reviews} filter={filter} onChange={setFilter} />
          <ListBar
            total={snapshot.count}
            counting={snapshot.counting}
            filtered={isFiltered(filter)}
            counts={library.status?.counts ?? null}
            error={snapshot.error}
            batch={downloads.batch}
            exporting={csvExport.running}
            checkedCount={selection.checked.size}
            onExport={() => void csvExport.start(filter)}
            onClearChecked={() => {
              selection.clearChecked();
              listRef.current?.focus();
            }}
            onDownloadChecked={() => void download([...selection.checked.values()], true)}
          />
          <CallList
            ref={listRef}
            store={store}
            snapshot={snapshot}
            activeIndex={total > 0 ? activeIndex : null}
            checked={selection.checked}
            playingId={player.call?.interaction_id ?? null}
            playing={player.playing}
            onSelect={selection.select}
            onPlay={(index) => void playback.playIndex(index)}
            onToggleChecked={selection.toggle}
            reviews={reviews.summaries}
            onRowsShown={reviews.onRowsShown}
            withSaid={filter.said !== null}
            empty={
              <EmptyList
                filter={filter}
                mode={library.status?.mode ?? null}
                firstSync={firstSyncText(library.status, library.sync)}
                onSwapDates={() => setFilter(swapDates(filter, zone))}
                onClearFilters={() => {
                  setFilter(emptyFilter);
                  searchRef.current?.focus();
                }}
                onOpenSettings={openSettings}
              />
            }
          />
        </section>
        <TranscriptPanel controller={controller} selected={selected} onQuote={quoteTurn} />
        {downloadsOpen && <DownloadsPanel downloads={downloads} onClose={closeDownloads} />}
        {reviews.panelOpen && <ReviewPanel reviews={reviews} />}
      </main>

      <Player
        controller={controller}
        selected={selected}
        onPlaySelected={() => void playback.playIndex(activeIndex)}
        onNext={() => void playback.playNext()}
        onDownload={(call) => void download([call])}
        waveformOverlay={(call) => (
          <NoteMarkers reviews={reviews} controller={controller} interactionId={call.interaction_id} />
        )}
        onWaveformRange={reviews.panelOpen ? (start, end) => reviews.addNote({ start, end }) : undefined}
      />
      <ReviewsMount reviews={reviews} />

      <SettingsDialog
        open={dialog === 'settings'}
        onClose={closeDialog}
        sync={library.sync}
        upstream={library.status?.upstream ?? null}
      />
      <ShortcutsDialog open={dialog === 'shortcuts'} onClose={closeDialog} />
    </div>
  );
}
