import { Dialog } from '../ui/dialog.tsx';
import { SHORTCUTS, type Shortcut } from './keyboard-shortcuts.ts';

const GROUPS: readonly Shortcut['group'][] = ['Playback', 'List', 'Review', 'General'];

/** `?`: every shortcut, read from the same table the key handler uses. */
export function ShortcutsDialog(props: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={props.open} title="Keyboard shortcuts" onClose={props.onClose} className="shortcuts-dialog">
      <div className="shortcut-groups">
        {GROUPS.map((group) => (
          <section key={group} aria-label={group}>
            <h3>{group}</h3>
            <dl className="shortcut-list">
              {SHORTCUTS.filter((s) => s.group === group).map((shortcut) => (
                <div key={shortcut.action} className="shortcut">
                  <dt>
                    {shortcut.label.map((key) => (
                      <kbd key={key}>{key}</kbd>
                    ))}
                  </dt>
                  <dd>{shortcut.description}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="muted small">
        Shortcuts pause while you type in a field; <kbd>Esc</kbd> leaves the search box, or closes this
        dialog.
      </p>
    </Dialog>
  );
}
