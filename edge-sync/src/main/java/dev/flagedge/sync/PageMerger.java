package dev.flagedge.sync;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.sync.internal.Json;
import java.util.List;

/**
 * Merges the pages of a paginated environment document: the first page carries the environment,
 * every page may carry more {@code identity_overrides}, which are appended to the first page's in
 * order. Numbers keep their exact text (big decimals), so merging never rounds a value.
 */
final class PageMerger {
  private static final String OVERRIDES = "identity_overrides";

  private PageMerger() {}

  /**
   * Merges two or more pages.
   *
   * @throws FetchException if a page is not a JSON object or its {@code identity_overrides} is not
   *     an array
   */
  static byte[] merge(List<byte[]> pages) throws FetchException {
    ObjectNode first = object(pages.get(0), 1);
    JsonNode existing = first.get(OVERRIDES);
    ArrayNode overrides;
    if (existing == null || existing.isNull()) {
      overrides = first.putArray(OVERRIDES);
    } else if (existing.isArray()) {
      overrides = (ArrayNode) existing;
    } else {
      throw notAnArray(1);
    }
    for (int i = 1; i < pages.size(); i++) {
      JsonNode more = object(pages.get(i), i + 1).get(OVERRIDES);
      if (more == null || more.isNull()) {
        continue;
      }
      if (!more.isArray()) {
        throw notAnArray(i + 1);
      }
      overrides.addAll((ArrayNode) more);
    }
    try {
      return Json.MAPPER.writeValueAsBytes(first);
    } catch (JacksonException e) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "cannot merge document pages: " + e.getOriginalMessage(),
          e);
    }
  }

  private static ObjectNode object(byte[] page, int number) throws FetchException {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(page);
    } catch (JacksonException e) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "invalid document: page " + number + " is not valid JSON: " + e.getOriginalMessage(),
          e);
    } catch (java.io.IOException e) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "invalid document: page " + number + " unreadable: " + e,
          e);
    }
    if (node == null || !node.isObject()) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "invalid document: page " + number + " is not a JSON object");
    }
    return (ObjectNode) node;
  }

  private static FetchException notAnArray(int page) {
    return new FetchException(
        SyncFailure.Kind.INVALID_DOCUMENT,
        "invalid document: " + OVERRIDES + " on page " + page + " is not an array");
  }
}
