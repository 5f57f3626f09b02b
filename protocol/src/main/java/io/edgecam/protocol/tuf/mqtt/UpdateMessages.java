package io.edgecam.protocol.tuf.mqtt;

import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The retained messages that put a repository's current files on a site's update topics, in a safe
 * order: root versions (ascending), then target chunks, then delegated targets roles, the top-level
 * {@code targets}, the snapshot, and the timestamp last. A device that sees a timestamp therefore
 * finds everything it names (MQTT keeps one publisher's order). Pure: any MQTT client publishes the
 * list, retained, QoS 1. Thread-safe (stateless).
 */
public final class UpdateMessages {
  private static final Pattern VERSIONED = Pattern.compile("([0-9]+)\\.(.+)\\.json");

  private UpdateMessages() {}

  /** One retained message; an empty payload clears the topic. */
  public record Message(String topic, byte[] payload) {}

  /** The messages for {@code current} on {@code site}, targets split into {@code chunkSize}. */
  public static List<Message> of(String site, TufRepository.Current current, int chunkSize) {
    return of(site, current.metadata(), current.targets(), chunkSize);
  }

  /**
   * The messages for metadata files and target files on {@code site}.
   *
   * @param metadata file name to bytes (e.g. {@code 2.root.json}, {@code timestamp.json})
   * @param targets target path as stored (hash-prefixed) to bytes
   */
  public static List<Message> of(
      String site, Map<String, byte[]> metadata, Map<String, byte[]> targets, int chunkSize) {
    List<Message> out = new ArrayList<>();
    List<String> names = new ArrayList<>(metadata.keySet());
    names.sort(
        Comparator.comparingInt(UpdateMessages::rank).thenComparing(UpdateMessages::version));
    for (String name : names) {
      if (rank(name) == 0) {
        out.add(new Message(UpdateTopics.metadata(site, name), metadata.get(name)));
      }
    }
    targets.forEach(
        (path, bytes) -> {
          for (TargetChunk c : TargetChunk.split(bytes, chunkSize)) {
            out.add(new Message(UpdateTopics.chunk(site, path, c.index()), c.encode()));
          }
        });
    for (String name : names) {
      if (rank(name) > 0) {
        out.add(new Message(UpdateTopics.metadata(site, name), metadata.get(name)));
      }
    }
    return out;
  }

  /**
   * Clearing messages (empty retained payloads) for the topics of {@code previous} that {@code now}
   * no longer uses: superseded metadata versions and chunks of targets no longer listed.
   */
  public static List<Message> clearing(Collection<String> previous, List<Message> now) {
    Set<String> keep = new LinkedHashSet<>();
    now.forEach(m -> keep.add(m.topic()));
    List<Message> out = new ArrayList<>();
    for (String t : new LinkedHashSet<>(previous)) {
      if (!keep.contains(t)) {
        out.add(new Message(t, new byte[0]));
      }
    }
    return out;
  }

  /** 0 roots, 1 delegated roles, 2 targets, 3 snapshot, 4 timestamp. */
  private static int rank(String name) {
    Matcher m = VERSIONED.matcher(name);
    String role = m.matches() ? m.group(2) : name.substring(0, name.length() - ".json".length());
    return switch (role) {
      case TopLevel.ROOT -> 0;
      case TopLevel.TARGETS -> 2;
      case TopLevel.SNAPSHOT -> 3;
      case TopLevel.TIMESTAMP -> 4;
      default -> 1;
    };
  }

  private static long version(String name) {
    Matcher m = VERSIONED.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }
}
