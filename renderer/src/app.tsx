import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallRow } from '../../shared/contract.ts';
import { callTitle, formatCount, plural } from './calls/call-format.ts';
import { CallFilters } from './calls/call-filters.tsx';
import { CallList, type CallListHandle } from './calls/call-list.tsx';
import { type CallFilter, emptyFilter, isFiltered } from './calls/call-query.ts';
import { useCallPages } from './calls/use-call-pages.ts';
import { useExport } from './calls/use-export.ts';
import { DownloadsPanel } from './downloads/downloads-panel.tsx';
import { useDownloads } from './downloads/use-downloads.ts';
import { useKeyboardShortcuts } from './keyboard/keyboard-shortcuts.ts';
import { ShortcutsDialog } from './keyboard/shortcuts-dialog.tsx';
import { LibraryBanners } from './library/library-banners.tsx';
import { LibraryHeader } from './library/library-header.tsx';
import { useLibraryStatus } from './library/use-library-status.ts';
import { SKIP_SECONDS } from './player/audio-controller.ts';
import { audioController } from './player/audio-controller-instance.ts';
import { Player } from './player/player.tsx';
import { usePlayerState } from './player/use-playback.ts';
import { SettingsDialog } from './settings/settings-dialog.tsx';
import { ExportIcon } from './ui/icons.tsx';
import { useNotify } from './ui/notices.tsx';

