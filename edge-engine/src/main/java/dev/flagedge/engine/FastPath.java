package dev.flagedge.engine;

/**
 * What a fast document path gives: its result, or why it leaves the document to the next, more
 * general path ({@link DocumentReader} tries them in order). A fast path falls back only for the
 * shapes named here. Any other exception it throws is a bug, and propagates rather than making
 * loading silently slower.
 *
 * @param result what the path compiled; null when it fell back
 * @param fallback why it fell back; null when it did not
 */
record FastPath<T>(T result, FastPath.Fallback fallback) {

  /** Why a fast path leaves a document to the next path. */
  enum Fallback {
    /** Not JSON: the tree reader reports the syntax error. */
    MALFORMED_JSON,
    /**
     * Not an environment document (a member of the wrong type, say): the reference mapping reports
     * the error with its JSON path, which the fast paths do not track.
     */
    INVALID_DOCUMENT,
    /**
     * Tokens the one-pass reader does not handle: a repeated member, an id beyond the long range, a
     * float where the usual document has an integer, a null where it has an array.
     */
    UNUSUAL_TOKENS,
    /** A repeated feature name or segment id: in the mapped context the later one replaces it. */
    REPEATED_KEY,
    /** A condition queries the context tree (a general JSONPath), built from the mapped context. */
    CONTEXT_TREE_QUERY
  }

  static <T> FastPath<T> took(T result) {
    return new FastPath<>(result, null);
  }

  static <T> FastPath<T> fellBack(Fallback reason) {
    return new FastPath<>(null, reason);
  }

  boolean fellBack() {
    return fallback != null;
  }
}
