package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass reader must read every body it accepts exactly as the full validation does, and give
 * every other body to the full validation.
 */
class IdentityRequestReaderTest {
  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"identifier\":\"a\"}",
        "{\"identifier\":\"a\",\"traits\":[]}",
        "{\"traits\":[{\"trait_key\":\"k\",\"trait_value\":\"v\"}],\"identifier\":\"late\"}",
        "{\"identifier\":\"ü\\u00e9\\ud83d\\ude00\",\"transient\":true,\"x\":{\"y\":[1,{}]}}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"s\",\"trait_value\":\"tab\\there \\\"q\\\" \\u0001\\b\\f\"}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"i\",\"trait_value\":-0}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"i\",\"trait_value\":9223372036854775807}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"big\",\"trait_value\":123456789012345678901234567890}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"f\",\"trait_value\":1.5}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"f\",\"trait_value\":1e22}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"f\",\"trait_value\":-0.0}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"f\",\"trait_value\":1E-7}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"b\",\"trait_value\":true},"
            + "{\"trait_key\":\"c\",\"trait_value\":false},{\"trait_key\":\"n\",\"trait_value\":null}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_value\":1,\"transient\":true,\"trait_key\":\"k\"},"
            + "{\"trait_key\":\"k\",\"trait_value\":2}]}",
        " \n{ \"identifier\" : \"spaced\" , \"traits\" : [ ] } \n",
        "{\"identifier\":\"a\",\"traits\":[{\"trait\\u005fkey\":\"k\",\"trait_valu\\u0065\":1}]}",
        "{\"identifierX\":\"b\",\"identifier\":\"a\",\"traits\":[{\"trait_keys\":\"x\",\"trait_key\":\"k\","
            + "\"trait_value_\":2,\"trait_value\":1}]}",
      })
  void read_wellFormedBody_sameAsFullValidation(String json) {
    IdentityRequest fast = IdentityRequestReader.read(utf8(json));
    assertNotNull(fast, "the reader gave up on " + json);
    assertEquals(IdentityRequest.validate(utf8(json)), fast);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{}",
        "{\"identifier\":1}",
        "{\"identifier\":\"a\",\"identifier\":\"b\"}",
        "{\"identifier\":\"a\",\"traits\":null}",
        "{\"identifier\":\"a\",\"traits\":{}}",
        "{\"identifier\":\"a\",\"traits\":[1]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"k\"}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_value\":1}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":1,\"trait_value\":1}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":[1]}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":{}}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":1e400}]}",
        "{\"identifier\":\"a\"} trailing",
        "{\"identifier\":\"a\"",
        "{\"identifier\":\"a\",}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"k\",\"trait_key\":\"j\",\"trait_value\":1}]}",
        "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":1,\"trait_value\":2}]}",
      })
  void read_unusualBody_leftToFullValidation(String json) {
    assertNull(IdentityRequestReader.read(utf8(json)));
  }

  @org.junit.jupiter.api.Test
  void read_traitStringOverTheLimit_leftToFullValidation() {
    String longValue = "x".repeat(Limits.MAX_TRAIT_STRING + 1);
    assertNull(
        IdentityRequestReader.read(
            utf8(
                "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":"
                    + "\"k\",\"trait_value\":\""
                    + longValue
                    + "\"}]}")));
    String emoji = "\\ud83d\\ude00".repeat(Limits.MAX_TRAIT_STRING); // 2,000 code points
    assertNotNull(
        IdentityRequestReader.read(
            utf8(
                "{\"identifier\":\"a\",\"traits\":[{\"trait_key\":"
                    + "\"k\",\"trait_value\":\""
                    + emoji
                    + "\"}]}")));
  }

  @org.junit.jupiter.api.Test
  void read_tooManyTraits_leftToFullValidation() {
    StringBuilder traits = new StringBuilder();
    for (int i = 0; i <= Limits.MAX_TRAITS; i++) {
      traits
          .append(i == 0 ? "" : ",")
          .append("{\"trait_key\":\"k")
          .append(i)
          .append("\",\"trait_value\":")
          .append(i)
          .append('}');
    }
    assertNull(
        IdentityRequestReader.read(utf8("{\"identifier\":\"a\",\"traits\":[" + traits + "]}")));
  }

  @org.junit.jupiter.api.Test
  void read_values_typedForEvaluationAndEchoedAsSent() {
    IdentityRequest request =
        IdentityRequestReader.read(
            utf8(
                "{\"identifier\":\"a\",\"traits\":["
                    + "{\"trait_key\":\"s\",\"trait_value\":\"v\"},{\"trait_key\":\"i\",\"trait_value\":7},"
                    + "{\"trait_key\":\"big\",\"trait_value\":99999999999999999999},"
                    + "{\"trait_key\":\"f\",\"trait_value\":0.1},{\"trait_key\":\"n\",\"trait_value\":null}]}"));
    assertEquals(
        List.of(
            new IdentityRequest.Trait("s", "v", null),
            new IdentityRequest.Trait("i", 7L, "7"),
            new IdentityRequest.Trait(
                "big", new BigInteger("99999999999999999999"), "99999999999999999999"),
            new IdentityRequest.Trait("f", 0.1, "0.1"),
            new IdentityRequest.Trait("n", null, "null")),
        request.traits());
  }
}
