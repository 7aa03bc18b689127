import { useCallback, useRef, useState } from 'react';
import { client } from '../client/tapedeck-client.ts';
import { useNotify } from '../ui/notices.tsx';
import { plural } from './call-format.ts';
import type { CallFilter } from './call-query.ts';

export interface CallExport {
  /** Writes the calls the filter matches (every page) as CSV into the downloads folder. */
  readonly start: (filter: CallFilter) => Promise<void>;
  readonly running: boolean;
}

/** `recordings:export`, one at a time; how it went is told as a notice. */
export function useExport(): CallExport {
  const notify = useNotify();
  const [running, setRunning] = useState(false);
  /** Read synchronously, so a key held down starts one export, not one per repeat. */
  const busy = useRef(false);

  const start = useCallback(
    async (filter: CallFilter) => {
      if (busy.current) return;
      busy.current = true;
      setRunning(true);
      try {
        const reply = await client['recordings:export'](filter);
        if (reply.ok) notify('info', `Exported ${plural(reply.value.rows, 'call')} to ${reply.value.path}`);
        else notify('error', reply.error.message);
      } finally {
        busy.current = false;
        setRunning(false);
      }
    },
    [notify],
  );

  return { start, running };
}
