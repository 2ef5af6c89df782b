package dev.flagedge.sync;

import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Persists the last good document of each environment so a restart can serve it before the upstream
 * answers.
 *
 * <p>A snapshot is one file, {@code <client key or its hash>.snapshot}: a header line {@code
 * flagedge-snapshot/1 sha256=<hex> length=<bytes>} followed by the document bytes. It is written to
 * a temporary file in the same directory, forced to disk and atomically renamed, so readers see the
 * old or the new snapshot, never a mix. On load the length, the checksum and the document itself
 * are verified; a corrupt or truncated snapshot is logged and ignored.
 */
final class SnapshotStore {
  private static final System.Logger logger = System.getLogger(SnapshotStore.class.getName());
  private static final String MAGIC = "flagedge-snapshot/1";
  private static final int MAX_HEADER = 200;

  private final Path directory;

  private final java.util.Map<String, String> rejections =
      new java.util.concurrent.ConcurrentHashMap<>();

  SnapshotStore(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  Path fileFor(String clientKey) {
    return directory.resolve(Keys.fileStem(clientKey) + ".snapshot");
  }

  /**
   * Writes the environment's snapshot, replacing the previous one atomically. The document bytes go
   * to the file from where the environment keeps them, without a copy.
   */
  void save(String clientKey, LoadedEnvironment loaded) throws IOException {
    Files.createDirectories(directory);
    byte[] header =
        (MAGIC + " sha256=" + loaded.contentHash() + " length=" + loaded.documentLength() + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    Path target = fileFor(clientKey);
    Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel); // closed with the channel
        out.write(header);
        loaded.writeDocumentJson(out);
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory();
  }

  /** Loads the environment's snapshot; empty when there is none or it fails verification. */
  Optional<LoadedEnvironment> load(String clientKey, Instant now) {
    Path file = fileFor(clientKey);
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes((int) DocumentFetcher.MAX_DOCUMENT_BYTES + MAX_HEADER);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return rejected(clientKey, "unreadable: " + e.getClass().getSimpleName());
    }
    int newline = headerEnd(content);
    String[] header =
        newline < 0
            ? new String[0]
            : new String(content, 0, newline, StandardCharsets.US_ASCII).split(" ");
    if (header.length != 3
        || !header[0].equals(MAGIC)
        || !header[1].startsWith("sha256=")
        || !header[2].startsWith("length=")) {
      return rejected(clientKey, "missing or malformed header");
    }
    byte[] json = Arrays.copyOfRange(content, newline + 1, content.length);
    if (!header[2].equals("length=" + json.length)) {
      return rejected(
          clientKey,
          "truncated or padded: "
              + json.length
              + " document bytes, header says "
              + header[2].substring("length=".length()));
    }
    String hash = Keys.sha256Hex(json);
    if (!header[1].equals("sha256=" + hash)) {
      return rejected(clientKey, "checksum mismatch");
    }
    try {
      return Optional.of(
          LoadedEnvironment.compile(json, hash, now, LoadedEnvironment.Source.SNAPSHOT));
    } catch (RuntimeException e) {
      return rejected(clientKey, "invalid document: " + e.getMessage());
    }
  }

  /** The index of the newline ending the header, or -1. */
  private static int headerEnd(byte[] content) {
    for (int i = 0; i < Math.min(MAX_HEADER, content.length); i++) {
      if (content[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Why the environment's snapshot was last ignored, if it was. */
  Optional<String> rejection(String clientKey) {
    return Optional.ofNullable(rejections.get(clientKey));
  }

  private Optional<LoadedEnvironment> rejected(String clientKey, String reason) {
    rejections.put(clientKey, reason);
    logger.log(
        Level.WARNING,
        "environment {0}: ignoring snapshot in {1}: {2}",
        Keys.mask(clientKey),
        directory,
        reason);
    return Optional.empty();
  }

  /** Makes the rename durable where the platform allows opening a directory (not on Windows). */
  private void forceDirectory() {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      logger.log(Level.DEBUG, "cannot force snapshot directory {0}: {1}", directory, e);
    }
  }
}
