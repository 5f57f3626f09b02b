package io.edgecam.fleet.cli;

import io.edgecam.fleet.update.BrokerTarget;
import io.edgecam.fleet.update.MaintainerRepository;
import io.edgecam.fleet.update.UpdatePublisher;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The end of every repository change: sign, write, copy to --out, publish to the site. */
final class RepoChanges {
  private RepoChanges() {}

  /**
   * Writes {@code repo} (already signed) to {@code repoDir}, copies it to {@code out} if given, and
   * publishes it to the site's topics when a broker is given.
   *
   * @return the publish result, or null if nothing was published
   */
  static UpdatePublisher.@Nullable Result finish(
      TufRepository repo,
      Path repoDir,
      @Nullable Path out,
      @Nullable BrokerTarget broker,
      @Nullable String site,
      int chunkSize,
      boolean full,
      PrintWriter err) {
    MaintainerRepository.save(repo, repoDir);
    if (out != null) {
      copyTree(repoDir, out);
      List<String> removed = pruneDelisted(repoDir, out);
      err.println("wrote the repository to " + out);
      if (!removed.isEmpty()) {
        err.printf(
            "removed %d delisted target file(s) from %s: %s%n",
            removed.size(), out, String.join(", ", removed));
      }
    }
    if (broker == null || site == null) {
      return null;
    }
    try (UpdatePublisher p = new UpdatePublisher(broker)) {
      UpdatePublisher.Result r = p.publish(site, repo.current(), chunkSize, repoDir, full);
      err.printf(
          "published to %s site %s: %d messages (%d bytes), %d unchanged, %d cleared%n",
          broker.url(), site, r.published(), r.bytes(), r.unchanged(), r.cleared());
      return r;
    }
  }

  /**
   * Deletes the files under {@code out/targets/} that the repository no longer has: a delisted
   * watchlist bundle holds entries that may have been removed, and must disappear from every copy
   * the maintainer serves, not only from the repository ({@link MaintainerRepository#save} prunes
   * that one).
   *
   * @return the deleted paths, relative to {@code out}
   */
  static List<String> pruneDelisted(Path repoDir, Path out) {
    Path targets = out.resolve("targets");
    if (!Files.isDirectory(targets)) {
      return List.of();
    }
    List<String> removed = new ArrayList<>();
    try (Stream<Path> s = Files.walk(targets)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(p).toString();
        if (!Files.exists(repoDir.resolve(rel))) {
          Files.delete(p);
          removed.add(rel);
        }
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot remove delisted targets from " + out + ": " + e, e);
    }
    removed.sort(null);
    return removed;
  }

  /** Copies metadata/ and targets/ of a repository directory. */
  static void copyTree(Path from, Path to) {
    for (String sub : new String[] {"metadata", "targets"}) {
      Path src = from.resolve(sub);
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(src)) {
        for (Path p : s.toList()) {
          Path dst = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(dst);
          } else if (!p.getFileName().toString().endsWith(".tmp")) {
            Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } catch (IOException e) {
        throw new EdgecamException("cannot copy the repository to " + to + ": " + e, e);
      }
    }
  }
}
