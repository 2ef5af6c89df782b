package dev.flagedge.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PythonFloatTest {
  @Test
  void repr_quickWay_agreesWithExactSearch_onRandomBitPatterns() {
    SplittableRandom random = new SplittableRandom(20261130);
    for (int i = 0; i < 200_000; i++) {
      double x = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(x) && x != 0) {
        assertEquals(PythonFloat.reprByExactSearch(x), PythonFloat.repr(x), () -> "bits of " + x);
      }
    }
  }

  @Test
  void repr_quickWay_agreesWithExactSearch_onShortDecimalsAndPowers() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      double x =
          random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12)) * (i % 2 == 0 ? 1 : -1);
      if (x != 0) {
        assertEquals(PythonFloat.reprByExactSearch(x), PythonFloat.repr(x), () -> "value " + x);
      }
    }
    for (int e = -324; e <= 308; e++) {
      String text = "1e" + e;
      double x = Double.parseDouble(text);
      if (x != 0) {
        assertEquals(PythonFloat.reprByExactSearch(x), PythonFloat.repr(x), text);
      }
    }
  }

  @Test
  void repr_subnormalsAndNormalBoundary_agreeWithExactSearch() {
    double[] edges = {
      Double.MIN_VALUE,
      2 * Double.MIN_VALUE,
      1e-320,
      2.2250738585072e-308,
      Double.MIN_NORMAL,
      Math.nextUp(Double.MIN_NORMAL),
      Math.nextDown(Double.MIN_NORMAL),
      Double.MAX_VALUE
    };
    for (double x : edges) {
      assertEquals(PythonFloat.reprByExactSearch(x), PythonFloat.repr(x), () -> "value " + x);
    }
    assertEquals("5e-324", PythonFloat.repr(Double.MIN_VALUE));
  }

  @Test
  void repr_pythonForms() {
    assertEquals("1e+23", PythonFloat.repr(1e23));
    assertEquals("1e-05", PythonFloat.repr(1e-5));
    assertEquals("0.1", PythonFloat.repr(0.1));
    assertEquals("2e-323", PythonFloat.repr(2e-323)); // Java 17 writes 2.0E-323 here
    assertEquals("123456789012345.67", PythonFloat.repr(123456789012345.67));
  }
}
