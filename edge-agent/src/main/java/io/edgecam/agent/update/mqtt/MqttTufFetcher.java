package io.edgecam.agent.update.mqtt;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.publish.PemTls;
import io.edgecam.mqtt.MqttLink;
import io.edgecam.mqtt.MqttLinkConfig;
import io.edgecam.mqtt.PahoMqttLink;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufFetcher;
import io.edgecam.protocol.tuf.mqtt.ChunkAssembly;
import io.edgecam.protocol.tuf.mqtt.TargetChunk;
import io.edgecam.protocol.tuf.mqtt.UpdateTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TufFetcher} over the site's retained update topics (docs/protocol.md section 9): TUF
 * metadata from {@code edgecam/v1/{site}/updates/meta/+}, target files reassembled from their
 * chunks on {@code .../updates/targets/{path}/{i}}. The TUF checks stay in {@code TufUpdater}; this
 * class adds the transport's own: chunks of another version are dropped (mix-and-match), a target
 * declaring more bytes than the metadata allows is refused before anything is stored (endless
 * data), and the assembled file must have the SHA-256 of its consistent-snapshot name (arbitrary
 * content).
 *
 * <p><b>Resume</b>: each accepted chunk is written to {@code stagingDir/<sha256>/<i>.chunk} (atomic
 * rename) as it arrives. A fetcher started after a crash or restart finds them, and subscribes only
 * to the topics of the chunks it lacks, so completed chunks are not sent again. A completed
 * target's staging directory is deleted once it was returned.
 *
 * <p><b>Bounds</b>: metadata kept in memory is limited in files and bytes ({@link Settings}); a
 * target is never longer than the {@code maxLength} the updater passes (its signed length), chunks
 * are requested {@link Settings#window()} at a time and go straight to disk, and the staging
 * directory holds at most {@link Settings#maxStagingBytes()} (older partial targets are deleted
 * first).
 *
 * <p><b>Waiting for retained messages</b>: MQTT has no "end of retained messages" signal. After
 * subscribing, the metadata view counts as complete once no message arrived for {@link
 * Settings#quiet()}. A missing {@code N.root.json} then means "no newer root" at once; any other
 * missing file (named by metadata already seen) is waited for up to {@link Settings#timeout()}.
 *
 * <p>Subscribes on an {@link MqttLink}: the agent's one connection (its subscriptions are renewed
 * after every reconnect), or one of its own (clean session, no will) for the commands and tests.
 * The metadata subscription starts at the first fetch; a connection loss fails the fetch in
 * progress, and the next one waits for the link. Thread-safe; one fetch at a time (calls are
 * serialized).
 */
public final class MqttTufFetcher implements TufFetcher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttTufFetcher.class);
  private static final Pattern ROOT_FILE = Pattern.compile("[1-9][0-9]{0,18}\\.root\\.json");
  private static final Pattern HASHED = Pattern.compile("([0-9a-f]{64})\\.[^/]+");
  private static final String LAYOUT = "layout";
  private static final String SUFFIX = ".chunk";

  /**
   * Transport limits and waits.
   *
   * @param quiet the metadata view is complete after this long without a new message
   * @param timeout longest wait for a named file, or for the next chunk of a target
   * @param maxMetadataFiles most metadata files kept in memory
   * @param maxMetadataBytes most metadata bytes kept in memory
   * @param maxStagingBytes most bytes of partial targets kept on disk
   * @param window chunk topics subscribed at once
   */
  public record Settings(
      Duration quiet,
      Duration timeout,
      int maxMetadataFiles,
      long maxMetadataBytes,
      long maxStagingBytes,
      int window) {
    /** 500 ms quiet, 30 s timeout, 512 files / 16 MB of metadata, 64 MB staging, 8 chunks. */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofMillis(500), Duration.ofSeconds(30), 512, 16L << 20, 64L << 20, 8);

    /** Validates every bound. */
    public Settings {
      if (quiet.isNegative() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("quiet must be >= 0 and timeout > 0");
      }
      if (maxMetadataFiles < 1 || maxMetadataBytes < 1 || maxStagingBytes < 1 || window < 1) {
        throw new IllegalArgumentException("fetcher limits must be >= 1");
      }
    }

    /** The same with another timeout. */
    public Settings withTimeout(Duration t) {
      return new Settings(quiet, t, maxMetadataFiles, maxMetadataBytes, maxStagingBytes, window);
    }
  }

  /**
   * Counters since this fetcher was created.
   *
   * @param chunksReceived chunks accepted from the broker
   * @param chunksResumed chunks found in the staging directory instead
   * @param chunksDropped chunks of another target or version (mix-and-match)
   * @param chunksRefused malformed chunks, or chunks declaring too much data
   * @param bytesReceived chunk data bytes accepted from the broker
   * @param metadataDropped metadata messages over the memory bounds or with a bad name
   */
  public record Stats(
      long chunksReceived,
      long chunksResumed,
      long chunksDropped,
      long chunksRefused,
      long bytesReceived,
      long metadataDropped) {}

  private final MqttLink link;
  private final boolean ownsLink;
  private final String where;
  private final String site;
  private final Path stagingDir;
  private final Settings settings;
  private final String metaPrefix;
  private final String chunkPrefix;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantLock fetchLock = new ReentrantLock();
  private final Map<String, byte[]> metadata = new HashMap<>();
  private long metadataBytes;
  private long lastMessageNanos;
  private long subscribedNanos;
  private MqttLink.@Nullable Subscription metadataSubscription;
  private boolean connected;
  private boolean closed;
  private @Nullable Download download;

  private final AtomicLong chunksReceived = new AtomicLong();
  private final AtomicLong chunksResumed = new AtomicLong();
  private final AtomicLong chunksDropped = new AtomicLong();
  private final AtomicLong chunksRefused = new AtomicLong();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final AtomicLong metadataDropped = new AtomicLong();

  /**
   * A fetcher; nothing connects until the first fetch.
   *
   * @param mqtt broker URL, credentials and TLS (the agent's {@code mqtt} settings)
   * @param clientId MQTT client id of this connection (not the agent's main one)
   * @param site the site whose update topics to read
   * @param stagingDir where partial targets are kept (created if missing)
   * @param settings limits and waits
   */
  public MqttTufFetcher(
      MqttConfig mqtt, String clientId, String site, Path stagingDir, Settings settings) {
    this(
        new PahoMqttLink(
            new MqttLinkConfig(
                mqtt.url(),
                clientId,
                mqtt.username(),
                mqtt.password(),
                mqtt.isTls() ? PemTls.context(mqtt.tls()).getSocketFactory() : null,
                mqtt.keepAlive(),
                0,
                mqtt.inFlightWindow(),
                null),
            "edgecam-updates"),
        true,
        mqtt.url(),
        site,
        stagingDir,
        settings);
  }

  /**
   * A fetcher on a link of the caller's (the agent's one connection), which it neither starts nor
   * closes; nothing is subscribed until the first fetch.
   *
   * @param link the connection, started by its owner
   * @param site the site whose update topics to read
   * @param stagingDir where partial targets are kept (created if missing)
   * @param settings limits and waits
   */
  public MqttTufFetcher(MqttLink link, String site, Path stagingDir, Settings settings) {
    this(link, false, "the agent's MQTT connection", site, stagingDir, settings);
  }

  private MqttTufFetcher(
      MqttLink link,
      boolean ownsLink,
      String where,
      String site,
      Path stagingDir,
      Settings settings) {
    this.link = link;
    this.ownsLink = ownsLink;
    this.where = where;
    this.site = site;
    this.stagingDir = stagingDir;
    this.settings = settings;
    this.metaPrefix = UpdateTopics.prefix(site) + "/meta/";
    this.chunkPrefix = UpdateTopics.prefix(site) + "/targets/";
  }

  /** Counters since creation. */
  public Stats stats() {
    return new Stats(
        chunksReceived.get(),
        chunksResumed.get(),
        chunksDropped.get(),
        chunksRefused.get(),
        bytesReceived.get(),
        metadataDropped.get());
  }

  @Override
  public Optional<byte[]> fetchMetadata(String name, long maxLength) {
    if (!UpdateTopics.isValidName(name)) {
      throw new TufException(TufException.Kind.NOT_FOUND, "not a metadata file name: " + name);
    }
    fetchLock.lock();
    try {
      ensureConnected();
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      lock.lock();
      try {
        awaitSettled(deadline);
        boolean root = ROOT_FILE.matcher(name).matches();
        while (!metadata.containsKey(name) && !root) {
          checkUsable();
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          changed.awaitNanos(left);
        }
        byte[] bytes = metadata.get(name);
        if (bytes == null) {
          return Optional.empty();
        }
        if (bytes.length > maxLength) {
          throw new TufException(
              TufException.Kind.LENGTH,
              name + ": " + bytes.length + " bytes, more than the allowed " + maxLength);
        }
        return Optional.of(bytes.clone());
      } finally {
        lock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TufException(TufException.Kind.IO, "interrupted while waiting for " + name, e);
    } finally {
      fetchLock.unlock();
    }
  }

  @Override
  public Optional<byte[]> fetchTarget(String path, long maxLength) {
    if (!UpdateTopics.isValidPath(path)) {
      throw new TufException(TufException.Kind.NOT_FOUND, "target path not valid on MQTT: " + path);
    }
    if (maxLength > settings.maxStagingBytes() || maxLength > Integer.MAX_VALUE - 8) {
      throw new TufException(
          TufException.Kind.LENGTH,
          "target "
              + path
              + ": "
              + maxLength
              + " bytes do not fit the staging limit of "
              + settings.maxStagingBytes());
    }
    fetchLock.lock();
    try {
      ensureConnected();
      Matcher m = HASHED.matcher(path.substring(path.lastIndexOf('/') + 1));
      String expectedSha = m.matches() ? m.group(1) : null;
      Path dir = stagingDir.resolve(expectedSha != null ? expectedSha : "path-" + sha256Hex(path));
      makeRoom(dir, maxLength);
      Download d = new Download(path, dir, new ChunkAssembly(expectedSha, maxLength));
      d.restore();
      return d.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TufException(TufException.Kind.IO, "interrupted while fetching " + path, e);
    } finally {
      lock.lock();
      try {
        download = null;
      } finally {
        lock.unlock();
      }
      fetchLock.unlock();
    }
  }

  /** One target being fetched: its staging directory and which chunks it holds. */
  private final class Download {
    final String path;
    final Path dir;
    final ChunkAssembly assembly;
    @Nullable TufException failure;

    Download(String path, Path dir, ChunkAssembly assembly) {
      this.path = path;
      this.dir = dir;
      this.assembly = assembly;
    }

    /** Takes over the chunks a previous fetcher stored, if they fit the rules. */
    void restore() {
      Path layoutFile = dir.resolve(LAYOUT);
      if (!Files.isRegularFile(layoutFile)) {
        return;
      }
      try {
        String[] f = Files.readString(layoutFile, StandardCharsets.US_ASCII).trim().split(" ");
        ChunkAssembly.Layout layout =
            new ChunkAssembly.Layout(
                f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
        BitSet held = new BitSet();
        for (int i = 0; i < layout.count(); i++) {
          Path c = dir.resolve(i + SUFFIX);
          if (Files.isRegularFile(c) && Files.size(c) == layout.length(i)) {
            held.set(i);
          }
        }
        if (assembly.restore(layout, held)) {
          chunksResumed.addAndGet(held.cardinality());
          log.info(
              "target {}: resuming with {} of {} chunks from {}",
              path,
              held.cardinality(),
              layout.count(),
              dir);
        } else {
          deleteTree(dir);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("target {}: discarding unreadable staging {}: {}", path, dir, e.toString());
        deleteTree(dir);
      }
    }

    Optional<byte[]> run() throws InterruptedException {
      lock.lock();
      try {
        download = this;
      } finally {
        lock.unlock();
      }
      if (assembly.layout().isEmpty()) {
        // Chunk 0 tells the layout (every chunk would; 0 always exists).
        if (!fetchChunks(List.of(0))) {
          return Optional.empty();
        }
      }
      List<Integer> missing = assembly.missing();
      for (int i = 0; i < missing.size(); i += settings.window()) {
        List<Integer> batch = missing.subList(i, Math.min(missing.size(), i + settings.window()));
        if (!fetchChunks(batch)) {
          throw new TufException(
              TufException.Kind.NOT_FOUND,
              "target "
                  + path
                  + ": chunks "
                  + assembly.missing()
                  + " did not arrive within "
                  + settings.timeout().toSeconds()
                  + " s ("
                  + assembly.held()
                  + " kept in "
                  + dir
                  + " for the next attempt)");
        }
      }
      return Optional.of(assemble());
    }

    /**
     * Subscribes to the topics of {@code indices}, waits until they are held (or no chunk came for
     * the timeout), unsubscribes. False if something is still missing.
     */
    private boolean fetchChunks(List<Integer> indices) throws InterruptedException {
      String[] topics = new String[indices.size()];
      for (int i = 0; i < topics.length; i++) {
        topics[i] = UpdateTopics.chunk(site, path, indices.get(i));
      }
      MqttLink.Subscription chunks = subscribe(topics);
      try {
        lock.lock();
        try {
          long progressAt = System.nanoTime();
          int held = assembly.held();
          while (!holdsAll(indices)) {
            if (failure != null) {
              throw failure;
            }
            checkUsable();
            if (assembly.held() != held) {
              held = assembly.held();
              progressAt = System.nanoTime();
            }
            long left = progressAt + settings.timeout().toNanos() - System.nanoTime();
            if (left <= 0) {
              return false;
            }
            changed.awaitNanos(left);
          }
          if (failure != null) {
            throw failure;
          }
          return true;
        } finally {
          lock.unlock();
        }
      } finally {
        chunks.close();
      }
    }

    private boolean holdsAll(List<Integer> indices) {
      if (assembly.layout().isEmpty()) {
        return false;
      }
      List<Integer> missing = assembly.missing();
      return indices.stream().noneMatch(missing::contains);
    }

    /** Called on Paho's thread for a chunk of this target. */
    void offer(TargetChunk chunk) {
      ChunkAssembly.Verdict v = assembly.offer(chunk);
      switch (v) {
        case ACCEPTED -> {
          try {
            store(chunk);
            chunksReceived.incrementAndGet();
            bytesReceived.addAndGet(chunk.dataLength());
          } catch (IOException e) {
            failure =
                new TufException(
                    TufException.Kind.IO, "target " + path + ": cannot stage a chunk in " + dir, e);
          }
        }
        case DUPLICATE -> {}
        case OTHER_TARGET -> {
          chunksDropped.incrementAndGet();
          log.warn(
              "target {}: dropped chunk {} of another version (sha256 {})",
              path,
              chunk.index(),
              chunk.sha256Hex());
        }
        case TOO_LONG -> {
          chunksRefused.incrementAndGet();
          failure =
              new TufException(
                  TufException.Kind.LENGTH,
                  "target "
                      + path
                      + ": chunks declare "
                      + chunk.totalLength()
                      + " bytes, more than the "
                      + "signed length allows (endless data)");
        }
        case INCONSISTENT -> {
          chunksRefused.incrementAndGet();
          log.warn("target {}: refused chunk {} with a conflicting layout", path, chunk.index());
        }
        default -> throw new IllegalStateException("verdict " + v);
      }
    }

    private void store(TargetChunk chunk) throws IOException {
      Files.createDirectories(dir);
      Path layoutFile = dir.resolve(LAYOUT);
      if (!Files.exists(layoutFile)) {
        ChunkAssembly.Layout l = ChunkAssembly.Layout.of(chunk);
        writeAtomically(
            layoutFile,
            (l.sha256Hex() + " " + l.totalLength() + " " + l.chunkSize() + " " + l.count() + "\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
      writeAtomically(dir.resolve(chunk.index() + SUFFIX), chunk.data());
    }

    private byte[] assemble() {
      ChunkAssembly.Layout l = assembly.layout().orElseThrow();
      byte[] out = new byte[(int) l.totalLength()];
      try {
        for (int i = 0; i < l.count(); i++) {
          byte[] c = Files.readAllBytes(dir.resolve(i + SUFFIX));
          if (c.length != l.length(i)) {
            deleteTree(dir);
            throw new TufException(
                TufException.Kind.IO, "target " + path + ": staged chunk " + i + " was damaged");
          }
          System.arraycopy(c, 0, out, (int) l.offset(i), c.length);
        }
      } catch (IOException e) {
        throw new TufException(TufException.Kind.IO, "target " + path + ": cannot read staging", e);
      }
      String actual = sha256Hex(out);
      deleteTree(dir);
      if (!actual.equals(l.sha256Hex())) {
        throw new TufException(
            TufException.Kind.HASH_MISMATCH,
            "target "
                + path
                + ": reassembled sha256 is "
                + actual
                + ", the chunks declared "
                + l.sha256Hex()
                + " (arbitrary content)");
      }
      return out;
    }
  }

  private void ensureConnected() {
    MqttLink.Subscription sub;
    lock.lock();
    try {
      if (closed) {
        throw new TufException(TufException.Kind.IO, "update fetcher is closed");
      }
      if (connected) {
        return;
      }
      sub = metadataSubscription;
      if (sub == null) {
        link.onConnectionLost(this::lost);
        sub = link.subscribe(1, this::onMessage, UpdateTopics.metadataFilter(site));
        metadataSubscription = sub;
        if (ownsLink) {
          link.start();
        }
      }
    } finally {
      lock.unlock();
    }
    long timeoutMs = settings.timeout().toMillis();
    try {
      if (!link.awaitConnected(settings.timeout())) {
        throw new TufException(
            TufException.Kind.IO,
            "cannot reach the update channel on " + where + ": " + link.health().reason());
      }
      sub.acknowledged().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TufException(TufException.Kind.IO, "interrupted while subscribing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new TufException(
          TufException.Kind.IO, "cannot subscribe to the update channel on " + where + ": " + e, e);
    }
    lock.lock();
    try {
      connected = true;
      subscribedNanos = System.nanoTime();
      lastMessageNanos = subscribedNanos;
    } finally {
      lock.unlock();
    }
    log.info("update channel: subscribed to {} on {}", UpdateTopics.metadataFilter(site), where);
  }

  /** Waits (lock held) until no metadata message arrived for the quiet period. */
  private void awaitSettled(long deadline) throws InterruptedException {
    while (true) {
      checkUsable();
      long since = System.nanoTime() - Math.max(subscribedNanos, lastMessageNanos);
      long left = settings.quiet().toNanos() - since;
      if (left <= 0 || System.nanoTime() >= deadline) {
        return;
      }
      changed.awaitNanos(Math.min(left, deadline - System.nanoTime()));
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new TufException(TufException.Kind.IO, "update fetcher closed");
    }
    if (!connected) {
      throw new TufException(TufException.Kind.IO, "update channel connection lost");
    }
  }

  private MqttLink.Subscription subscribe(String[] topics) {
    MqttLink.Subscription sub = link.subscribe(1, this::onMessage, topics);
    try {
      sub.acknowledged().get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      return sub;
    } catch (InterruptedException e) {
      sub.close();
      Thread.currentThread().interrupt();
      throw new TufException(TufException.Kind.IO, "interrupted while subscribing", e);
    } catch (ExecutionException | TimeoutException e) {
      sub.close();
      throw new TufException(TufException.Kind.IO, "cannot subscribe to target chunks: " + e, e);
    }
  }

  private void onMessage(String topic, byte[] payload) {
    if (topic.startsWith(metaPrefix)) {
      onMetadata(topic, payload);
    } else if (topic.startsWith(chunkPrefix)) {
      onChunk(topic, payload);
    }
  }

  private void onMetadata(String topic, byte[] payload) {
    String name;
    try {
      name = UpdateTopics.parseMetadata(site, topic);
    } catch (MalformedMessageException e) {
      metadataDropped.incrementAndGet();
      return;
    }
    lock.lock();
    try {
      byte[] old = metadata.remove(name);
      if (old != null) {
        metadataBytes -= old.length;
      }
      if (payload.length > 0) {
        if (metadata.size() >= settings.maxMetadataFiles()
            || metadataBytes + payload.length > settings.maxMetadataBytes()) {
          metadataDropped.incrementAndGet();
          log.warn(
              "update channel: dropped {} ({} bytes): metadata bounds reached",
              name,
              payload.length);
        } else {
          metadata.put(name, payload);
          metadataBytes += payload.length;
        }
      }
      lastMessageNanos = System.nanoTime();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onChunk(String topic, byte[] payload) {
    lock.lock();
    try {
      Download d = download;
      UpdateTopics.ChunkTopic t;
      try {
        t = UpdateTopics.parseChunk(site, topic);
      } catch (MalformedMessageException e) {
        chunksRefused.incrementAndGet();
        return;
      }
      if (d == null || !d.path.equals(t.path()) || payload.length == 0) {
        return; // a late delivery after unsubscribing, or a cleared topic
      }
      TargetChunk chunk;
      try {
        chunk = TargetChunk.decode(payload);
      } catch (MalformedMessageException e) {
        chunksRefused.incrementAndGet();
        log.warn("target {}: refused chunk on {}: {}", t.path(), topic, e.getMessage());
        return;
      }
      if (chunk.index() != t.index()) {
        chunksRefused.incrementAndGet();
        log.warn(
            "target {}: chunk {} published on the topic of chunk {}",
            t.path(),
            chunk.index(),
            t.index());
        return;
      }
      d.offer(chunk);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Deletes other partial targets until {@code maxLength} more bytes fit the staging limit. */
  private void makeRoom(Path keep, long maxLength) {
    try {
      Files.createDirectories(stagingDir);
      List<Path> others = new ArrayList<>();
      long used = 0;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(stagingDir)) {
        for (Path p : ds) {
          if (!p.equals(keep) && Files.isDirectory(p)) {
            others.add(p);
            used += treeSize(p);
          }
        }
      }
      others.sort(Comparator.comparingLong(MqttTufFetcher::modified));
      for (Path p : others) {
        if (used + maxLength <= settings.maxStagingBytes()) {
          break;
        }
        used -= treeSize(p);
        log.info("update staging: deleting partial target {} to make room", p.getFileName());
        deleteTree(p);
      }
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot use staging dir " + stagingDir, e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long treeSize(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw new IOException("staging file vanished: " + tmp, e);
    }
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static String sha256Hex(String s) {
    return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The link lost its connection: a fetch in progress fails, and the retained metadata seen is
   * forgotten (the broker sends it again when the link subscribes after reconnecting).
   */
  private void lost(String why) {
    lock.lock();
    try {
      if (connected) {
        log.warn("update channel: connection lost ({})", why);
      }
      connected = false;
      metadata.clear();
      metadataBytes = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops: a fetch in progress fails with IO and keeps its staged chunks. Closes the link if it is
   * the fetcher's own, else only unsubscribes.
   */
  @Override
  public void close() {
    MqttLink.Subscription sub;
    lock.lock();
    try {
      closed = true;
      connected = false;
      sub = metadataSubscription;
      metadataSubscription = null;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (ownsLink) {
      link.close();
    } else if (sub != null) {
      sub.close();
    }
  }

  /** For tests and logs: the staging directory. */
  Path stagingDir() {
    return stagingDir;
  }
}