/** The window: header, banners, the call list with its filters, the downloads drawer, the player. */
export function App() {
  const notify = useNotify();
  const controller = audioController();
  const player = usePlayerState(controller);
  const library = useLibraryStatus();
  const [filter, setFilter] = useState<CallFilter>(emptyFilter);
  const { store, snapshot } = useCallPages(filter);
  const [activeIndex, setActiveIndex] = useState(0);
  const [checked, setChecked] = useState<ReadonlyMap<string, CallRow>>(new Map());
  /** Where the last tick was: Shift-click ticks from here. */
  const anchor = useRef<number | null>(null);
  const downloads = useDownloads();
  const csvExport = useExport();
  const [dialog, setDialog] = useState<'settings' | 'shortcuts' | null>(null);
  const [downloadsOpen, setDownloadsOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<CallListHandle>(null);

  const total = snapshot.total ?? 0;
  const selected = total > 0 ? (store.rowAt(Math.min(activeIndex, total - 1)) ?? null) : null;

  // A new search starts at its first result (so Enter plays it).
  useEffect(() => {
    setActiveIndex(0);
    anchor.current = null;
  }, [filter]);

  useEffect(() => {
    document.title = player.call && player.playing ? `▶ ${callTitle(player.call)} — Tapedeck` : 'Tapedeck';
  }, [player.call, player.playing]);

  const moveTo = useCallback(
    (index: number) => {
      if (total > 0) setActiveIndex(Math.min(total - 1, Math.max(0, index)));
    },
    [total],
  );

  const playIndex = useCallback(
    async (index: number) => {
      setActiveIndex(index);
      const row = await store.loadRow(index);
      if (row) controller.play(row);
    },
    [store, controller],
  );

  const download = useCallback(
    async (rows: readonly CallRow[], batch = false) => {
      if (rows.length === 0) return;
      if (rows.length === 1 && rows[0]?.recording === null) {
        notify('info', `${callTitle(rows[0])} has no recording to download.`);
        return;
      }
      const started = await downloads.start(
        rows.map((r) => r.interaction_id),
        { batch },
      );
      if (started) setDownloadsOpen(true);
    },
    [downloads, notify],
  );

  const toggleChecked = useCallback(
    (index: number, row: CallRow, range: boolean) => {
      // Read before the update: React may run the updater later, after the anchor has moved.
      const from = anchor.current;
      anchor.current = index;
      setChecked((previous) => {
        const next = new Map(previous);
        if (range && from !== null && from !== index) {
          // Ticks every loaded row between the anchor and here (what is on screen is always loaded).
          const tick = !previous.has(row.interaction_id);
          for (let i = Math.min(from, index); i <= Math.max(from, index); i++) {
            const r = store.rowAt(i);
            if (r === undefined) continue;
            if (tick) next.set(r.interaction_id, r);
            else next.delete(r.interaction_id);
          }
        } else if (next.has(row.interaction_id)) {
          next.delete(row.interaction_id);
        } else {
          next.set(row.interaction_id, row);
        }
        return next;
      });
      setActiveIndex(index);
    },
    [store],
  );

  useKeyboardShortcuts({
    togglePlay: () => (player.call === null ? void playIndex(activeIndex) : controller.toggle()),
    skipBack: () => controller.skip(-SKIP_SECONDS),
    skipForward: () => controller.skip(SKIP_SECONDS),
    previousCall: () => moveTo(activeIndex - 1),
    nextCall: () => moveTo(activeIndex + 1),
    previousPage: () => moveTo(activeIndex - (listRef.current?.visibleRows() ?? 10)),
    nextPage: () => moveTo(activeIndex + (listRef.current?.visibleRows() ?? 10)),
    firstCall: () => moveTo(0),
    lastCall: () => moveTo(total - 1),
    playSelected: () => {
      if (total > 0) void playIndex(activeIndex);
    },
    slower: () => controller.stepRate(-1),
    faster: () => controller.stepRate(1),
    toggleChecked: () => selected && toggleChecked(activeIndex, selected, false),
    download: () => {
      if (selected) void download([selected]);
    },
    exportCsv: () => {
      if (total > 0) void csvExport.start(filter);
    },
    focusSearch: () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    showShortcuts: () => setDialog('shortcuts'),
  });

  const closeDialog = useCallback(() => setDialog(null), []);
  const openSettings = useCallback(() => setDialog('settings'), []);
  const checkedRows = [...checked.values()];
  const batch = downloads.batch;
  const filtered = isFiltered(filter);
  const counts = library.status?.counts;

  return (
    <div className="app">
      <LibraryHeader
        status={library.status}
        sync={library.sync}
        activeDownloads={downloads.active}
        downloadsOpen={downloadsOpen}
        onToggleDownloads={() => setDownloadsOpen((open) => !open)}
        onOpenSettings={openSettings}
        onOpenShortcuts={() => setDialog('shortcuts')}
      />
      <LibraryBanners status={library.status} statusError={library.error} onOpenSettings={openSettings} />

      <main className={`workspace${downloadsOpen ? ' with-drawer' : ''}`}>
        <section className="calls" aria-label="Call list">
          <CallFilters
            filter={filter}
            onChange={setFilter}
            facets={library.status?.facets ?? null}
            searchRef={searchRef}
            onLeaveSearch={() => listRef.current?.focus()}
          />
          <div className="list-bar">
            <p className="list-count" aria-live="polite">
              {snapshot.total === null ? (
                'Loading calls…'
              ) : filtered ? (
                <>
                  <strong>{plural(total, 'call')}</strong> match
                  {counts && <span className="muted"> of {formatCount(counts.interactions)}</span>}
                </>
              ) : (
                <>
                  <strong>{plural(total, 'call')}</strong>
                  {counts && <span> · {formatCount(counts.withRecording)} with recordings</span>}
                </>
              )}
            </p>
            {snapshot.error !== null && (
              <p className="list-error" role="alert">
                {snapshot.error}
              </p>
            )}
            <div className="bulk-actions">
              {batch !== null && !batch.done && (
                <span className="batch-progress">
                  <progress value={batch.fraction} max={1} aria-label="Overall download progress" />
                  <span>
                    {formatCount(batch.finished)} of {formatCount(batch.count)} ·{' '}
                    {Math.round(batch.fraction * 100)}%
                  </span>
                </span>
              )}
              <button
                type="button"
                className="button small"
                aria-keyshortcuts="E"
                title="Save the calls in this view as a CSV file in the downloads folder (E)"
                aria-busy={csvExport.running}
                disabled={csvExport.running || total === 0}
                onClick={() => void csvExport.start(filter)}
              >
                <ExportIcon />
                Export CSV
              </button>
              {checked.size > 0 && (
                <button type="button" className="button small ghost" onClick={() => setChecked(new Map())}>
                  Clear selection
                </button>
              )}
              <button
                type="button"
                className="button small primary"
                disabled={checked.size === 0}
                onClick={() => void download(checkedRows, true)}
              >
                Download selected ({formatCount(checked.size)})
              </button>
            </div>
          </div>
          <CallList
            ref={listRef}
            store={store}
            snapshot={snapshot}
            activeIndex={total > 0 ? Math.min(activeIndex, total - 1) : null}
            checked={checked}
            playingId={player.call?.interaction_id ?? null}
            playing={player.playing}
            onSelect={setActiveIndex}
            onPlay={(index) => void playIndex(index)}
            onToggleChecked={toggleChecked}
            empty={
              filtered ? (
                <>
                  <p>No calls match.</p>
                  <button type="button" className="button small" onClick={() => setFilter(emptyFilter)}>
                    Clear filters
                  </button>
                </>
              ) : library.status?.mode === 'unconfigured' ? (
                <>
                  <p>No library configured yet.</p>
                  <button type="button" className="button small" onClick={openSettings}>
                    Open settings
                  </button>
                </>
              ) : (
                <p>No calls in this library yet. Sync it from Settings, or import call metadata.</p>
              )
            }
          />
        </section>
        {downloadsOpen && <DownloadsPanel downloads={downloads} onClose={() => setDownloadsOpen(false)} />}
      </main>

      <Player
        controller={controller}
        selected={selected}
        onPlaySelected={() => void playIndex(activeIndex)}
        onDownload={(call) => void download([call])}
      />

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
