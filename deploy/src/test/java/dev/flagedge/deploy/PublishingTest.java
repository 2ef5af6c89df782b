package dev.flagedge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Maven Central is sent, checked on the POMs themselves: every published module is in the BOM,
 * the BOM manages nothing else (it is imported into users' builds), and the BOM, which has no
 * parent, repeats the parent's project metadata exactly.
 */
class PublishingTest {
  private static final Path ROOT = Path.of("..");
  private static final Element PARENT = pom(ROOT.resolve("pom.xml"));
  private static final Element BOM = pom(ROOT.resolve("flagedge-bom/pom.xml"));

  @Test
  void bom_listsEveryPublishedModule_andNoUnpublishedOne() {
    List<String> managed = bomArtifactIds();
    Map<String, Element> modules = modules();
    modules.forEach(
        (artifactId, pom) -> {
          if (published(pom)) {
            assertTrue(
                managed.contains(artifactId), artifactId + " is published but not in the BOM");
          } else {
            assertFalse(managed.contains(artifactId), artifactId + " is in the BOM, not published");
          }
        });
    assertTrue(modules.values().stream().anyMatch(pom -> !published(pom)), "no unpublished module");
  }

  @Test
  void bom_managesOnlyFlagEdgeArtifacts_atTheReactorVersion() {
    assertTrue(
        child(BOM, "parent").isEmpty(), "a parent's dependencyManagement would leak to users");
    assertEquals(text(PARENT, "groupId"), text(BOM, "groupId"));
    assertEquals(text(PARENT, "version"), text(BOM, "version"));
    assertEquals("pom", text(BOM, "packaging"));
    for (Element dependency : bomDependencies()) {
      assertEquals("dev.flagedge", text(dependency, "groupId"));
      assertEquals("${project.version}", text(dependency, "version"));
      assertTrue(child(dependency, "scope").isEmpty(), text(dependency, "artifactId"));
    }
  }

  @Test
  void bom_metadata_isTheParents() {
    for (String element : List.of("url", "licenses", "developers", "scm")) {
      assertEquals(
          normalized(child(PARENT, element).orElseThrow()),
          normalized(child(BOM, element).orElseThrow()),
          element);
    }
    assertTrue(normalized(child(PARENT, "licenses").orElseThrow()).contains("Apache-2.0"));
  }

  @Test
  void everyModule_hasItsOwnNameAndDescription() {
    Map<String, Element> poms = modules();
    poms.put("flagedge-bom", BOM);
    poms.forEach(
        (artifactId, pom) -> {
          assertFalse(text(pom, "name").isBlank(), artifactId);
          assertFalse(text(pom, "description").isBlank(), artifactId);
          assertFalse(text(pom, "name").equals(text(PARENT, "name")), artifactId);
        });
  }

  @Test
  void license_isTheApacheLicense2() throws IOException {
    String license = Files.readString(ROOT.resolve("LICENSE"));
    assertTrue(
        license.strip().startsWith("Apache License\n                           Version 2.0"));
    assertTrue(license.contains("END OF TERMS AND CONDITIONS"));
  }

  /** The reactor's modules (the BOM aside) by artifactId. */
  private static Map<String, Element> modules() {
    Map<String, Element> modules = new LinkedHashMap<>();
    for (Element module : children(child(PARENT, "modules").orElseThrow(), "module")) {
      Element pom = pom(ROOT.resolve(module.getTextContent().strip()).resolve("pom.xml"));
      if (!text(pom, "artifactId").equals("flagedge-bom")) {
        modules.put(text(pom, "artifactId"), pom);
      }
    }
    return modules;
  }

  /** Published unless the module sets {@code flagedge.publish.skip} (the parent's one flag). */
  private static boolean published(Element pom) {
    return child(pom, "properties")
        .flatMap(properties -> child(properties, "flagedge.publish.skip"))
        .map(flag -> !flag.getTextContent().strip().equals("true"))
        .orElse(true);
  }

  private static List<Element> bomDependencies() {
    Element management = child(BOM, "dependencyManagement").orElseThrow();
    return children(child(management, "dependencies").orElseThrow(), "dependency");
  }

  private static List<String> bomArtifactIds() {
    return bomDependencies().stream().map(d -> text(d, "artifactId")).toList();
  }

  private static Element pom(Path file) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Element root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
      assertNotNull(root, file.toString());
      return root;
    } catch (Exception e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  private static Optional<Element> child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).map(Node::getTextContent).map(String::strip).orElse("");
  }

  /** Text content with whitespace runs collapsed; attributes and comments do not count. */
  private static String normalized(Element element) {
    return element.getTextContent().replaceAll("\\s+", " ").strip();
  }
}
