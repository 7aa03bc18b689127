/**
 * Module hooks for running the main bundle under plain Node: 'electron' is the fake next to this
 * file, and the bundle's packages resolve from the project (the bundle is built in a temp folder).
 */
let fakeUrl = '';
let bundleUrl = '';
let projectUrl = '';

export async function initialize(data) {
  ({ fakeUrl, bundleUrl, projectUrl } = data);
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: fakeUrl, shortCircuit: true };
  const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':');
  if (bare && context.parentURL === bundleUrl)
    return nextResolve(specifier, { ...context, parentURL: projectUrl });
  return nextResolve(specifier, context);
}
