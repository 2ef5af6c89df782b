package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {

  private static final Map<String, Object> CONTEXT =
      obj(
          "environment", obj("key", "k", "name", "Env"),
          "identity",
              obj(
                  "identifier",
                  "u1",
                  "key",
                  "k_u1",
                  "traits",
                  obj(
                      "plan", "pro",
                      "my trait", 1,
                      "サイズ", "L",
                      "my-trait", "dash",
                      "nothing", null,
                      "\uD834\uDD1E", "clef",
                      "k'q", "single",
                      "k\"q", "double")),
          "segments", obj("s1", obj("name", "x")),
          "features",
              obj(
                  "f", obj("enabled", false, "value", "off", "priority", 2),
                  "g", obj("enabled", true, "value", "on", "priority", 1)));

  private static final Map<String, Object> DATA =
      obj(
          "n", arr(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
          "w",
              arr(
                  obj("b", 1, "c", "x"),
                  obj("b", "2", "c", "pro"),
                  obj("b", 2.0, "c", "z"),
                  obj("b", true),
                  obj("b", arr(1, 2)),
                  obj("b", null, "c", "x\n")),
          "s", arr("b", "\uFFFF", "\uD834\uDD1E", "a"),
          "m",
              arr(
                  Long.MAX_VALUE,
                  new BigInteger("123456789012345678901234567890"),
                  new BigDecimal("1.5")));

  // ---------------------------------------------------------------- validity

  @Test
  void parse_dashInDotName_invalid() {
    assertInvalid("$.identity.traits.my-trait");
  }

  @Test
  void parse_blankAfterDot_invalid() {
    assertInvalid("$.  foo");
    assertInvalid("$. foo");
    assertInvalid("$.identity. traits");
    assertInvalid("$.. foo");
  }

  @Test
  void parse_dotFollowedByNothing_invalid() {
    assertInvalid("$.identity.");
    assertInvalid("$.");
  }

  @Test
  void parse_unclosedBracket_invalid() {
    assertInvalid("$.a[");
    assertInvalid("$.a[0");
    assertInvalid("$['a'");
  }

  @Test
  void parse_emptyBrackets_invalid() {
    assertInvalid("$[]");
    assertInvalid("$.a[ ]");
  }

  @Test
  void parse_bareDescendant_invalid() {
    assertInvalid("$..");
    assertInvalid("$...a");
    assertInvalid("$.a..");
  }

  @Test
  void parse_blankAroundWholeQuery_invalid() {
    assertInvalid(" $.a");
    assertInvalid("$.a ");
    assertInvalid("$.a\n");
    assertInvalid("\t$");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "a", "@", "@.a", "$$", "a.$", "$.a]", "$.a b", "$['a']x", "$.a.$", "$[0]]", "$a"
      })
  void parse_rootMissingOrTrailingGarbage_invalid(String query) {
    assertInvalid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$ .a",
        "$\t[0]",
        "$.a\n.b",
        "$\r\n..a",
        "$[ 'a' , \"b\" ]",
        "$[\t*\t]",
        "$.a [0] ..b"
      })
  void parse_blankBeforeSegmentsAndInsideBrackets_valid(String query) {
    assertValid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$.1a",
        "$.a b",
        "$.$",
        "$.@",
        "$.'a'",
        "$.a-",
        "$.-a",
        "$.\uD800",
        "$.\uDC00a",
        "$.a\u0000"
      })
  void parse_badDotName_invalid(String query) {
    assertInvalid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$.サイズ",
        "$.é",
        "$.\uD834\uDD1E",
        "$._x1",
        "$.A_9",
        "$.\u0080",
        "$.\uE000",
        "$..サイズ"
      })
  void parse_nonAsciiAndUnderscoreDotNames_valid(String query) {
    assertValid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$[01]", "$[-0]", "$[00]", "$[-01]", "$[-]", "$[+1]", "$[1.0]", "$[1e2]", "$[0x1]"
      })
  void parse_malformedIndex_invalid(String query) {
    assertInvalid(query);
  }

  @Test
  void parse_indexRange_limitedToIJson() {
    assertValid("$[9007199254740991]");
    assertValid("$[-9007199254740991]");
    assertInvalid("$[9007199254740992]");
    assertInvalid("$[-9007199254740992]");
    assertInvalid("$[99999999999999999999]");
    assertInvalid("$[1:9007199254740992]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$[:]",
        "$[::]",
        "$[1:]",
        "$[:2]",
        "$[::-1]",
        "$[1 : 2 : 3]",
        "$[-1:]",
        "$[1:2:]",
        "$[0:0:0]"
      })
  void parse_sliceForms_valid(String query) {
    assertValid(query);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$[1:2:3:4]", "$[1:-0]", "$[::01]", "$[1 2]", "$[:::]", "$[1::2::]"})
  void parse_malformedSlice_invalid(String query) {
    assertInvalid(query);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$[1,]", "$[,1]", "$[1,,2]", "$['a' 'b']", "$[*,]"})
  void parse_badSelectorList_invalid(String query) {
    assertInvalid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$['\\a']",
        "$['\\\"']",
        "$[\"\\'\"]",
        "$['\\u12']",
        "$['\\uZZZZ']",
        "$['\\uDC00']",
        "$['\\uD800']",
        "$['\\uD800\\u0041']",
        "$['\\uD800x']",
        "$['a\\']",
        "$['\\U0041']",
        "$['\\x41']",
        "$['\\u00e']"
      })
  void parse_invalidEscapes_invalid(String query) {
    assertInvalid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$['a\tb']",
        "$['a\nb']",
        "$[\"\u0000\"]",
        "$['\u001f']",
        "$['a",
        "$[\"a']",
        "$['\uD800']"
      })
  void parse_rawControlCharOrUnterminatedString_invalid(String query) {
    assertInvalid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$['\\b\\f\\n\\r\\t\\/\\\\']",
        "$['\\'']",
        "$[\"\\\"\"]",
        "$['\"']",
        "$[\"'\"]",
        "$['\\u00E9\\u00e9']",
        "$['\\uD834\\uDD1E']",
        "$['\\u0000']",
        "$['']"
      })
  void parse_validEscapesAndQuotes_valid(String query) {
    assertValid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$[?@]",
        "$[?@.a]",
        "$[?$.a]",
        "$[?!@.a]",
        "$[? @.a == 1 ]",
        "$[?@.a==1&&@.b!=2||@.c<3]",
        "$[?(@.a)]",
        "$[?!(@.a == 1)]",
        "$[?( @.a > 1 )]",
        "$[?@.a >= -0.5e-3]",
        "$[?@.a <= 1E+2]",
        "$[?@.a == -0]",
        "$[?@.a == 'x']",
        "$[?@.a == \"x\"]",
        "$[?@.a == true]",
        "$[?@.a == false]",
        "$[?@.a == null]",
        "$[?@['a'][0] == 1]",
        "$[?@ .a == 1]",
        "$[?length(@) == 1]",
        "$[?length('ab') == 2]",
        "$[?count(@.*) == 1]",
        "$[?count(@..a) > 0]",
        "$[?match(@.a, 'a.*')]",
        "$[?search(@.a, 'b')]",
        "$[?!match(@, 'x')]",
        "$[?value(@..a) == 1]",
        "$[?length(value(@.*)) == 1]",
        "$[?match(@.a, @.b)]",
        "$[?@.a, ?@.b]",
        "$[?@[?@.b]]",
        "$..[?@.a]",
        "$[?1 == 1]",
        "$[?@.a == $.b]",
        "$[? count( @.* ) == 1 ]"
      })
  void parse_filterForms_valid(String query) {
    assertValid(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$[?]",
        "$[?1]",
        "$[?true]",
        "$[?null]",
        "$[?'a']",
        "$[?length(@)]",
        "$[?count(@.*)]",
        "$[?value(@.a)]",
        "$[?@.* == 1]",
        "$[?@..a == 1]",
        "$[?@[0:1] == 1]",
        "$[?match(@, 'a') == true]",
        "$[?length(@.*) < 1]",
        "$[?count(1) == 1]",
        "$[?count(@.a, @.b) == 1]",
        "$[?count() == 0]",
        "$[?foo(@)]",
        "$[?Length(@) == 1]",
        "$[?length (@) == 1]",
        "$[?@ = 1]",
        "$[?@ === 1]",
        "$[?(@.a]",
        "$[?@.a)]",
        "$[?!@.a == 1]",
        "$[?(@.a) == 1]",
        "$[?!!@.a]",
        "$[?@ == 01]",
        "$[?@ == 1.]",
        "$[?@ == .5]",
        "$[?@ == 1e]",
        "$[?@ == -]",
        "$[?@ == +1]",
        "$[?@.a && 1]",
        "$[?@ == True]",
        "$[?@ & @]",
        "$[?@ | @]",
        "$[?@.a <> 1]",
        "$[?match(@)]",
        "$[?length(@ == 1) == 1]",
        "$[?length(@.a || @.b) == 1]",
        "$[?length((@.a)) == 1]",
        "$[?search(@, 'a',)]",
        "$[?@ == [1]]",
        "$[?@ == {}]",
        "$[?@.a == 1 @.b]"
      })
  void parse_badFilter_invalid(String query) {
    assertInvalid(query);
  }

  @Test
  void parse_deeplyNestedFilter_invalidWithoutStackOverflow() {
    String query = "$[?" + "(".repeat(10_000) + "@" + ")".repeat(10_000) + "]";
    assertInvalid(query);
  }

  // ---------------------------------------------------------------- member, index and slice
  // selection

  @Test
  void selectFirst_dotMembers_selectsValue() {
    assertEquals("u1", select("$.identity.identifier", CONTEXT));
    assertEquals("k", select("$.environment.key", CONTEXT));
  }

  @Test
  void selectFirst_unicodeDotMember_selectsTrait() {
    assertEquals("L", select("$.identity.traits.サイズ", CONTEXT));
    assertEquals("clef", select("$.identity.traits.\uD834\uDD1E", CONTEXT));
  }

  @Test
  void selectFirst_quotedMemberWithSpace_selectsTrait() {
    assertEquals(1, select("$.identity.traits['my trait']", CONTEXT));
    assertEquals("dash", select("$.identity.traits[\"my-trait\"]", CONTEXT));
  }

  @Test
  void selectFirst_doubleQuotedBracketChain_selectsKey() {
    assertEquals("k_u1", select("$[\"identity\"][\"key\"]", CONTEXT));
  }

  @Test
  void selectFirst_escapedNames_selectsTrait() {
    assertEquals("L", select("$.identity.traits['\\u30b5\\u30A4\\u30ba']", CONTEXT));
    assertEquals("clef", select("$.identity.traits[\"\\uD834\\uDD1E\"]", CONTEXT));
    assertEquals("single", select("$.identity.traits['k\\'q']", CONTEXT));
    assertEquals("double", select("$.identity.traits[\"k\\\"q\"]", CONTEXT));
    assertEquals("double", select("$.identity.traits['k\"q']", CONTEXT));
  }

  @Test
  void selectFirst_wildcardOnObject_returnsFirstMember() {
    assertEquals("pro", select("$.identity.traits.*", CONTEXT));
    assertEquals("pro", select("$.identity.traits[*]", CONTEXT));
  }

  @Test
  void selectFirst_missingMember_returnsNothing() {
    assertSame(JsonPath.NOTHING, select("$.identity.traits.missing", CONTEXT));
    assertSame(JsonPath.NOTHING, select("$.nope.deeper", CONTEXT));
  }

  @Test
  void selectFirst_jsonNullMember_returnsNullNotNothing() {
    assertNull(select("$.identity.traits.nothing", CONTEXT));
    assertNotSame(JsonPath.NOTHING, select("$.identity.traits.nothing", CONTEXT));
  }

  @Test
  void selectFirst_root_returnsRoot() {
    assertSame(CONTEXT, select("$", CONTEXT));
  }

  @Test
  void selectFirst_selectorOrder_beatsMemberOrder() {
    assertEquals("L", select("$.identity.traits['サイズ','plan']", CONTEXT));
    assertEquals("pro", select("$.identity.traits['missing','plan']", CONTEXT));
    assertEquals(9, select("$.n[-1, 0]", DATA));
  }

  @Test
  void selectFirst_wrongTypeForSelector_returnsNothing() {
    assertSame(JsonPath.NOTHING, select("$.n.a", DATA));
    assertSame(JsonPath.NOTHING, select("$.identity[0]", CONTEXT));
    assertSame(JsonPath.NOTHING, select("$.identity[0:1]", CONTEXT));
    assertSame(JsonPath.NOTHING, select("$.identity.identifier.length", CONTEXT));
    assertSame(JsonPath.NOTHING, select("$.identity.identifier[0]", CONTEXT));
    assertSame(JsonPath.NOTHING, select("$.identity.identifier.*", CONTEXT));
  }

  @ParameterizedTest
  @CsvSource({"$.n[0], 0", "$.n[3], 3", "$.n[-1], 9", "$.n[-10], 0", "$.n[ -2 ], 8"})
  void selectFirst_index_selectsElement(String query, int expected) {
    assertEquals(expected, select(query, DATA));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$.n[10]",
        "$.n[-11]",
        "$.n[9007199254740991]",
        "$.n[-9007199254740991]",
        "$.w[0][0]"
      })
  void selectFirst_indexOutOfRange_returnsNothing(String query) {
    assertSame(JsonPath.NOTHING, select(query, DATA));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "$.n[2:5]; 2",
        "$.n[:3]; 0",
        "$.n[-3:]; 7",
        "$.n[::-1]; 9",
        "$.n[5:1:-2]; 5",
        "$.n[-100:2]; 0",
        "$.n[-1:-4:-1]; 9",
        "$.n[100::-1]; 9",
        "$.n[:-100:-1]; 9",
        "$.n[-2::-4]; 8",
        "$.n[::9007199254740991]; 0",
        "$.n[1:2, 0]; 1",
        "$.n[:0, 3:1:-1]; 3"
      })
  void selectFirst_slice_followsRfc9535(String query, int expected) {
    assertEquals(expected, select(query, DATA));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "[::3]; 4",
        "[8:0:-3]; 3",
        "[5:1:-2]; 2",
        "[::-1]; 10",
        "[-3:]; 3",
        "[1:-1:2]; 4",
        "[-1:-4:-1]; 3",
        "[:-100:-1]; 10",
        "[2:2]; 0",
        "[::0]; 0",
        "[9:100]; 1",
        "[-9007199254740991:9007199254740991]; 10"
      })
  void selectFirst_slice_selectsExpectedCount(String slice, int count) {
    Map<String, Object> wrapped = obj("d", DATA);
    assertSame(DATA, select("$[?count(@.n" + slice + ") == " + count + "]", wrapped));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"$.n[::0]", "$.n[7:2]", "$.n[100:]", "$.n[1:2:-1]", "$.n[-100:-50]", "$.n[0:0]"})
  void selectFirst_emptySlice_returnsNothing(String query) {
    assertSame(JsonPath.NOTHING, select(query, DATA));
  }

  // ---------------------------------------------------------------- descendants

  @Test
  void selectFirst_descendantName_visitsInDocumentOrder() {
    assertEquals("k", select("$..key", CONTEXT));
    assertEquals("Env", select("$..name", CONTEXT));
    assertEquals("x", select("$.segments..name", CONTEXT));
  }

  @Test
  void selectFirst_descendant_appliesToNodeBeforeItsChildren() {
    Map<String, Object> doc = obj("a", obj("b", obj("x", 1), "x", 2), "x", 3);
    assertEquals(3, select("$..x", doc));
    assertEquals(2, select("$.a..x", doc));
    assertEquals(1, select("$.a.b..x", doc));
    assertEquals(1, select("$.a..[?@.x]..x", doc));
  }

  @Test
  void selectFirst_descendantWildcardAndBrackets_selectFirstInPreOrder() {
    assertEquals(CONTEXT.get("environment"), select("$..*", CONTEXT));
    assertEquals(0, select("$..[0]", DATA));
    assertEquals("x", select("$..['c']", DATA));
    assertEquals(arr(arr(1), 2), select("$.w..[*]", obj("w", arr(arr(arr(1), 2)))));
  }

  // ---------------------------------------------------------------- filters

  @Test
  void selectFirst_filterComparisons_selectMatchingChild() {
    assertEquals("on", select("$.features[?@.enabled == true].value", CONTEXT));
    assertEquals("on", select("$.features[?@.priority < 2].value", CONTEXT));
    assertEquals(4, select("$.n[?@ > 3 && @ < 6]", DATA));
    assertEquals(0, select("$.n[?@ < 1 || @ > 8]", DATA));
    assertEquals(1, select("$.n[?!(@ != 1)]", DATA));
    assertEquals(3, select("$.n[?@ >= 3]", DATA));
    assertEquals(2, select("$.n[?@ == 2.0]", DATA));
    assertEquals(2, select("$.n[?@ == 0.2e1]", DATA));
    assertEquals(0, select("$.n[?@ == -0]", DATA));
  }

  @Test
  void selectFirst_filterEquality_isTypeStrict() {
    assertEquals("2", select("$.w[?@.b == '2'].b", DATA));
    assertEquals(2.0, select("$.w[?@.b == 2].b", DATA));
    assertEquals(true, select("$.w[?@.b == true].b", DATA));
    assertEquals(1, select("$.w[?@.b == 1].b", DATA));
    assertEquals(arr(1, 2), select("$.w[?@.b == $.w[4].b].b", DATA));
    assertEquals("x\n", select("$.w[?@.b == null].c", DATA));
  }

  @Test
  void selectFirst_filterMissingOperands_compareAsNothing() {
    assertEquals(obj("b", true), select("$.w[?@.c == @.missing]", DATA));
    assertEquals(obj("b", 1, "c", "x"), select("$.w[?@.missing != 1]", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?@.missing < 1]", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?@.missing == null]", DATA));
  }

  @Test
  void selectFirst_filterOrdering_comparesStringsByCodePoint() {
    assertEquals("\uFFFF", select("$.s[?@ > 'b']", DATA));
    assertEquals("\uD834\uDD1E", select("$.s[?@ > '\uFFFF']", DATA));
    assertEquals("a", select("$.s[?@ < 'b']", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?@.b < true]", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?@.c < 1]", DATA));
  }

  @Test
  void selectFirst_filterExistence_testsForNodes() {
    assertEquals("pro", select("$.w[?@.c && @.b == '2'].c", DATA));
    assertEquals(obj("b", true), select("$.w[?!@.c]", DATA));
    assertNull(select("$.w[?@.b == null].b", DATA));
    assertEquals(0, select("$.n[?@]", DATA));
    assertEquals(0, select("$.n[?$.n]", DATA));
    assertSame(JsonPath.NOTHING, select("$.n[?$.missing]", DATA));
  }

  @Test
  void selectFirst_filterFunctions_followRfc9535() {
    assertEquals(arr(1, 2), select("$.w[?length(@.b) == 2].b", DATA));
    assertEquals("x\n", select("$.w[?length(@.c) == 2].c", DATA));
    assertEquals("\uD834\uDD1E", select("$.s[?length(@) == 1 && @ > '\uFFFF']", DATA));
    assertEquals(obj("b", 1, "c", "x"), select("$.w[?count(@.*) == 2]", DATA));
    assertEquals(obj("b", true), select("$.w[?count(@.*) == 1]", DATA));
    assertEquals(obj("b", arr(1, 2)), select("$.w[?value(@..[1]) == 2]", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?value(@.*) == 1]", DATA));
    assertEquals("pro", select("$.w[?match(@.c, 'p.o')].c", DATA));
    assertEquals("pro", select("$.w[?search(@.c, 'r')].c", DATA));
    assertEquals("z", select("$.w[?match(@.c, '[xz]') && !match(@.c, 'x')].c", DATA));
    assertEquals("x\n", select("$.w[?search(@.c, '\\\\n')].c", DATA));
  }

  @Test
  void selectFirst_regexOnNonStrings_isFalse() {
    assertSame(JsonPath.NOTHING, select("$.w[?match(@.b, '1')]", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?search(@.c, 1)]", DATA));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(a",
        "a{2,1}",
        "[b-a]",
        "\\\\d",
        "\\\\w",
        "a**",
        "a*?",
        "[]",
        "\\\\p{Lx}",
        "]",
        "{",
        "(?:a)"
      })
  void selectFirst_invalidIRegexp_matchesNothing(String pattern) {
    String query = "$.s[?search(@, '" + pattern + "') || match(@, '" + pattern + "')]";
    assertValid(query);
    assertSame(JsonPath.NOTHING, select(query, DATA));
  }

  @Test
  void selectFirst_iRegexpFeatures_translateToJava() {
    assertEquals("b", select("$.s[?match(@, '\\\\p{Ll}')]", DATA));
    assertEquals("\uFFFF", select("$.s[?match(@, '\\\\P{L}')]", DATA));
    assertEquals(
        "\uD834\uDD1E",
        select("$.s[?match(@, '.')  && @ != 'b' && @ != 'a' && @ != '\uFFFF']", DATA));
    assertEquals("b", select("$.s[?match(@, '[^-a]')]", DATA));
    assertEquals("a", select("$.s[?match(@, '(x|a){1,2}')]", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?match(@.c, 'x.')]", DATA));
  }

  @Test
  void selectFirst_regexAnchors_behaveLikePython() {
    assertEquals("x\n", select("$.w[?search(@.c, 'x$') && @.c != 'x'].c", DATA));
    assertSame(JsonPath.NOTHING, select("$.w[?match(@.c, 'x$') && @.c != 'x'].c", DATA));
    assertEquals("pro", select("$.w[?search(@.c, '^p')].c", DATA));
  }

  @Test
  void selectFirst_nonStandardNumbers_compareExactly() {
    assertEquals(Long.MAX_VALUE, select("$.m[?@ == 9223372036854775807]", DATA));
    assertSame(JsonPath.NOTHING, select("$.m[?@ == 9223372036854775806]", DATA));
    assertEquals(
        new BigInteger("123456789012345678901234567890"),
        select("$.m[?@ > 9223372036854775807]", DATA));
    assertEquals(new BigDecimal("1.5"), select("$.m[?@ == 1.5]", DATA));
  }

  @Test
  void selectFirst_rootInsideRelativeQuery_bindsToCurrentNodeLikeReference() {
    Map<String, Object> doc =
        obj("flag", true, "items", arr(obj("flag", false, "v", 1), obj("v", 2)));
    assertEquals(1, select("$.items[?@[?$.flag == false]].v", doc));
    assertEquals(1, select("$.items[?$.flag == true].v", doc));
  }

  @Test
  void selectFirst_parsedQuery_isReusableAcrossRoots() {
    JsonPath path = JsonPath.parse("$.identity.traits.plan").orElseThrow();
    assertEquals("pro", path.selectFirst(CONTEXT));
    assertEquals("free", path.selectFirst(obj("identity", obj("traits", obj("plan", "free")))));
    assertSame(JsonPath.NOTHING, path.selectFirst(obj()));
    assertSame(JsonPath.NOTHING, path.selectFirst(null));
    assertSame(JsonPath.NOTHING, path.selectFirst("scalar"));
  }

  // ---------------------------------------------------------------- helpers

  private static Object select(String query, Object root) {
    return JsonPath.parse(query)
        .orElseThrow(() -> new AssertionError("should be valid: " + query))
        .selectFirst(root);
  }

  private static void assertValid(String query) {
    assertTrue(JsonPath.parse(query).isPresent(), () -> "should be valid: " + query);
  }

  private static void assertInvalid(String query) {
    assertTrue(JsonPath.parse(query).isEmpty(), () -> "should be invalid: " + query);
  }

  private static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static List<Object> arr(Object... items) {
    return Arrays.asList(items);
  }
}
