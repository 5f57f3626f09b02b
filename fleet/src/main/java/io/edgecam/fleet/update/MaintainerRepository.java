package io.edgecam.fleet.update;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.Lifetimes;
import io.edgecam.protocol.tuf.RoleKeys;
import io.edgecam.protocol.tuf.TargetFile;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The edgecam TUF repository on the maintainer's disk: root, {@code targets} delegating {@code
 * watchlist/*} to role {@code watchlist} and {@code models/*} to role {@code models} (both
 * terminating), snapshot and timestamp, laid out with consistent snapshots (docs/updates.md).
 * Helpers to find edgecam targets ({@link EdgecamTarget}) by kind, name and version.
 */
public final class MaintainerRepository {
  /** The delegated role of watchlist bundles. */
  public static final String WATCHLIST = "watchlist";

  /** The delegated role of models. */
  public static final String MODELS = "models";

  private MaintainerRepository() {}

  /** Whether {@code dir} holds a repository. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve("metadata/root.json"));
  }

  /**
   * Creates a repository in {@code dir} signed with the keys of {@code keys} and writes it.
   *
   * @throws EdgecamException if {@code dir} already holds one
   */
  public static TufRepository init(Path dir, KeyDirectory keys, Clock clock, Lifetimes lifetimes) {
    if (exists(dir)) {
      throw new EdgecamException(dir + " already holds a TUF repository (metadata/root.json)");
    }
    Map<String, RoleKeys> k = keys.all(true);
    TufRepository repo = TufRepository.create(k, clock, lifetimes);
    repo.delegate(WATCHLIST, k.get(WATCHLIST), List.of("watchlist/*"), true);
    repo.delegate(MODELS, k.get(MODELS), List.of("models/*"), true);
    repo.publish();
    save(repo, dir);
    return repo;
  }

  /**
   * Loads the repository in {@code dir}.
   *
   * @param withRoot also load the root keys (needed to rotate keys)
   * @throws EdgecamException if there is none or the keys do not match
   */
  public static TufRepository open(
      Path dir, KeyDirectory keys, boolean withRoot, Clock clock, Lifetimes lifetimes) {
    if (!exists(dir)) {
      throw new EdgecamException(
          dir + ": no TUF repository here (create one with: edgecam repo init --repo " + dir + ")");
    }
    try {
      return TufRepository.load(dir, keys.all(withRoot), clock, lifetimes);
    } catch (TufException e) {
      throw new EdgecamException(
          dir + ": " + e.getMessage() + " (is --keys " + keys.dir() + " this repository's?)", e);
    }
  }

  /**
   * Writes the repository and deletes the files of watchlist targets no role lists any more: old
   * bundles hold (pseudonymous) personal data of entries that may have been removed since.
   */
  public static void save(TufRepository repo, Path dir) {
    repo.writeTo(dir);
    Set<String> listed = new HashSet<>(repo.current().targets().keySet());
    Path watchlists = dir.resolve("targets").resolve(WATCHLIST);
    if (!Files.isDirectory(watchlists)) {
      return;
    }
    try (Stream<Path> s = Files.list(watchlists)) {
      for (Path p : s.toList()) {
        if (!listed.contains(WATCHLIST + "/" + p.getFileName())) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new EdgecamException(
          "cannot prune old watchlist bundles in " + watchlists + ": " + e, e);
    }
  }

  /** The edgecam targets of {@code kind} and {@code name} in {@code role}, oldest version first. */
  public static List<EdgecamTarget.Listed> listed(
      TufRepository repo, EdgecamTarget.Kind kind, String name) {
    List<EdgecamTarget.Listed> out = new ArrayList<>();
    for (Map.Entry<String, TargetFile> e : repo.targets(roleOf(kind)).entrySet()) {
      EdgecamTarget.parse(e.getKey(), e.getValue().custom())
          .filter(t -> t.kind() == kind && t.name().equals(name))
          .ifPresent(t -> out.add(new EdgecamTarget.Listed(e.getKey(), e.getValue(), t)));
    }
    out.sort(Comparator.comparingLong(l -> l.target().version()));
    return out;
  }

  /** Every edgecam target of the role of {@code kind}. */
  public static List<EdgecamTarget.Listed> all(TufRepository repo, EdgecamTarget.Kind kind) {
    List<EdgecamTarget.Listed> out = new ArrayList<>();
    for (Map.Entry<String, TargetFile> e : repo.targets(roleOf(kind)).entrySet()) {
      EdgecamTarget.parse(e.getKey(), e.getValue().custom())
          .filter(t -> t.kind() == kind)
          .ifPresent(t -> out.add(new EdgecamTarget.Listed(e.getKey(), e.getValue(), t)));
    }
    return out;
  }

  /** The next version for {@code kind} and {@code name}: one more than the highest listed. */
  public static long nextVersion(TufRepository repo, EdgecamTarget.Kind kind, String name) {
    List<EdgecamTarget.Listed> l = listed(repo, kind, name);
    return l.isEmpty() ? 1 : l.get(l.size() - 1).target().version() + 1;
  }

  /** The target of {@code kind}, {@code name} and {@code version}. */
  public static Optional<EdgecamTarget.Listed> find(
      TufRepository repo, EdgecamTarget.Kind kind, String name, long version) {
    return listed(repo, kind, name).stream()
        .filter(l -> l.target().version() == version)
        .findFirst();
  }

  /** The delegated role that signs targets of {@code kind}. */
  public static String roleOf(EdgecamTarget.Kind kind) {
    return kind == EdgecamTarget.Kind.WATCHLIST ? WATCHLIST : MODELS;
  }

  /** A target path segment from a name: characters outside {@code [A-Za-z0-9._-]} become _. */
  public static String pathSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The role names of the repository, top-level first. */
  public static List<String> roleNames(TufRepository repo) {
    List<String> out = new ArrayList<>(TopLevel.ALL);
    repo.delegations().forEach(d -> out.add(d.name()));
    return out;
  }
}
