package io.edgecam.matcher.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteMatcherStoreTest extends MatcherStoreContract {
  @TempDir Path dir;

  @Override
  MatcherStore open(String owner) {
    return new SqliteMatcherStore(dir.resolve("sub/matcher.db"), owner);
  }
}
