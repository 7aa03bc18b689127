/**
 * The team status in the window (renderer/src/team): the banner that says how many changes are not
 * yet shared and why, and the header's indicator of who this machine shares as — rendered to HTML
 * from a fake `team:status`.
 */
import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { identityText, type TeamStatus, unsharedText } from '../../../../renderer/src/team/team-text.ts';

// The components are .tsx, which the root TypeScript project (no JSX) does not resolve: Vitest
// loads them by path at run time.
type StatusView = FunctionComponent<{ status: TeamStatus | null }>;
const component = async (file: string, name: string): Promise<StatusView> =>
  ((await import(/* @vite-ignore */ `../../../../renderer/src/team/${file}`)) as Record<string, StatusView>)[
    name
  ]!;
const TeamBanner = await component('team-banner.tsx', 'TeamBanner');
const TeamIndicator = await component('team-indicator.tsx', 'TeamIndicator');

const status = (change: Partial<TeamStatus> = {}): TeamStatus => ({
  enabled: true,
  location: 's3://calls/tapedeck/',
  reviewer: { reviewerId: 'AIDAEXAMPLE', name: 'ana.qa', arn: 'arn:aws:iam::123456789012:user/ana.qa' },
  verified: true,
  outbox: 0,
  lastPull: null,
  lastPush: null,
  error: null,
  refused: [],
  reviewers: [],
  ...change,
});

const banner = (value: TeamStatus | null) =>
  renderToStaticMarkup(createElement(TeamBanner, { status: value }));
const indicator = (value: TeamStatus | null) =>
  renderToStaticMarkup(createElement(TeamIndicator, { status: value }));

describe('the unshared-changes banner', () => {
  it('says how many changes wait and why, as a status', () => {
    const html = banner(status({ outbox: 3, error: 'S3 is not answering: check the network.' }));
    expect(html).toContain('role="status"');
    expect(html).toContain('3 changes not yet shared — S3 is not answering: check the network.');
    expect(unsharedText(status({ outbox: 1, error: 'Credentials expired.' }))).toBe(
      '1 change not yet shared — Credentials expired.',
    );
  });

  it('stays away while nothing waits, while nothing failed, when sharing is off, or before the status is known', () => {
    expect(banner(status({ outbox: 0, error: 'S3 is not answering.' }))).toBe('');
    expect(banner(status({ outbox: 4, error: null }))).toBe(''); // uploading normally
    expect(banner(status({ enabled: false, outbox: 4, error: 'x' }))).toBe('');
    expect(banner(null)).toBe('');
  });
});

describe('the header’s sharing indicator', () => {
  it('names a verified identity, describing what verified means', () => {
    const html = indicator(status());
    expect(html).toContain('Shared as ana.qa (verified)');
    expect(html).toMatch(/aria-describedby="([^"]+)".*id="\1"[^>]*>Your reviews are shared as ana\.qa/s);
    expect(html).toContain('AWS confirmed who the credentials belong to');
  });

  it('says an identity is not verified on a server without STS, and explains it', () => {
    const html = indicator(
      status({ verified: false, reviewer: { reviewerId: 'ana', name: 'ana', arn: null } }),
    );
    expect(html).toContain('Identity not verified on this server');
    expect(html).toContain('cannot confirm who the credentials belong to');
    expect(identityText(status({ verified: false }))).toBe('Identity not verified on this server');
  });

  it('counts the refused objects on the indicator (the list is in its dialog), and is absent when sharing is off', () => {
    const html = indicator(
      status({ refused: [{ key: 'v1/events/bob/01J.json', reason: 'written by alice under bob' }] }),
    );
    expect(html).toContain('1 refused');
    expect(indicator(status({ enabled: false }))).toBe('');
    expect(indicator(null)).toBe('');
  });
});
