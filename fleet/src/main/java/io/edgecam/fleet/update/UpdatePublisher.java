package io.edgecam.fleet.update;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.TufRepository;
import io.edgecam.protocol.tuf.mqtt.UpdateMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a repository's current files on a site's retained update topics ({@link UpdateMessages}:
 * roots, target chunks, roles, snapshot, timestamp last) and clears the topics of superseded
 * metadata and removed targets. Remembers per site what it published ({@code
 * <repo>/published/<site>.tsv}: topic and payload sha256), so an unchanged message is not sent
 * again unless {@code full}. Not thread-safe.
 */
public final class UpdatePublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpdatePublisher.class);

  /** What a publish did. */
  public record Result(int published, int unchanged, int cleared, long bytes) {}

  private final MqttClient client;
  private final BrokerTarget broker;

  /**
   * Connects to {@code broker}.
   *
   * @throws EdgecamException naming the URL if the broker cannot be reached
   */
  public UpdatePublisher(BrokerTarget broker) {
    this.broker = broker;
    try {
      client =
          new MqttClient(
              broker.url(), "edgecam-maintainer-" + UUID.randomUUID(), new MemoryPersistence());
      client.setTimeToWait(30_000);
      client.connect(broker.options());
    } catch (MqttException e) {
      throw new EdgecamException("cannot connect to the broker " + broker.url() + ": " + e, e);
    }
  }

  /**
   * Publishes {@code current} to {@code site}.
   *
   * @param stateDir where the per-site record of published topics lives (the repository dir)
   * @param full send every message even if the record says the broker has it
   */
  public Result publish(
      String site, TufRepository.Current current, int chunkSize, Path stateDir, boolean full) {
    List<UpdateMessages.Message> messages = UpdateMessages.of(site, current, chunkSize);
    Path state = stateDir.resolve("published").resolve(site + ".tsv");
    Map<String, String> before = readState(state);
    Map<String, String> after = new LinkedHashMap<>();
    int sent = 0;
    int unchanged = 0;
    long bytes = 0;
    try {
      for (UpdateMessages.Message m : messages) {
        String sha = sha256(m.payload());
        after.put(m.topic(), sha);
        if (!full && sha.equals(before.get(m.topic()))) {
          unchanged++;
          continue;
        }
        client.publish(m.topic(), m.payload(), 1, true);
        sent++;
        bytes += m.payload().length;
      }
      List<UpdateMessages.Message> clear =
          UpdateMessages.clearing(new ArrayList<>(before.keySet()), messages);
      for (UpdateMessages.Message m : clear) {
        client.publish(m.topic(), m.payload(), 1, true);
      }
      writeState(state, after);
      log.info(
          "published {} messages ({} bytes) to {} for site {}, {} unchanged, {} cleared",
          sent,
          bytes,
          broker.url(),
          site,
          unchanged,
          clear.size());
      return new Result(sent, unchanged, clear.size(), bytes);
    } catch (MqttException e) {
      // The record is only written after success: a retry sends everything not confirmed.
      throw new EdgecamException("publishing to " + broker.url() + " failed: " + e, e);
    }
  }

  private static Map<String, String> readState(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          out.put(line.substring(0, tab), line.substring(tab + 1));
        }
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot read " + file + ": " + e, e);
    }
    return out;
  }

  private static void writeState(Path file, Map<String, String> topics) {
    StringBuilder sb = new StringBuilder();
    topics.forEach((t, sha) -> sb.append(t).append('\t').append(sha).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, sb, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EdgecamException("cannot write " + file + ": " + e, e);
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    } catch (MqttException e) {
      log.debug("closing the publisher: {}", e.toString());
    }
  }
}
