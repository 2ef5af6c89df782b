package dev.flagedge.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-request state of one evaluation: who is asking and with which traits. The JSON view of
 * the whole context is built only when a JSONPath condition needs it.
 */
final class Evaluation {
  private static final Object[] NO_TRAITS = new Object[0];

  private final ContextTree tree;
  private final String identifier;
  private final String identityKey;

  /** Trait values by {@link TraitSlots} index, and the same as operators see them. */
  private final Object[] traits;

  private final Object[] coerced;

  /** Every trait, for the JSON tree only: null when no condition queries the tree. */
  private final Map<String, Object> traitMap;

  private final Map<String, Object> identityTree;
  private Map<String, Object> root;

  private Evaluation(
      ContextTree tree,
      String identifier,
      String identityKey,
      Object[] traits,
      Map<String, Object> traitMap,
      Map<String, Object> identityTree) {
    this.tree = tree;
    this.identifier = identifier;
    this.identityKey = identityKey;
    this.traits = traits;
    this.coerced = coerce(traits);
    this.traitMap = traitMap;
    this.identityTree = identityTree;
  }

  static Evaluation withoutIdentity(ContextTree tree, TraitSlots slots) {
    Object[] none = slots.size() == 0 ? NO_TRAITS : new Object[slots.size()];
    return new Evaluation(tree, null, null, none, Map.of(), null);
  }

  /**
   * An identity from the SDK endpoints: identifier, derived key and request traits only.
   *
   * @param traits the trait values by slot
   * @param traitMap every trait in engine form, or null if no condition queries the JSON tree
   */
  static Evaluation forIdentity(
      ContextTree tree,
      String identifier,
      String identityKey,
      Object[] traits,
      Map<String, Object> traitMap) {
    return new Evaluation(tree, identifier, identityKey, traits, traitMap, null);
  }

  /** An identity read from an evaluation context, whose JSON form may carry further members. */
  static Evaluation forContextIdentity(
      ContextTree tree,
      TraitSlots slots,
      String identifier,
      String identityKey,
      Map<String, Object> traits,
      Map<String, Object> identityTree) {
    return new Evaluation(
        tree, identifier, identityKey, slots.engineValues(traits), traits, identityTree);
  }

  private static Object[] coerce(Object[] traits) {
    if (traits.length == 0) {
      return traits;
    }
    Object[] coerced = new Object[traits.length];
    for (int i = 0; i < traits.length; i++) {
      coerced[i] = Values.coerce(traits[i]);
    }
    return coerced;
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

  /** The raw value of the trait in a slot, or null when the trait is absent or null. */
  Object trait(int slot) {
    return traits[slot];
  }

  /** The same as operators see it: numeric strings are numbers. */
  Object traitValue(int slot) {
    return coerced[slot];
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
    identity.put("traits", traitMap);
    return identity;
  }
}
