package dev.flagedge.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-request state of one evaluation: who is asking and with which traits. The JSON view of
 * the whole context is built only when a JSONPath condition needs it.
 */
final class Evaluation {
  private final ContextTree tree;
  private final String identifier;
  private final String identityKey;
  private final Map<String, Object> traits;
  private final Map<String, Object> identityTree;
  private Map<String, Object> root;

  private Evaluation(
      ContextTree tree,
      String identifier,
      String identityKey,
      Map<String, Object> traits,
      Map<String, Object> identityTree) {
    this.tree = tree;
    this.identifier = identifier;
    this.identityKey = identityKey;
    this.traits = traits;
    this.identityTree = identityTree;
  }

  static Evaluation withoutIdentity(ContextTree tree) {
    return new Evaluation(tree, null, null, Map.of(), null);
  }

  /** An identity from the SDK endpoints: identifier, derived key and request traits only. */
  static Evaluation forIdentity(
      ContextTree tree, String identifier, String identityKey, Map<String, Object> traits) {
    return new Evaluation(tree, identifier, identityKey, traits, null);
  }

  /** An identity read from an evaluation context, whose JSON form may carry further members. */
  static Evaluation forContextIdentity(
      ContextTree tree,
      String identifier,
      String identityKey,
      Map<String, Object> traits,
      Map<String, Object> identityTree) {
    return new Evaluation(tree, identifier, identityKey, traits, identityTree);
  }

  boolean hasIdentity() {
    return identityKey != null;
  }

  /** The identifier, or null without an identity. */
  String identifier() {
    return identifier;
  }

  /** The identity key that multivariate and implicit percentage splits hash on, or null. */
  String identityKey() {
    return identityKey;
  }

  /** The raw trait value, or null when the trait is absent or null. */
  Object trait(String name) {
    return traits.get(name);
  }

  /** The enriched evaluation context as a JSON tree, for JSONPath queries. */
  Object jsonRoot() {
    if (root == null) {
      root = tree.root(identityTree != null ? identityTree : identityAsTree());
    }
    return root;
  }

  private Map<String, Object> identityAsTree() {
    if (identityKey == null) {
      return null;
    }
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("identifier", identifier);
    identity.put("key", identityKey);
    identity.put("traits", traits);
    return identity;
  }
}
