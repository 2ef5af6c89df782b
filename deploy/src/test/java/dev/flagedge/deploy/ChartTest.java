package dev.flagedge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart rendered by Helm's own engine: strict lint, the hardened pod, the probes, every
 * optional object on and off; and the plain manifests kept equivalent to the chart's defaults. (No
 * cluster here: what a cluster would do with the objects is not exercised.)
 */
class ChartTest {
  private static final Path CHART = Path.of("helm/flagedge");
  private static final Path MANIFESTS = Path.of("kubernetes");
  private static final List<String> HARDENING =
      List.of(
          "runAsNonRoot: true",
          "runAsUser: 10001",
          "type: RuntimeDefault",
          "allowPrivilegeEscalation: false",
          "readOnlyRootFilesystem: true",
          "drop: [ALL]",
          "mountPath: /tmp",
          "path: /proxy/health/liveness",
          "path: /proxy/health/readiness",
          "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");

  /** The rendered documents by template file name, e.g. {@code deployment.yaml}. */
  private static Map<String, String> render(UnaryOperator<TemplateCommand> values) {
    String out = values.apply(new Helm(CHART).template().withName("demo")).call();
    Map<String, String> documents = new LinkedHashMap<>();
    for (String document : out.split("(?m)^---$")) {
      int source = document.indexOf("# Source: flagedge/templates/");
      if (source >= 0) {
        String name = document.substring(source + 29, document.indexOf('\n', source)).strip();
        documents.merge(name, document, (a, b) -> a + "---" + b);
      }
    }
    return documents;
  }

