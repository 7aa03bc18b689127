/**
 * Short messages for a person: what just happened (info) or what went wrong (error, from a Reply's
 * `message`, shown as written). Info fades after a few seconds; an error stays until dismissed.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { AlertIcon, CloseIcon, InfoIcon } from './icons.tsx';

export interface Notice {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
}

type Notify = (kind: Notice['kind'], text: string) => void;

const NoticeContext = createContext<Notify>(() => {});

const INFO_MS = 5000;
const MAX_SHOWN = 4;
let nextId = 1;

export function NoticeProvider(props: { children: ReactNode }) {
  const [notices, setNotices] = useState<readonly Notice[]>([]);

  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);

  const notify = useCallback<Notify>(
    (kind, text) => {
      const id = nextId++;
      // The same message twice in a row (a key held down) is shown once.
      setNotices((all) => [...all.filter((n) => n.text !== text), { id, kind, text }].slice(-MAX_SHOWN));
      if (kind === 'info') setTimeout(() => dismiss(id), INFO_MS);
    },
    [dismiss],
  );

  const value = useMemo(() => notify, [notify]);
  const errors = notices.filter((n) => n.kind === 'error');
  const infos = notices.filter((n) => n.kind === 'info');

  return (
    <NoticeContext.Provider value={value}>
      {props.children}
      <div className="notices">
        {/* Separate live regions: errors interrupt a screen reader, info waits its turn. */}
        <div role="alert">
          {errors.map((n) => (
            <NoticeCard key={n.id} notice={n} onDismiss={dismiss} />
          ))}
        </div>
        <div role="status">
          {infos.map((n) => (
            <NoticeCard key={n.id} notice={n} onDismiss={dismiss} />
          ))}
        </div>
      </div>
    </NoticeContext.Provider>
  );
}

function NoticeCard(props: { notice: Notice; onDismiss: (id: number) => void }) {
  const { notice } = props;
  return (
    <div className={`notice notice-${notice.kind}`}>
      {notice.kind === 'error' ? <AlertIcon /> : <InfoIcon />}
      <p>{notice.text}</p>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss message"
        onClick={() => props.onDismiss(notice.id)}
      >
        <CloseIcon />
      </button>
    </div>
  );
}

export function useNotify(): Notify {
  return useContext(NoticeContext);
}
