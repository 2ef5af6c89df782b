// Drives OpenFeature's OFREP server provider (@openfeature/ofrep-provider with the server SDK)
// against a FlagEdge server and prints every evaluation's details as one JSON object.
// usage: node server-provider.cjs <baseUrl> <serverKey> <splitIdentifiers, comma-separated>
const { OpenFeature } = require('@openfeature/server-sdk');
const { OFREPProvider } = require('@openfeature/ofrep-provider');

// The details the SDK hands the caller, without the parts that are not about the flag.
const plain = (details) => ({
  value: details.value,
  reason: details.reason,
  variant: details.variant,
  errorCode: details.errorCode,
  errorMessage: details.errorMessage,
  flagMetadata: details.flagMetadata,
});

(async () => {
  const [baseUrl, serverKey, splitIds] = process.argv.slice(2);
  await OpenFeature.setProviderAndWait(
    new OFREPProvider({ baseUrl, headers: [['X-API-Key', serverKey]] }));
  await OpenFeature.setProviderAndWait(
    'wrong-key', new OFREPProvider({ baseUrl, headers: [['X-API-Key', 'wrong_key']] }));
  const client = OpenFeature.getClient();
  // What the provider threw, which the SDK's details reduce to a code and a message.
  const thrown = [];
  const wrongKeyClient = OpenFeature.getClient('wrong-key');
  wrongKeyClient.addHooks({
    error: (hookContext, error) => {
      thrown.push({ name: error.name, message: error.message, status: error.response?.status });
    },
  });
  const none = {};
  const vip = { targetingKey: 'vip-user' };
  const bulkBuyer = { targetingKey: 'bulk-buyer', orders: 150, plan: 'free' };
  const betaTester = { targetingKey: 'beta-tester', plan: 'beta', admin: true, ratio: 0.5 };
  const seen = {
    booleanOn: plain(await client.getBooleanDetails('dark_mode', false, none)),
    booleanOff: plain(await client.getBooleanDetails('checkout_v2', true, none)),
    booleanSegment: plain(await client.getBooleanDetails('checkout_v2', false, betaTester)),
    string: plain(await client.getStringDetails('banner_text', 'default', none)),
    stringIdentityOverride: plain(await client.getStringDetails('banner_text', 'default', vip)),
    integer: plain(await client.getNumberDetails('max_cart_items', 0, none)),
    integerSegment: plain(await client.getNumberDetails('max_cart_items', 0, bulkBuyer)),
    float: plain(await client.getNumberDetails('ratio', 0, { targetingKey: 'someone' })),
    object: plain(await client.getObjectDetails('ui_config', { fallback: true }, none)),
    serverKeyOnly: plain(await client.getNumberDetails('internal_rate_limit', 0, none)),
    disabledWithValue: plain(await client.getStringDetails('legacy_banner', 'caller default', none)),
    notFound: plain(await client.getBooleanDetails('no_such_flag', true, none)),
    typeMismatch: plain(await client.getNumberDetails('banner_text', 7, none)),
    wrongKey: plain(await wrongKeyClient.getBooleanDetails('dark_mode', false, none)),
    wrongKeyThrown: thrown,
    splits: {},
  };
  for (const id of splitIds.split(',')) {
    seen.splits[id] = plain(await client.getStringDetails('button_colour', 'none', { targetingKey: id }));
  }
  await OpenFeature.close();
  console.log(JSON.stringify(seen));
})().catch((e) => { console.error(e); process.exit(1); });
