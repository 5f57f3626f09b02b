package io.edgecam.fleet.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.EncryptedKeys;
import io.edgecam.protocol.Pem;
import io.edgecam.protocol.bundle.PseudonymousId;
import io.edgecam.protocol.tuf.RoleKeys;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The maintainer's TUF keys on disk (docs/updates.md, "Keys"):
 *
 * <pre>
 * DIR/keys.json                 role -> threshold and key files (public information)
 * DIR/&lt;role&gt;-&lt;keyid8&gt;.pem     one Ed25519 key: PKCS#8 private key PEM, then its X.509 public key PEM
 * DIR/alias.key                 32 random bytes (hex) that make watchlist aliases (PseudonymousId)
 * DIR/retired/                  keys replaced by a rotation
 * </pre>
 *
 * The directory is created 0700 and every secret file 0600. With a passphrase, the <b>root</b> keys
 * (the offline ones) are written as PKCS#8 {@code ENCRYPTED PRIVATE KEY} (PBES2:
 * PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC; OpenSSL reads them); the online keys
 * (targets, snapshot, timestamp, watchlist, models) stay unencrypted so that publishing and the
 * timestamp cron job run unattended. Not thread-safe: one maintainer command at a time.
 */
public final class KeyDirectory {
  /** Every role edgecam keeps keys for, in the order {@code keys init} creates them. */
  public static final List<String> ROLES =
      List.of(
          TopLevel.ROOT,
          TopLevel.TARGETS,
          TopLevel.SNAPSHOT,
          TopLevel.TIMESTAMP,
          MaintainerRepository.WATCHLIST,
          MaintainerRepository.MODELS);

  static final String INDEX = "keys.json";
  static final String ALIAS = "alias.key";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final @Nullable char[] passphrase;
  private final Map<String, Entry> roles;

  /** A role's threshold and key file names. */
  private record Entry(int threshold, List<String> files, boolean encrypted) {}

  private KeyDirectory(Path dir, @Nullable char[] passphrase, Map<String, Entry> roles) {
    this.dir = dir;
    this.passphrase = passphrase;
    this.roles = roles;
  }

  /**
   * Creates root keys ({@code rootKeys} of them, threshold {@code rootThreshold}), one key for each
   * other role and the alias key.
   *
   * @param passphrase encrypts the root keys when not null
   * @param force overwrite an existing key directory (its keys are moved to {@code retired/})
   * @throws EdgecamException if {@code dir} already holds keys and {@code force} is false
   */
  public static KeyDirectory init(
      Path dir, int rootKeys, int rootThreshold, @Nullable char[] passphrase, boolean force) {
    if (rootKeys < 1 || rootThreshold < 1 || rootThreshold > rootKeys) {
      throw new EdgecamException(
          "root threshold must be in 1.." + rootKeys + " (root keys), was " + rootThreshold);
    }
    if (Files.exists(dir.resolve(INDEX))) {
      if (!force) {
        throw new EdgecamException(
            dir
                + " already holds TUF keys ("
                + INDEX
                + "); refusing to overwrite them (--force"
                + " retires them to "
                + dir.resolve("retired")
                + ")");
      }
      open(dir, null).retireAll();
    }
    createPrivateDir(dir);
    Map<String, Entry> roles = new LinkedHashMap<>();
    KeyDirectory kd = new KeyDirectory(dir, passphrase, roles);
    for (String role : ROLES) {
      boolean root = role.equals(TopLevel.ROOT);
      kd.write(role, RoleKeys.generate(root ? rootKeys : 1, root ? rootThreshold : 1));
    }
    writeSecret(dir.resolve(ALIAS), HexFormat.of().formatHex(PseudonymousId.newKey()).getBytes());
    kd.saveIndex();
    return kd;
  }

