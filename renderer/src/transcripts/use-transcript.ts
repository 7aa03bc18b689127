/**
 * A call's transcript for the panel, asked of main once per call per session (a transcript does
 * not change under a reviewer; a sync that brings a new one is seen on the next visit).
 */
import { useEffect, useState } from 'react';
import { client } from '../client/tapedeck-client.ts';
import { storedPreference } from '../preferences/stored-preference.ts';
import type { TranscriptView } from './transcript-turns.ts';

export type TranscriptState =
  | { readonly state: 'none' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly transcript: TranscriptView | null }
  | { readonly state: 'failed'; readonly message: string };

/** The panel stays open (or closed) across reloads; T toggles it. */
export const transcriptPanelOpen = storedPreference(
  'tapedeck.transcript.open',
  (stored) => stored === 'true',
);

export function toggleTranscriptPanel(): void {
  transcriptPanelOpen.write(!transcriptPanelOpen.read());
}

const cache = new Map<string, TranscriptView | null>();

export function useTranscript(interactionId: string | null): TranscriptState {
  const [loaded, setLoaded] = useState<{ id: string; state: TranscriptState } | null>(null);

  useEffect(() => {
    if (interactionId === null || cache.has(interactionId)) return;
    let stale = false;
    setLoaded({ id: interactionId, state: { state: 'loading' } });
    client['transcripts:get']({ interactionId }).then(
      (reply) => {
        if (reply.ok) cache.set(interactionId, reply.value);
        if (stale) return;
        setLoaded({
          id: interactionId,
          state: reply.ok
            ? { state: 'ready', transcript: reply.value }
            : { state: 'failed', message: `The transcript could not be read: ${reply.error.message}` },
        });
      },
      (error: unknown) => {
        if (!stale)
          setLoaded({
            id: interactionId,
            state: { state: 'failed', message: `The transcript could not be read: ${String(error)}` },
          });
      },
    );
    return () => {
      stale = true;
    };
  }, [interactionId]);

  if (interactionId === null) return { state: 'none' };
  const cached = cache.get(interactionId);
  if (cached !== undefined) return { state: 'ready', transcript: cached };
  return loaded?.id === interactionId ? loaded.state : { state: 'loading' };
}
