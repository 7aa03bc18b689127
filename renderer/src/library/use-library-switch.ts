import { useCallback, useState } from 'react';
import { client } from '../client/tapedeck-client.ts';
import { useNotify } from '../ui/notices.tsx';

/**
 * `library:open`: the demo, or the bucket the settings name. The page follows through
 * `library:changed`, which the switch fires; a refusal is shown as an error notice.
 */
export function useLibrarySwitch(): {
  readonly opening: 'demo' | 'settings' | null;
  readonly open: (source: 'demo' | 'settings') => Promise<void>;
} {
  const notify = useNotify();
  const [opening, setOpening] = useState<'demo' | 'settings' | null>(null);
  const open = useCallback(
    async (source: 'demo' | 'settings') => {
      setOpening(source);
      const reply = await client['library:open']({ source });
      setOpening(null);
      if (!reply.ok) notify('error', reply.error.message, { group: 'library-open' });
    },
    [notify],
  );
  return { opening, open };
}