  /**
   * Opens a key directory.
   *
   * @param passphrase for encrypted root keys; may be null when root is not needed
   * @throws EdgecamException if there is no readable {@code keys.json}
   */
  public static KeyDirectory open(Path dir, @Nullable char[] passphrase) {
    Path index = dir.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      throw new EdgecamException(
          index
              + ": no TUF key directory here (create one with: edgecam keys init --dir "
              + dir
              + ")");
    }
    Map<String, Entry> roles = new LinkedHashMap<>();
    try {
      JsonNode json = JSON.readTree(index.toFile());
      JsonNode r = json.path("roles");
      for (String role : ROLES) {
        JsonNode e = r.path(role);
        if (!e.path("threshold").isInt() || !e.path("keys").isArray() || e.path("keys").isEmpty()) {
          throw new EdgecamException(index + ": roles." + role + " needs threshold and keys");
        }
        List<String> files = new ArrayList<>();
        e.path("keys").forEach(k -> files.add(k.asText()));
        roles.put(
            role,
            new Entry(e.path("threshold").asInt(), files, e.path("encrypted").asBoolean(false)));
      }
    } catch (IOException e) {
      throw new EdgecamException(index + ": unreadable key index: " + e.getMessage(), e);
    }
    return new KeyDirectory(dir, passphrase, roles);
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** Whether the root keys are passphrase-encrypted. */
  public boolean rootEncrypted() {
    return roles.get(TopLevel.ROOT).encrypted();
  }

  /**
   * The keys of {@code role}, read from their files.
   *
   * @throws EdgecamException if a file is missing or unreadable, or root keys are encrypted and no
   *     (or a wrong) passphrase was given
   */
  public RoleKeys keys(String role) {
    Entry e = roles.get(role);
    if (e == null) {
      throw new EdgecamException("no keys for role " + role + " in " + dir);
    }
    List<SigningKey> keys = new ArrayList<>();
    for (String f : e.files()) {
      keys.add(readKey(dir.resolve(f)));
    }
    return new RoleKeys(keys, e.threshold());
  }

  /**
   * The keys of every role, root only when {@code withRoot} (root keys are kept offline and may be
   * encrypted; publishing does not need them).
   */
  public Map<String, RoleKeys> all(boolean withRoot) {
    Map<String, RoleKeys> out = new LinkedHashMap<>();
    for (String role : ROLES) {
      if (withRoot || !role.equals(TopLevel.ROOT)) {
        out.put(role, keys(role));
      }
    }
    return out;
  }

  /** The alias key of {@link PseudonymousId}. */
  public byte[] aliasKey() {
    Path f = dir.resolve(ALIAS);
    try {
      return HexFormat.of().parseHex(Files.readString(f, StandardCharsets.US_ASCII).trim());
    } catch (IOException | IllegalArgumentException e) {
      throw new EdgecamException(f + ": unreadable alias key: " + e.getMessage(), e);
    }
  }

  /**
   * Fresh keys for {@code role}; nothing is written until {@link #replace}, so that a failed
   * repository update leaves the old keys in place.
   */
  public static RoleKeys generate(int count, int threshold) {
    if (count < 1 || threshold < 1 || threshold > count) {
      throw new EdgecamException(
          "threshold must be in 1.." + count + " (number of keys), was " + threshold);
    }
    return RoleKeys.generate(count, threshold);
  }

  /**
   * Writes the key files of {@code newKeys} (not yet used: the index still names the old keys), so
   * that they are on disk before a repository that lists them is.
   */
  public void prepare(String role, RoleKeys newKeys) {
    Entry old = roles.get(role);
    write(role, newKeys);
    if (old != null) {
      roles.put(role, old);
    }
  }

  /**
   * Writes {@code newKeys} as the keys of {@code role}; the old key files go to {@code retired/}.
   */
  public void replace(String role, RoleKeys newKeys) {
    Entry old = roles.get(role);
    write(role, newKeys);
    saveIndex();
    if (old != null) {
      retire(old.files());
    }
  }

