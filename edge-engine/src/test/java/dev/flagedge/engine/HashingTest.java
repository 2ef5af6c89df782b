package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Vectors verified against the reference engine. */
class HashingTest {

  @Test
  void percentage_knownVectors_matchReference() {
    assertEquals(2.7205441088217643, Hashing.percentage("1", "test_env_foobar"));
    assertEquals(51.990398079615915, Hashing.percentage("12345", "test_env_foobar"));
    assertEquals(32.17643528705741, Hashing.percentage("segment_key", "True"));
    assertEquals(14.652930586117224, Hashing.percentage("1", "1.0"));
  }

  @Test
  void percentage_hashOfExactlyHundred_rehashesWithRepeatedIds() {
    assertEquals(31.546309261852368, Hashing.percentage("1", "env_user6533"));
    assertEquals(87.74754950990197, Hashing.percentage("1", "env_user13740"));
    assertEquals(55.47109421884377, Hashing.percentage("1", "env_user22363"));
  }
}
