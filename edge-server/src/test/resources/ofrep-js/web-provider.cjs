// Drives OpenFeature's OFREP web provider (@openfeature/ofrep-web-provider with the web SDK) in
// Node against a FlagEdge server. Prints one JSON line per phase:
//   {"phase":"ready", ...}    initial values, a 304 from the entity tag, a changed context;
//                             the caller then changes the served document;
//   {"phase":"changed", ...}  the provider's ConfigurationChanged event and the new value, with
//                             the time (epoch ms) it was read and every request made since ready.
// Polling is off (pollInterval 0): only the event stream named in eventStreams can bring a change.
// usage: node web-provider.cjs <baseUrl> <clientKey> <newBannerText>
const { EventSource } = require('eventsource');

// Node 20 has fetch but no EventSource; the provider looks for the global one.
globalThis.EventSource = EventSource;

// Every request the provider and its EventSource make, as the server answered it.
const requests = [];
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  const entry = {
    startedAt: Date.now(),
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ifNoneMatch: request.headers.get('if-none-match'),
    body: request.method === 'POST' ? await request.clone().text() : undefined,
  };
  requests.push(entry);
  const response = await realFetch(input, init);
  entry.answeredAt = Date.now();
  entry.status = response.status;
  entry.etag = response.headers.get('etag');
  if (request.method === 'POST' && response.status === 200) {
    const body = await response.clone().json();
    entry.eventStreams = body.eventStreams;
  }
  return response;
};

const { OpenFeature, ProviderEvents } = require('@openfeature/web-sdk');
const { OFREPWebProvider } = require('@openfeature/ofrep-web-provider');

const plain = (details) => ({
  value: details.value,
  reason: details.reason,
  variant: details.variant,
  errorCode: details.errorCode,
  errorMessage: details.errorMessage,
  flagMetadata: details.flagMetadata,
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition, ms, what) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(requests)}`);
    }
    await sleep(10);
  }
}

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

(async () => {
  const [baseUrl, clientKey, newBanner] = process.argv.slice(2);
  const context = { targetingKey: 'web-user', plan: 'free' };
  await OpenFeature.setContext(context);
  // No localStorage in Node: the provider's persisted cache stays off, every value is fetched.
  const provider = new OFREPWebProvider({
    baseUrl,
    headers: [['X-API-Key', clientKey]],
    pollInterval: 0,
    cacheMode: 'disabled',
  });
  await OpenFeature.setProviderAndWait(provider);
  const client = OpenFeature.getClient();
  const initial = {
    booleanOn: plain(client.getBooleanDetails('dark_mode', false)),
    booleanOff: plain(client.getBooleanDetails('checkout_v2', true)),
    string: plain(client.getStringDetails('banner_text', 'default')),
    integer: plain(client.getNumberDetails('max_cart_items', 0)),
    float: plain(client.getNumberDetails('ratio', 0)),
    object: plain(client.getObjectDetails('ui_config', { fallback: true })),
    split: plain(client.getStringDetails('button_colour', 'none')),
    disabledWithValue: plain(client.getStringDetails('legacy_banner', 'caller default')),
    serverKeyOnly: plain(client.getNumberDetails('internal_rate_limit', 0)),
    notFound: plain(client.getBooleanDetails('no_such_flag', true)),
  };

  // The stream's first event (sent on connect) makes the provider ask again with If-None-Match.
  await until(() => requests.some((r) => r.status === 304), 5000, 'a 304 after the first event');
  const notModifiedAfterConnect = requests.filter((r) => r.status === 304).length;
  // The same context again: the provider keeps its entity tag, the server answers 304.
  await OpenFeature.setContext({ ...context });
  const sameContext = requests[requests.length - 1];
  // A changed trait: a new body, so a new entity tag and a new evaluation.
  await OpenFeature.setContext({ ...context, orders: 150 });
  const changedContext = requests[requests.length - 1];
  const afterTraitChange = plain(client.getNumberDetails('max_cart_items', 0));
  const beforeChange = requests.length;

  let changed;
  const events = [];
  client.addHandler(ProviderEvents.ConfigurationChanged, (event) => {
    const details = client.getStringDetails('banner_text', 'default');
    events.push({ flagsChanged: event.flagsChanged, message: event.message, banner: details.value });
    if (!changed && details.value === newBanner) {
      changed = { at: Date.now(), details: plain(details) };
    }
  });
  client.addHandler(ProviderEvents.Stale, (event) => events.push({ stale: event.message }));
  client.addHandler(ProviderEvents.Error, (event) => events.push({ error: event.message }));
  print({
    phase: 'ready',
    initial,
    notModifiedAfterConnect,
    sameContext,
    changedContext,
    afterTraitChange,
    requests,
  });

  await until(() => changed !== undefined, 15000, `banner_text to become ${newBanner}`);
  // Anything the change set off has finished by now; nothing else is to come.
  await sleep(300);
  print({ phase: 'changed', ...changed, events, requests: requests.slice(beforeChange) });
  await OpenFeature.close();
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