  @Test
  void lint_strict_noWarningsOrErrors() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), result.getMessages().toString());
    assertTrue(
        result.getMessages().stream()
            .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        result.getMessages().toString());
  }

  @Test
  void defaults_hardenedPodWithProbes_pdbOn_hpaAndServiceMonitorOff() {
    Map<String, String> objects = render(t -> t);
    String deployment = objects.get("deployment.yaml");
    for (String line : HARDENING) {
      assertTrue(deployment.contains(line), line + " missing in\n" + deployment);
    }
    assertTrue(deployment.contains("replicas: 2"), deployment);
    // Mounted as a directory: Kubernetes never updates a subPath mount when the Secret changes.
    assertFalse(deployment.contains("subPath:"), deployment);
    assertTrue(deployment.contains("{name: config, mountPath: /etc/flagedge, readOnly: true}"));
    assertTrue(deployment.contains("{name: CONFIG_PATH, value: /etc/flagedge/config.json}"));
    assertTrue(deployment.contains("startupProbe:"), deployment);
    // The server reloads the mounted file: a config change does not roll the pods by default.
    assertFalse(deployment.contains("checksum/config"), deployment);
    assertTrue(deployment.contains("topologyKey: topology.kubernetes.io/zone"), deployment);
    assertTrue(objects.containsKey("pdb.yaml"));
    assertTrue(objects.containsKey("secret.yaml"));
    assertFalse(objects.containsKey("hpa.yaml"));
    assertFalse(objects.containsKey("servicemonitor.yaml"));
  }

  @Test
  void autoscaling_on_hpaOnCpuAndNoFixedReplicas() {
    Map<String, String> objects =
        render(t -> t.set("autoscaling.enabled", "true").set("autoscaling.maxReplicas", "7"));
    String hpa = objects.get("hpa.yaml");
    assertTrue(
        hpa.contains("kind: HorizontalPodAutoscaler")
            && hpa.contains("maxReplicas: 7")
            && hpa.contains("name: cpu"),
        hpa);
    assertFalse(objects.get("deployment.yaml").contains("replicas:"));
  }

  @Test
  void optionalObjects_serviceMonitorOn_pdbOff_existingSecretUsed() {
    Map<String, String> objects =
        render(
            t ->
                t.set("serviceMonitor.enabled", "true")
                    .set("podDisruptionBudget.enabled", "false")
                    .set("existingSecret", "my-config")
                    .set("topologySpread.enabled", "false")
                    .set("nodeSelector.pool", "edge"));
    assertTrue(objects.get("servicemonitor.yaml").contains("path: /metrics"));
    assertFalse(objects.containsKey("pdb.yaml"));
    assertFalse(objects.containsKey("secret.yaml"));
    String deployment = objects.get("deployment.yaml");
    assertTrue(deployment.contains("secretName: my-config"), deployment);
    assertTrue(deployment.contains("pool: edge"), deployment);
    assertFalse(deployment.contains("topologySpreadConstraints"), deployment);
  }

  @Test
  void config_renderedIntoTheSecret_newSettingsPassThrough() {
    Map<String, String> objects =
        render(
            t ->
                t.set("config.proxy_key", "pk_1")
                    .set("config.realtime_upstream_url", "https://realtime.flagsmith.com/"));
    String secret = objects.get("secret.yaml");
    assertTrue(secret.contains("\\\"proxy_key\\\":\\\"pk_1\\\""), secret);
    assertTrue(secret.contains("realtime_upstream_url"), secret);
  }

  @Test
  void originTier_statefulSetWithVolume_edgePodsPointedAtIt() {
    Map<String, String> objects =
        render(
            t ->
                t.set("origin.enabled", "true")
                    .set("config.environment_key_pairs[0].server_side_key", "ser.k")
                    .set("config.environment_key_pairs[0].client_side_key", "k"));
    String origin = objects.get("origin.yaml");
    assertTrue(
        origin.contains("kind: StatefulSet")
            && origin.contains("volumeClaimTemplates")
            && origin.contains("{name: CONFIG_PATH, value: /etc/flagedge/origin.json}")
            && origin.contains("name: demo-flagedge-origin")
            && origin.contains("component: origin"),
        origin);
    for (String line : HARDENING.subList(0, 6)) {
      assertTrue(origin.contains(line), line + " missing in the origin");
    }
    String secret = objects.get("secret.yaml");
    String edge = secret.substring(secret.indexOf("config.json:"), secret.indexOf("origin.json:"));
    assertTrue(
        edge.contains("http://demo-flagedge-origin:8000/api/v1")
            && edge.contains("realtime_upstream_url"),
        edge);
    String originConfig = secret.substring(secret.indexOf("origin.json:"));
    assertTrue(originConfig.contains("https://edge.api.flagsmith.com/api/v1"), originConfig);
    assertTrue(originConfig.contains("ser.k"), "the origin polls Flagsmith with the key pairs");
    String deployment = objects.get("deployment.yaml");
    assertTrue(deployment.contains("component: edge"), deployment);
    assertTrue(
        objects.get("service.yaml").contains("component: edge"),
        "the edge Service must not select origin pods");
  }

  @Test
  void rollOnConfigChange_on_podTemplatesCarryTheConfigChecksum_alongsidePodAnnotations() {
    Map<String, String> objects =
        render(
            t ->
                t.set("rollOnConfigChange", "true")
                    .set("origin.enabled", "true")
                    .set("podAnnotations.team", "flags"));
    String deployment = objects.get("deployment.yaml");
    assertTrue(deployment.contains("checksum/config: "), deployment);
    assertTrue(deployment.contains("team: flags"), deployment);
    assertTrue(
        objects.get("origin.yaml").contains("checksum/config: "), objects.get("origin.yaml"));
    String changed =
        render(
                t ->
                    t.set("rollOnConfigChange", "true")
                        .set("config.api_poll_frequency_seconds", "20"))
            .get("deployment.yaml");
    assertFalse(checksum(deployment).equals(checksum(changed)), "a changed config rolls the pods");
    assertFalse(
        render(t -> t.set("podAnnotations.team", "flags"))
            .get("deployment.yaml")
            .contains("checksum/config"));
  }

  private static String checksum(String manifest) {
    int at = manifest.indexOf("checksum/config: ");
    return manifest.substring(at, manifest.indexOf('\n', at));
  }

  @Test
  void originTier_offByDefault() {
    Map<String, String> objects = render(t -> t);
    assertFalse(objects.containsKey("origin.yaml"));
    assertFalse(objects.get("secret.yaml").contains("origin.json"));
    assertTrue(objects.get("secret.yaml").contains("https://edge.api.flagsmith.com/api/v1"));
  }

  @Test
  void manifests_matchTheChartsDefaults() throws IOException {
    String deployment = Files.readString(MANIFESTS.resolve("deployment.yaml"));
    for (String line :
        List.of(
            "runAsNonRoot: true",
            "runAsUser: 10001",
            "seccompProfile: {type: RuntimeDefault}",
            "allowPrivilegeEscalation: false",
            "readOnlyRootFilesystem: true",
            "capabilities: {drop: [ALL]}",
            "mountPath: /tmp",
            "path: /proxy/health/liveness",
            "path: /proxy/health/readiness",
            "startupProbe:",
            "{name: CONFIG_PATH, value: /etc/flagedge/config.json}",
            "{name: config, mountPath: /etc/flagedge, readOnly: true}",
            "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError",
            "memory: 512Mi")) {
      assertTrue(deployment.contains(line), line + " missing in deploy/kubernetes/deployment.yaml");
    }
    assertTrue(
        Files.readString(MANIFESTS.resolve("service.yaml"))
            .contains("app.kubernetes.io/component: edge"),
        "the Service selects edge pods, as the chart's");
    try (var files = Files.list(MANIFESTS)) {
      assertEquals(3, files.count());
    }
  }
}
