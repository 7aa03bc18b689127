/**
 * Tags on the review: chips with a remove button, and a box that suggests tags already in use
 * (`reviews:tags`, most used first) as a combobox: ↑/↓ through the suggestions, Enter adds.
 */
import { useEffect, useId, useState } from 'react';
import { TAG_MAX } from '../../../shared/reviews/review-events.ts';
import { client } from '../client/tapedeck-client.ts';

const SUGGEST_DELAY_MS = 120;

export function TagsInput(props: {
  tags: readonly string[];
  readOnly: boolean;
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
}) {
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    if (!open) return;
    let stale = false;
    const timer = setTimeout(() => {
      void client['reviews:tags']({ prefix: text.trim() }).then((reply) => {
        if (stale || !reply.ok) return;
        setSuggestions(reply.value.tags.map((t) => t.tag).filter((tag) => !props.tags.includes(tag)));
        setActive(-1);
      });
    }, SUGGEST_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [text, open, props.tags]);

  const add = (tag: string) => {
    const clean = tag.trim();
    if (clean === '') return;
    if (!props.tags.includes(clean)) props.onAdd(clean);
    setText('');
    setOpen(false);
  };

  const shown = open ? suggestions.slice(0, 8) : [];

  return (
    <div className="tags-input">
      <ul className="tag-chips" aria-label="Tags">
        {props.tags.map((tag) => (
          <li key={tag} className="tag-chip">
            <span>{tag}</span>
            {!props.readOnly && (
              <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => props.onRemove(tag)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!props.readOnly && (
        <div className="tag-combo">
          <input
            type="text"
            role="combobox"
            aria-label="Add tag"
            aria-autocomplete="list"
            aria-expanded={shown.length > 0}
            aria-controls={listId}
            aria-activedescendant={active >= 0 && shown[active] !== undefined ? optionId(active) : undefined}
            placeholder="Add a tag…"
            maxLength={TAG_MAX}
            value={text}
            onFocus={() => setOpen(true)}
            onBlur={() => setOpen(false)}
            onChange={(event) => {
              setText(event.target.value);
              setOpen(true);
            }}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault();
                event.stopPropagation();
                if (shown.length === 0) return;
                const step = event.key === 'ArrowDown' ? 1 : -1;
                // -1 is the box itself: the suggestions cycle through it.
                setActive((i) => ((i + 1 + step + shown.length + 1) % (shown.length + 1)) - 1);
              } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
                event.preventDefault();
                event.stopPropagation();
                add(active >= 0 && shown[active] !== undefined ? shown[active] : text);
              } else if (event.key === 'Escape') {
                if (open && shown.length > 0) {
                  event.preventDefault();
                  event.stopPropagation();
                  setOpen(false);
                }
              }
            }}
          />
          <ul
            id={listId}
            role="listbox"
            aria-label="Tags in use"
            className="tag-suggestions"
            hidden={shown.length === 0}
          >
            {shown.map((tag, i) => (
              <li
                key={tag}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'is-active' : undefined}
                // Before the box's blur closes the list.
                onMouseDown={(event) => {
                  event.preventDefault();
                  add(tag);
                }}
              >
                {tag}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
