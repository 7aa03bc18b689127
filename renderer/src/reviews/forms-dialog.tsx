/**
 * The evaluation forms: each with its version and pass mark, exportable as the JSON file it is;
 * and a form file imported (`reviews:publishForm`). A bad file is refused with the path of the bad
 * field (checked here with the contract's schema first, so the answer is instant, and by main).
 */
import { useRef, useState } from 'react';
import { formQuestions, parseFormVersion, type FormVersion } from '../../../shared/reviews/form-schema.ts';
import { plural } from '../calls/call-format.ts';
import { client } from '../client/tapedeck-client.ts';
import { Dialog } from '../ui/dialog.tsx';
import type { Reviews } from './use-reviews.ts';

/** Reads a file's text as a form; the error names the file and the bad field. */
export function readFormFile(
  name: string,
  text: string,
): { ok: true; form: FormVersion } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: `${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const parsed = parseFormVersion(json);
  return parsed.ok ? parsed : { ok: false, error: `${name} is not a valid form: ${parsed.error}` };
}

function saveJson(fileName: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FormsDialog(props: { reviews: Reviews; open: boolean; onClose: () => void }) {
  const { reviews } = props;
  const fileRef = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const importFile = async (file: File) => {
    const read = readFormFile(file.name, await file.text());
    if (!read.ok) {
      setMessage({ kind: 'error', text: read.error });
      return;
    }
    const reply = await client['reviews:publishForm']({ form: read.form });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: reply.error.message });
      return;
    }
    await reviews.reloadForms();
    setMessage({ kind: 'ok', text: `Published “${reply.value.title}” (${reply.value.version_id}).` });
  };

  return (
    <Dialog open={props.open} title="Review forms" onClose={props.onClose} className="review-dialog">
      <ul className="forms-list">
        {reviews.forms.map((form) => (
          <li key={form.version_id}>
            <div>
              <strong>{form.title}</strong> <span className="mono muted">{form.version_id}</span>
              <p className="small muted">
                {plural(formQuestions(form).length, 'question')} in {plural(form.sections.length, 'section')}{' '}
                · pass mark {form.pass_mark} %
              </p>
            </div>
            <button
              type="button"
              className="button small"
              aria-label={`Export ${form.title} as JSON`}
              onClick={() => saveJson(`${form.version_id}.json`, form)}
            >
              Export JSON
            </button>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          aria-label="Form file to import"
          className="visually-hidden"
          tabIndex={-1}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <button type="button" className="button primary" onClick={() => fileRef.current?.click()}>
          Import form…
        </button>
      </div>
      {message !== null && (
        <p
          className={message.kind === 'error' ? 'review-error' : 'review-ok'}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      <p className="small muted">
        A form is a JSON file (the schema is in docs/forms.md). Publishing a form whose version id is new adds
        that version; a version a review used is never changed.
      </p>
    </Dialog>
  );
}
