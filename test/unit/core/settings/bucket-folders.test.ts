/**
 * The transcripts and team prefixes: the environment wins over Settings (and pins the field in the
 * dialog), each is null when neither sets it, and a leading slash is refused with what to write.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../../electron/core/config.ts';
import { bucketFolders, withBucketFolders } from '../../../../electron/core/settings/bucket-folders.ts';
import { DEFAULT_SETTINGS } from '../../../../electron/core/settings/settings-store.ts';
import { pinnedByEnvironment, settingsView } from '../../../../electron/core/settings/settings-view.ts';

const saved = { ...DEFAULT_SETTINGS, transcriptsPrefix: 'saved-transcripts/', teamPrefix: null };

describe('the transcripts and team prefixes', () => {
  it('are null when neither the environment nor Settings sets them', () => {
    expect(bucketFolders({}, DEFAULT_SETTINGS)).toEqual({ transcriptsPrefix: null, teamPrefix: null });
    expect(bucketFolders({ TAPEDECK_TRANSCRIPTS_PREFIX: '  ' }, DEFAULT_SETTINGS)).toEqual({
      transcriptsPrefix: null,
      teamPrefix: null,
    });
  });

  it('come from the environment first, as folders, then from Settings', () => {
    expect(bucketFolders({}, saved)).toEqual({ transcriptsPrefix: 'saved-transcripts/', teamPrefix: null });
    expect(
      bucketFolders(
        { TAPEDECK_TRANSCRIPTS_PREFIX: 'env/transcripts', TAPEDECK_TEAM_PREFIX: 'acme/tapedeck' },
        saved,
      ),
    ).toEqual({ transcriptsPrefix: 'env/transcripts/', teamPrefix: 'acme/tapedeck/' });
    const location = {
      bucket: 'calls',
      prefix: 'calls/',
      region: undefined,
      endpoint: undefined,
      forcePathStyle: false,
    };
    expect(withBucketFolders(location, { TAPEDECK_TEAM_PREFIX: 'team/' }, saved)).toEqual({
      ...location,
      transcriptsPrefix: 'saved-transcripts/',
      teamPrefix: 'team/',
    });
  });

  it('are read with the bucket by readConfig (serve, sync, import)', () => {
    expect(
      readConfig({ S3_BUCKET: 'calls', TAPEDECK_TRANSCRIPTS_PREFIX: 'transcripts', TAPEDECK_TEAM_PREFIX: '' })
        .s3,
    ).toMatchObject({ transcriptsPrefix: 'transcripts/', teamPrefix: null });
  });

  it('refuse a leading slash in the environment, saying what to write', () => {
    expect(() => readConfig({ S3_BUCKET: 'calls', TAPEDECK_TRANSCRIPTS_PREFIX: '/transcripts' })).toThrow(
      new ConfigError(
        'TAPEDECK_TRANSCRIPTS_PREFIX must not start with a slash (S3 keys do not): got "/transcripts"; write it as "transcripts/".',
      ),
    );
    expect(() => bucketFolders({ TAPEDECK_TEAM_PREFIX: '/' }, DEFAULT_SETTINGS)).toThrow(
      'TAPEDECK_TEAM_PREFIX must not start with a slash (S3 keys do not): got "/".',
    );
  });

  it('are pinned by their variables, and shown as in effect', () => {
    const env = { TAPEDECK_TRANSCRIPTS_PREFIX: 'transcripts/', TAPEDECK_TEAM_PREFIX: 'team/' };
    expect(pinnedByEnvironment(env)).toEqual([
      { setting: 'transcriptsPrefix', variable: 'TAPEDECK_TRANSCRIPTS_PREFIX' },
      { setting: 'teamPrefix', variable: 'TAPEDECK_TEAM_PREFIX' },
    ]);
    const view = settingsView(
      saved,
      env,
      false,
      { available: true, reason: null },
      {
        downloadsDir: '/tmp',
        apiPort: 8000,
        syncIntervalMinutes: 15,
        reviewerName: 'qa',
        ...bucketFolders(env, saved),
      },
    );
    expect(view).toMatchObject({
      transcriptsPrefix: 'transcripts/',
      teamPrefix: 'team/',
      lockedByEnvironment: ['transcriptsPrefix', 'teamPrefix'],
    });
  });
});
