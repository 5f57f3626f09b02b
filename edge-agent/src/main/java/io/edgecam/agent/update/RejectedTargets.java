package io.edgecam.agent.update;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Targets the device decided against on their content (self-test failed, tensors differ, rolled
 * back, undecodable bundle...), by sha256, in {@code <updates>/rejected.json}, so that the same
 * file is not downloaded and tested again at every refresh or after a restart. A failed TUF check
 * is not recorded here: the next refresh checks again. Keeps the newest {@value #MAX} entries. Not
 * thread-safe: owned by the update thread.
 */
final class RejectedTargets {
  private static final Logger log = LoggerFactory.getLogger(RejectedTargets.class);
  static final int MAX = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final LinkedHashMap<String, String> bySha;

  RejectedTargets(Path updatesDir) {
    this.file = updatesDir.resolve("rejected.json");
    this.bySha = read(file);
  }

  private static LinkedHashMap<String, String> read(Path file) {
    try {
      return JSON.readValue(
          Files.readAllBytes(file), new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (NoSuchFileException e) {
      return new LinkedHashMap<>();
    } catch (JacksonException e) {
      log.warn("{} unreadable, starting a new one: {}", file, e.getOriginalMessage());
      return new LinkedHashMap<>();
    } catch (IOException e) {
      log.warn("cannot read {}: {}", file, e.getMessage());
      return new LinkedHashMap<>();
    }
  }

  /** Why the target with this sha256 was rejected, or null. */
  @Nullable String reason(String sha256) {
    return bySha.get(sha256);
  }

  void add(String sha256, String reason) throws IOException {
    bySha.remove(sha256);
    bySha.put(sha256, reason);
    Iterator<Map.Entry<String, String>> it = bySha.entrySet().iterator();
    while (bySha.size() > MAX && it.hasNext()) {
      it.next();
      it.remove();
    }
    AtomicFiles.write(file, JSON.writeValueAsBytes(bySha));
  }
}