  private void write(String role, RoleKeys keys) {
    boolean encrypt = role.equals(TopLevel.ROOT) && passphrase != null;
    List<String> files = new ArrayList<>();
    for (SigningKey k : keys.keys()) {
      String name = role + "-" + k.keyId().substring(0, 8) + ".pem";
      String pem =
          (encrypt
                  ? pem(
                      "ENCRYPTED PRIVATE KEY",
                      EncryptedKeys.encrypt(k.privateEncoded(), passphrase))
                  : pem("PRIVATE KEY", k.privateEncoded()))
              + pem("PUBLIC KEY", k.publicKey().toPublicKey().getEncoded());
      writeSecret(dir.resolve(name), pem.getBytes(StandardCharsets.US_ASCII));
      files.add(name);
    }
    roles.put(role, new Entry(keys.threshold(), files, encrypt));
  }

  private void saveIndex() {
    ObjectNode json = JSON.createObjectNode();
    json.put("format", 1);
    json.put(
        "about",
        "edgecam TUF keys: role -> threshold and key files (PKCS#8 private + X.509 public PEM)."
            + " Keep root keys offline.");
    ObjectNode r = json.putObject("roles");
    roles.forEach(
        (role, e) -> {
          ObjectNode o = r.putObject(role);
          o.put("threshold", e.threshold());
          ArrayNode a = o.putArray("keys");
          e.files().forEach(a::add);
          o.put("encrypted", e.encrypted());
        });
    try {
      writeSecret(dir.resolve(INDEX), JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new EdgecamException("cannot write " + dir.resolve(INDEX) + ": " + e.getMessage(), e);
    }
  }

  private void retireAll() {
    List<String> all = new ArrayList<>();
    roles.values().forEach(e -> all.addAll(e.files()));
    all.add(ALIAS);
    all.add(INDEX);
    retire(all);
  }

  private void retire(List<String> files) {
    Path retired = dir.resolve("retired");
    try {
      createPrivateDir(retired);
      String stamp = String.valueOf(System.currentTimeMillis());
      for (String f : files) {
        Path p = dir.resolve(f);
        if (Files.exists(p)) {
          Files.move(p, retired.resolve(stamp + "-" + f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot retire old keys into " + retired + ": " + e, e);
    }
  }

  private SigningKey readKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new EdgecamException(file + ": cannot read key file: " + e.getMessage(), e);
    }
    byte[] pub = pemBlock(text, "PUBLIC KEY", file);
    byte[] priv;
    if (Pem.has("ENCRYPTED PRIVATE KEY", text)) {
      if (passphrase == null) {
        throw new EdgecamException(
            file
                + ": the key is encrypted; give the passphrase (--passphrase-file FILE or"
                + " EDGECAM_KEY_PASSPHRASE)");
      }
      priv = EncryptedKeys.decrypt(pemBlock(text, "ENCRYPTED PRIVATE KEY", file), passphrase, file);
    } else {
      priv = pemBlock(text, "PRIVATE KEY", file);
    }
    try {
      return SigningKey.fromEncoded(priv, pub);
    } catch (TufException e) {
      throw new EdgecamException(file + ": " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    return Pem.encode(type, der);
  }

  private static byte[] pemBlock(String text, String type, Path file) {
    try {
      return Pem.decode(type, text);
    } catch (IllegalArgumentException e) {
      throw new EdgecamException(file + ": " + e.getMessage(), e);
    }
  }

  private static void createPrivateDir(Path dir) {
    try {
      Files.createDirectories(dir);
      setPermissions(dir, "rwx------");
    } catch (IOException e) {
      throw new EdgecamException("cannot create key directory " + dir + ": " + e, e);
    }
  }

  private static void writeSecret(Path file, byte[] bytes) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new EdgecamException(file + ": exists", e);
    } catch (IOException e) {
      throw new EdgecamException("cannot write " + file + ": " + e, e);
    }
  }

  private static void setPermissions(Path p, String perms) throws IOException {
    try {
      Set<PosixFilePermission> s = PosixFilePermissions.fromString(perms);
      Files.setPosixFilePermissions(p, s);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's ACLs apply
    }
  }

  @Override
  public String toString() {
    return "KeyDirectory[" + dir + ", roles " + roles.keySet() + "]";
  }

  /** Wipes the passphrase copy (best effort). */
  public void forgetPassphrase() {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }
}
