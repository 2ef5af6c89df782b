package dev.flagedge.sync;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Takes an environment document from the application: the source behind {@link
 * FlagEdgeClient.Builder#documentSupplier(Supplier)}. Never polled: read when the sync starts and
 * on every refresh. An unchanged document is recognised by its content hash, not here.
 */
final class SuppliedSource implements DocumentSource {
  private final Supplier<byte[]> supplier;

  SuppliedSource(Supplier<byte[]> supplier) {
    this.supplier = supplier;
  }

  @Override
  public Fetch fetch(Conditions conditions) throws FetchException {
    byte[] json = supplier.get();
    if (json == null) {
      throw new FetchException(SyncFailure.Kind.INVALID_DOCUMENT, "document supplier gave null");
    }
    if (json.length > DocumentFetcher.MAX_DOCUMENT_BYTES) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "supplied document larger than " + DocumentFetcher.MAX_DOCUMENT_BYTES + " bytes");
    }
    return new Fetched(json.clone(), Optional.empty()); // the supplier may reuse its array
  }

  @Override
  public LoadedEnvironment.Source kind() {
    return LoadedEnvironment.Source.SUPPLIED;
  }

  @Override
  public void cancel() {
    // Nothing runs in the background.
  }
}
