import type { Busy, Verdict } from './use-settings-form.ts';

/**
 * Test connection and Save, with the latest verdict right beside them: the bar stays in view while
 * the form scrolls, so what Test connection found (and what to fix) is never below the fold.
 */
export function SettingsActions(props: { verdict: Verdict | null; busy: Busy; onTest: () => void }) {
  const { verdict, busy } = props;
  return (
    <div className="dialog-actions settings-actions">
      {/* Always in the page, so a screen reader announces each new verdict. */}
      <p
        className={`connection-verdict${verdict === null ? '' : verdict.ok ? ' form-success' : ' form-error'}`}
        role="status"
        aria-label="Connection test"
      >
        {busy === 'test' ? 'Testing the connection…' : (verdict?.message ?? '')}
      </p>
      <button type="button" className="button" onClick={props.onTest} disabled={busy !== null}>
        {busy === 'test' ? 'Testing…' : 'Test connection'}
      </button>
      <button type="submit" className="button primary" disabled={busy !== null}>
        {busy === 'save' ? 'Saving…' : 'Save'}
      </button>
    </div>
  );
}
