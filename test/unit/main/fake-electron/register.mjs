/* global process, URL -- Node globals (plain JS: it runs before any TypeScript loader) */
/** `node --import register.mjs --import scenario.mjs main.js`: see hooks.mjs. */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./hooks.mjs', import.meta.url, {
  data: {
    fakeUrl: new URL('./electron.mjs', import.meta.url).href,
    bundleUrl: pathToFileURL(process.env.FAKE_ELECTRON_BUNDLE).href,
    projectUrl: pathToFileURL(`${process.env.FAKE_ELECTRON_APP_ROOT}/package.json`).href,
  },
});
