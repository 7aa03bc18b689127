/** The review panel's keys (renderer/src/reviews/review-keys.ts). */
import { describe, expect, it } from 'vitest';
import { panelKeyIntent } from '../../../../renderer/src/reviews/review-keys.ts';

describe('panelKeyIntent', () => {
  it('on an option: 1–9 pick, N is N/A, ↑/↓ move between questions, C comments', () => {
    expect(panelKeyIntent({ key: '1' }, 'option')).toEqual({ kind: 'pick', index: 0 });
    expect(panelKeyIntent({ key: '9' }, 'option')).toEqual({ kind: 'pick', index: 8 });
    expect(panelKeyIntent({ key: 'n' }, 'option')).toEqual({ kind: 'na' });
    expect(panelKeyIntent({ key: 'ArrowDown' }, 'option')).toEqual({ kind: 'move', by: 1 });
    expect(panelKeyIntent({ key: 'ArrowUp' }, 'option')).toEqual({ kind: 'move', by: -1 });
    expect(panelKeyIntent({ key: 'C' }, 'option')).toEqual({ kind: 'comment' });
  });

  it('leaves other keys to the window (M, R, J, Space, ←/→) and every modified key', () => {
    for (const key of ['0', 'm', 'r', 'j', ' ', 'ArrowLeft', 'ArrowRight', 'Enter']) {
      expect(panelKeyIntent({ key }, 'option')).toBeNull();
    }
    expect(panelKeyIntent({ key: '1', ctrlKey: true }, 'option')).toBeNull();
    expect(panelKeyIntent({ key: 'n', metaKey: true }, 'option')).toBeNull();
  });

  it('in a text field every key is text, except Escape, which goes back to the question', () => {
    for (const key of ['1', 'n', 'c', 'ArrowDown']) expect(panelKeyIntent({ key }, 'text')).toBeNull();
    expect(panelKeyIntent({ key: 'Escape' }, 'text')).toEqual({ kind: 'leave' });
  });
});
