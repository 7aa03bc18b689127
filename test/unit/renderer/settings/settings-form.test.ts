/**
 * The settings form's rules without a browser: what the environment pins (and the words that say
 * so), and the update Save sends, checked with the contract's schema.
 */
import { describe, expect, it } from 'vitest';
import {
  checkSettings,
  formOf,
  noSecrets,
  pinnedReason,
  type SettingsForm,
} from '../../../../renderer/src/settings/settings-form.ts';
import { SYNC_INTERVAL_MAX_MINUTES, type SettingsView } from '../../../../shared/contract.ts';

function view(change: Partial<SettingsView> = {}): SettingsView {
  return {
    bucket: '',
    prefix: 'egress-recordings/',
    region: '',
    endpoint: '',
    forcePathStyle: false,
    credentialSource: 'default-chain',
    profile: '',
    hasStoredKeys: false,
    downloadsDir: '/home/qa/Downloads',
    apiPort: 8000,
    syncIntervalMinutes: 15,
    reviewerName: 'qa',
    transcriptsPrefix: null,
    teamPrefix: null,
    lockedByEnvironment: [],
    pinnedByEnvironment: [],
    storedKeys: { available: true, reason: null },
    ...change,
  };
}

function form(change: Partial<SettingsForm> = {}, from = view()): SettingsForm {
  return { ...formOf(from), ...change };
}

const NO_KEYCHAIN =
  'Keys can only be stored by the desktop app (it keeps them in the OS keychain). Here, use an AWS profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';

describe('pinnedReason', () => {
  it('names the variable that pins a setting, and that it wins over Settings', () => {
    const pinned = view({
      lockedByEnvironment: ['bucket'],
      pinnedByEnvironment: [{ setting: 'bucket', variable: 'S3_BUCKET' }],
    });
    expect(pinnedReason(pinned, 'bucket')).toBe(
      'Set by S3_BUCKET in the environment, which wins over Settings',
    );
    expect(pinnedReason(pinned, 'region')).toBeNull();
  });

  it('still says the environment decides when no variable is named', () => {
    expect(pinnedReason(view({ lockedByEnvironment: ['apiPort'] }), 'apiPort')).toBe(
      'Set by environment, which wins over Settings',
    );
  });
});

