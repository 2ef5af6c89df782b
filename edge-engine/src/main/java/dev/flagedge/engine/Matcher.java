package dev.flagedge.engine;

/** Something that holds or not for one evaluation: a condition or a rule. */
interface Matcher {
  boolean matches(Evaluation evaluation);
}
