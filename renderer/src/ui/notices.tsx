/**
 * Short messages for a person: what just happened (info) or what went wrong (error, from a Reply's
 * `message`, shown as written). One action gives one notice (`group`), updated in place as it goes.
 * Info fades after a few seconds; an error stays until dismissed. They sit above the player, at the
 * list's bottom right, and never over the player's controls.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { AlertIcon, CloseIcon, InfoIcon } from './icons.tsx';
import { type Notice, type NoticeAction, withNotice } from './notice-list.ts';

export type { Notice, NoticeAction } from './notice-list.ts';

export interface NotifyOptions {
  readonly group?: string;
  readonly action?: NoticeAction;
}

type Notify = (kind: Notice['kind'], text: string, options?: NotifyOptions) => void;

const NoticeContext = createContext<Notify>(() => {});

const INFO_MS = 6000;
let nextId = 1;

export function NoticeProvider(props: { children: ReactNode }) {
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setNotices((all) => all.filter((n) => n.id !== id));
  }, []);

  const notify = useCallback<Notify>(
    (kind, text, options) => {
      const id = nextId++;
      const notice: Notice = {
        id,
        kind,
        text,
        group: options?.group ?? null,
        action: options?.action ?? null,
      };
      setNotices((all) => {
        // The notice it replaces goes with its timer; the new one gets a full one.
        for (const old of all) if (notice.group !== null && old.group === notice.group) dismissTimer(old.id);
        return withNotice(all, notice);
      });
      if (kind === 'info')
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), INFO_MS),
        );
    },
    [dismiss],
  );

  function dismissTimer(id: number): void {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }

  const value = useMemo(() => notify, [notify]);
  const errors = notices.filter((n) => n.kind === 'error');
  const infos = notices.filter((n) => n.kind === 'info');

  return (
    <NoticeContext.Provider value={value}>
      {props.children}
      <div className="notices" aria-label="Messages">
        {/* Separate live regions: errors interrupt a screen reader, info waits its turn. */}
        <div role="alert" aria-live="assertive">
          {errors.map((n) => (
            <NoticeCard key={n.id} notice={n} onDismiss={dismiss} />
          ))}
        </div>
        <div role="status" aria-live="polite">
          {infos.map((n) => (
            <NoticeCard key={n.group ?? n.id} notice={n} onDismiss={dismiss} />
          ))}
        </div>
      </div>
    </NoticeContext.Provider>
  );
}

function NoticeCard(props: { notice: Notice; onDismiss: (id: number) => void }) {
  const { notice } = props;
  return (
    <div className={`notice notice-${notice.kind}`} data-group={notice.group ?? undefined}>
      {notice.kind === 'error' ? <AlertIcon /> : <InfoIcon />}
      <p>{notice.text}</p>
      {notice.action !== null && (
        <button
          type="button"
          className="button small"
          onClick={() => {
            notice.action?.run();
            props.onDismiss(notice.id);
          }}
        >
          {notice.action.label}
        </button>
      )}
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
