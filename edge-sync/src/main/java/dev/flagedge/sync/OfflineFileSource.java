package dev.flagedge.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reads an environment document from a local file. The file's stamp (modification time and size) is
 * the validator: a file whose stamp matches the served document's is not read again.
 */
final class OfflineFileSource implements DocumentSource {
  private final Path file;

  OfflineFileSource(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  @Override
  public Fetch fetch(Conditions conditions) throws IOException {
    String stamp = stamp();
    if (conditions.validator().filter(stamp::equals).isPresent()) {
      return new NotModified();
    }
    // The stamp is taken before reading: a write racing with this read changes it again, and the
    // next poll reads the file once more.
    return new Fetched(read(file), Optional.of(stamp));
  }

  /** Reads a document file, refusing files larger than the largest accepted document. */
  static byte[] read(Path file) throws FetchException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) DocumentFetcher.MAX_DOCUMENT_BYTES + 1);
      if (bytes.length > DocumentFetcher.MAX_DOCUMENT_BYTES) {
        throw new FetchException(
            SyncFailure.Kind.INVALID_DOCUMENT,
            "document file "
                + file
                + " is larger than "
                + DocumentFetcher.MAX_DOCUMENT_BYTES
                + " bytes");
      }
      return bytes;
    } catch (FetchException e) {
      throw e;
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private String stamp() throws FetchException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.lastModifiedTime() + "/" + attributes.size();
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static FetchException unreadable(Path file, IOException e) {
    String detail =
        e.getMessage() == null || e.getMessage().equals(file.toString())
            ? ""
            : " " + e.getMessage();
    return new FetchException(
        SyncFailure.Kind.FILE,
        "cannot read document file " + file + ": " + e.getClass().getSimpleName() + detail,
        e);
  }

  @Override
  public LoadedEnvironment.Source kind() {
    return LoadedEnvironment.Source.FILE;
  }

  @Override
  public void cancel() {
    // File reads are short; nothing to cancel.
  }
}
