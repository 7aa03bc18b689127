/** Notices grouped per action (renderer/src/ui/notice-list.ts) and what a download action says. */
import { describe, expect, it } from 'vitest';
import type { Download } from '../../../shared/contract.ts';
import { outcomeText, progressText } from '../../../renderer/src/downloads/download-notice.ts';
import { type Notice, withNotice } from '../../../renderer/src/ui/notice-list.ts';

let id = 0;
const notice = (text: string, group: string | null = null, kind: Notice['kind'] = 'info'): Notice => ({
  id: ++id,
  kind,
  text,
  group,
  action: null,
});
const texts = (all: readonly Notice[]) => all.map((n) => n.text);

describe('the notice list', () => {
  it('replaces an action’s notice in place instead of stacking another', () => {
    let all = withNotice([], notice('Exported 3 calls'));
    all = withNotice(all, notice('Saving 4 calls…', 'download-1'));
    all = withNotice(all, notice('Saved 4 calls', 'download-1'));
    expect(texts(all)).toEqual(['Exported 3 calls', 'Saved 4 calls']);
  });

  it('shows the same text once, and at most three, dropping the oldest information before errors', () => {
    let all = withNotice([], notice('Disk full', null, 'error'));
    for (const text of ['one', 'two', 'one', 'three']) all = withNotice(all, notice(text));
    expect(texts(all)).toEqual(['Disk full', 'one', 'three']);
  });
});

const download = (change: Partial<Download>): Download => ({
  id: `d${++id}`,
  interactionId: 'i',
  key: 'k',
  fileName: 'Louis Smith_15103455686_2025-08-08_114445.mp4',
  path: '/dl/Louis Smith_15103455686_2025-08-08_114445.mp4',
  state: 'finished',
  receivedBytes: 10,
  totalBytes: 10,
  error: null,
  ...change,
});

describe('what a download action says', () => {
  it('one file: saved, or already saved', () => {
    expect(outcomeText({ asked: 1, skipped: 0, downloads: [download({})] })).toEqual({
      kind: 'info',
      text: 'Saved Louis Smith_15103455686_2025-08-08_114445.mp4',
    });
    expect(outcomeText({ asked: 1, skipped: 0, downloads: [download({ alreadySaved: true })] }).text).toBe(
      'Already saved: Louis Smith_15103455686_2025-08-08_114445.mp4',
    );
  });

  it('a bulk download: one sentence for all of it, calls without a recording counted', () => {
    const downloads = [download({}), download({}), download({ alreadySaved: true })];
    expect(progressText({ asked: 4, skipped: 1, downloads })).toBe('Saving 3 calls…');
    expect(outcomeText({ asked: 4, skipped: 1, downloads })).toEqual({
      kind: 'info',
      text: 'Saved 2 calls; 1 already saved. 1 of 4 calls has no recording.',
    });
  });

  it('a failure makes it an error that names the file and the reason', () => {
    const downloads = [
      download({}),
      download({ state: 'failed', fileName: 'b.mp4', error: 'The disk is full.' }),
    ];
    expect(outcomeText({ asked: 2, skipped: 0, downloads })).toEqual({
      kind: 'error',
      text: 'Saved 1 call; 1 failed (b.mp4: The disk is full.)',
    });
  });
});
