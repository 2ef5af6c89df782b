// Drives the official Flagsmith Node SDK against a FlagEdge server and prints what it saw as JSON.
// usage: node sdk-check.cjs <apiUrl> <clientKey> <serverKey>
const { Flagsmith } = require('flagsmith-nodejs');

const traits = { plan: 'beta', orders: 120, ratio: 0.5, admin: true, email: 'alice@example.com' };
const summary = (flags) => flags.allFlags()
  // The SDK leaves a null value undefined for remote flags; JSON has null.
  .map((f) => ({ name: f.featureName, enabled: f.enabled, value: f.value === undefined ? null : f.value }))
  .sort((a, b) => a.name.localeCompare(b.name));

(async () => {
  const [apiUrl, clientKey, serverKey] = process.argv.slice(2);
  const remote = new Flagsmith({ environmentKey: clientKey, apiUrl, enableAnalytics: true });
  const environment = summary(await remote.getEnvironmentFlags());
  const identityFlags = await remote.getIdentityFlags('alice', traits);
  identityFlags.isFeatureEnabled('banner_text');
  const identity = summary(identityFlags);
  await remote.analyticsProcessor.flush();

  const local = new Flagsmith({ environmentKey: serverKey, apiUrl, enableLocalEvaluation: true,
    environmentRefreshIntervalSeconds: 0 });
  await local.updateEnvironment();
  const localEnvironment = summary(await local.getEnvironmentFlags());
  const localIdentity = summary(await local.getIdentityFlags('alice', traits));
  await local.close();
  console.log(JSON.stringify({ environment, identity, localEnvironment, localIdentity }));
})().catch((e) => { console.error(e); process.exit(1); });