describe('checkSettings', () => {
  it('sends what is typed, trimmed, with the numbers as numbers', () => {
    const typed = form({
      bucket: ' team-calls ',
      endpoint: 'http://127.0.0.1:9000 ',
      forcePathStyle: true,
      credentialSource: 'profile',
      profile: ' qa ',
      apiPort: ' 8123 ',
      syncIntervalMinutes: '0',
    });
    expect(checkSettings(typed, noSecrets, view())).toEqual({
      ok: true,
      update: {
        bucket: 'team-calls',
        prefix: 'egress-recordings/',
        region: '',
        endpoint: 'http://127.0.0.1:9000',
        forcePathStyle: true,
        credentialSource: 'profile',
        profile: 'qa',
        downloadsDir: '/home/qa/Downloads',
        apiPort: 8123,
        syncIntervalMinutes: 0,
        reviewerName: 'qa',
        transcriptsPrefix: '',
        teamPrefix: '',
      },
    });
  });

  it('sends the transcripts and team prefixes as typed (empty: none), and refuses a leading slash', () => {
    const typed = form({ transcriptsPrefix: ' transcripts/ ', teamPrefix: 'acme/tapedeck/' });
    const result = checkSettings(typed, noSecrets, view());
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.update).toMatchObject({ transcriptsPrefix: 'transcripts/', teamPrefix: 'acme/tapedeck/' });
    expect(formOf(view({ transcriptsPrefix: 'transcripts/' }))).toMatchObject({
      transcriptsPrefix: 'transcripts/',
      teamPrefix: '',
    });

    expect(checkSettings(form({ transcriptsPrefix: '/transcripts/' }), noSecrets, view())).toEqual({
      ok: false,
      problem: {
        field: 'transcriptsPrefix',
        message:
          'Transcripts prefix: must not start with a slash (S3 keys do not): write transcripts/, not /transcripts/',
      },
    });
    expect(checkSettings(form({ teamPrefix: '/tapedeck' }), noSecrets, view())).toMatchObject({
      ok: false,
      problem: {
        field: 'teamPrefix',
        message: expect.stringMatching(/^Team prefix: must not start with a slash/),
      },
    });
  });

  it('leaves a prefix out when the environment pins it', () => {
    const pinned = view({
      transcriptsPrefix: 'transcripts/',
      lockedByEnvironment: ['transcriptsPrefix'],
      pinnedByEnvironment: [{ setting: 'transcriptsPrefix', variable: 'TAPEDECK_TRANSCRIPTS_PREFIX' }],
    });
    expect(pinnedReason(pinned, 'transcriptsPrefix')).toBe(
      'Set by TAPEDECK_TRANSCRIPTS_PREFIX in the environment, which wins over Settings',
    );
    const result = checkSettings(form({ transcriptsPrefix: '/x' }, pinned), noSecrets, pinned);
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.update).not.toHaveProperty('transcriptsPrefix');
  });

  it('leaves out what the environment pins, even when it would not pass', () => {
    const pinned = view({
      lockedByEnvironment: ['bucket', 'syncIntervalMinutes'],
      pinnedByEnvironment: [
        { setting: 'bucket', variable: 'S3_BUCKET' },
        { setting: 'syncIntervalMinutes', variable: 'TAPEDECK_SYNC_INTERVAL_MINUTES' },
      ],
    });
    const result = checkSettings(
      form({ bucket: 'x'.repeat(64), syncIntervalMinutes: 'soon' }, pinned),
      noSecrets,
      pinned,
    );
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.update).not.toHaveProperty('bucket');
    expect(result.update).not.toHaveProperty('syncIntervalMinutes');
  });

  it('refuses a background sync that is not a whole number of minutes within the limit', () => {
    for (const wrong of ['1.5', String(SYNC_INTERVAL_MAX_MINUTES + 1), '-1', 'soon', '']) {
      expect(checkSettings(form({ syncIntervalMinutes: wrong }), noSecrets, view())).toEqual({
        ok: false,
        problem: {
          field: 'syncIntervalMinutes',
          message: `Background sync must be a whole number of minutes from 0 (off) to ${SYNC_INTERVAL_MAX_MINUTES}.`,
        },
      });
    }
    expect(
      checkSettings(form({ syncIntervalMinutes: String(SYNC_INTERVAL_MAX_MINUTES) }), noSecrets, view()).ok,
    ).toBe(true);
  });

  it('refuses an API port outside 0–65535', () => {
    for (const wrong of ['65536', '80.5', 'http', '']) {
      const result = checkSettings(form({ apiPort: wrong }), noSecrets, view());
      expect(result).toEqual({
        ok: false,
        problem: { field: 'apiPort', message: 'The API port must be a whole number from 0 to 65535.' },
      });
    }
  });

  it('says which text is too long, by its label and the schema’s limit', () => {
    expect(checkSettings(form({ bucket: 'b'.repeat(64) }), noSecrets, view())).toEqual({
      ok: false,
      problem: { field: 'bucket', message: 'Bucket is too long: at most 63 characters.' },
    });
    expect(checkSettings(form({ reviewerName: 'r'.repeat(101) }), noSecrets, view())).toEqual({
      ok: false,
      problem: { field: 'reviewerName', message: 'Reviewer name is too long: at most 100 characters.' },
    });
  });

  it('wants a profile name when the profile is the source', () => {
    const result = checkSettings(form({ credentialSource: 'profile', profile: ' ' }), noSecrets, view());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.field).toBe('profile');
      expect(result.problem.message).toMatch(/AWS profile’s name/);
    }
  });

  it('sends typed keys once, both or neither', () => {
    const keys = form({ credentialSource: 'stored-keys' });
    const typed = { accessKeyId: ' AKIAEXAMPLE ', secretAccessKey: 'secret', sessionToken: '' };
    const result = checkSettings(keys, typed, view());
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.update).toMatchObject({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' });
    expect(result.update).not.toHaveProperty('sessionToken');

    expect(checkSettings(keys, { ...noSecrets, accessKeyId: 'AKIAEXAMPLE' }, view())).toEqual({
      ok: false,
      problem: {
        field: 'secretAccessKey',
        message: 'Enter both the access key id and the secret access key.',
      },
    });
    // Keys already stored need not be typed again.
    expect(checkSettings(keys, noSecrets, view({ hasStoredKeys: true })).ok).toBe(true);
    expect(checkSettings(keys, noSecrets, view()).ok).toBe(false);
  });

  it('without a keychain, says why keys cannot be stored and what to use instead', () => {
    const noKeychain = view({ storedKeys: { available: false, reason: NO_KEYCHAIN } });
    expect(checkSettings(form({ credentialSource: 'stored-keys' }), noSecrets, noKeychain)).toEqual({
      ok: false,
      problem: { field: 'accessKeyId', message: NO_KEYCHAIN },
    });
  });

  it('leaves credentials alone when the environment decides them', () => {
    const pinned = view({
      credentialSource: 'stored-keys',
      lockedByEnvironment: ['credentialSource'],
      pinnedByEnvironment: [{ setting: 'credentialSource', variable: 'AWS_ACCESS_KEY_ID' }],
    });
    const result = checkSettings(form({}, pinned), noSecrets, pinned);
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.update).not.toHaveProperty('credentialSource');
  });
});
