package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flagedge.sync.FlagEdgeClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagEdgeProviderBuilderTest {
  @TempDir Path directory;

  @Test
  void build_nothingSet_throwsIllegalState() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> FlagEdgeProvider.builder().build());
    assertEquals("set exactly one of client, serverKey and documentFile", e.getMessage());
  }

  @Test
  void build_serverKeyAndDocumentFile_throwsIllegalState() throws IOException {
    FlagEdgeProvider.Builder builder =
        FlagEdgeProvider.builder().serverKey("ser.key").documentFile(TestDocuments.file(directory));
    assertThrows(IllegalStateException.class, builder::build);
  }

  @Test
  void build_clientWithClientSettings_throwsIllegalState() throws IOException {
    try (FlagEdgeClient client =
        FlagEdgeClient.builder().documentFile(TestDocuments.file(directory)).build()) {
      FlagEdgeProvider.Builder builder =
          FlagEdgeProvider.builder().client(client).pollInterval(Duration.ofSeconds(1));
      assertThrows(IllegalStateException.class, builder::build);
    }
  }

  @Test
  void build_twice_throwsIllegalState() throws IOException {
    FlagEdgeProvider.Builder builder =
        FlagEdgeProvider.builder().documentFile(TestDocuments.file(directory));
    builder.build().shutdown();
    assertThrows(IllegalStateException.class, builder::build);
  }

  @Test
  void serverKey_clientSideKey_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FlagEdgeProvider.builder().serverKey("demo_client_key"));
  }

  @Test
  void documentFile_missing_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FlagEdgeProvider.builder().documentFile(directory.resolve("missing.json")));
  }

  @Test
  void getMetadata_name_flagedge() throws IOException {
    FlagEdgeProvider provider =
        FlagEdgeProvider.builder().documentFile(TestDocuments.file(directory)).build();
    assertEquals("flagedge", provider.getMetadata().getName());
    provider.shutdown();
  }
}
